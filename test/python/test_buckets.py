"""Bucket operations through boto3 and the aws CLI: create/head/delete, names, location, versioning, ListBuckets."""
import json
import os
import subprocess
import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import ROOT, make_client


def new_name(prefix="pyb"):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:16])


def error_of(excinfo):
    err = excinfo.value.response
    return err["ResponseMetadata"]["HTTPStatusCode"], err["Error"]["Code"]


@pytest.fixture(scope="module")
def other_s3(server):
    """A client for a second account, created with `tessera accounts create` while the server runs."""
    out = subprocess.run(
        ["node", os.path.join(ROOT, "dist/src/cli/main.js"), "accounts", "create", "--name", "other-" + uuid.uuid4().hex[:6],
         "--data-dir", server.data_dir],
        capture_output=True, text=True, check=True, timeout=60,
    )
    account = json.loads(out.stdout)
    return make_client(server, account["accessKeyId"], account["secretAccessKey"])


def test_create_head_delete(s3):
    name = new_name()
    created = s3.create_bucket(Bucket=name)
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert created["Location"] == "/" + name
    head = s3.head_bucket(Bucket=name)
    assert head["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"] == "us-east-1"
    assert s3.get_bucket_location(Bucket=name)["LocationConstraint"] is None
    deleted = s3.delete_bucket(Bucket=name)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as e:
        s3.head_bucket(Bucket=name)
    assert error_of(e) == (404, "404")


@pytest.mark.parametrize("name", ["ab", "foo..bar", "foo.-bar", "foo-", "192.168.5.123", "xn--abc", "abc-s3alias", "a" * 64])
def test_invalid_bucket_names(s3, name):
    with pytest.raises(ClientError) as e:
        s3.create_bucket(Bucket=name)
    assert error_of(e) == (400, "InvalidBucketName")


def test_underscore_name_is_invalid(s3):
    # botocore accepts '_' in names client-side; the server must refuse it
    with pytest.raises(ClientError) as e:
        s3.create_bucket(Bucket="foo_bar")
    assert error_of(e) == (400, "InvalidBucketName")


def test_recreate_by_owner_and_by_other_account(s3, other_s3):
    name = new_name()
    s3.create_bucket(Bucket=name)
    again = s3.create_bucket(Bucket=name)  # us-east-1 legacy: 200 for the owner
    assert again["ResponseMetadata"]["HTTPStatusCode"] == 200
    with pytest.raises(ClientError) as e:
        other_s3.create_bucket(Bucket=name)
    assert error_of(e) == (409, "BucketAlreadyExists")
    with pytest.raises(ClientError) as e:
        other_s3.head_bucket(Bucket=name)
    assert error_of(e) == (403, "403")


def test_location_constraints(s3):
    with pytest.raises(ClientError) as e:
        s3.create_bucket(Bucket=new_name(), CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert error_of(e) == (400, "IllegalLocationConstraintException")
    with pytest.raises(ClientError) as e:
        s3.create_bucket(Bucket=new_name(), CreateBucketConfiguration={"LocationConstraint": "us-east-1"})
    assert error_of(e) == (400, "InvalidLocationConstraint")


def test_delete_non_empty_bucket(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    with pytest.raises(ClientError) as e:
        s3.delete_bucket(Bucket=bucket)
    assert error_of(e) == (409, "BucketNotEmpty")
    with pytest.raises(ClientError) as e:
        s3.delete_bucket(Bucket=new_name())
    assert error_of(e) == (404, "NoSuchBucket")


def test_versioning_states(s3, bucket):
    assert "Status" not in s3.get_bucket_versioning(Bucket=bucket)
    for status in ["Suspended", "Enabled", "Enabled", "Suspended"]:
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": status})
        assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == status
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"MFADelete": "Disabled", "Status": "Enabled"})
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    with pytest.raises(ClientError) as e:
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"MFADelete": "Enabled", "Status": "Enabled"},
                                 MFA="123456 654321")
    assert error_of(e) == (501, "NotImplemented")


def test_list_buckets_paginated(s3, other_s3):
    prefix = new_name("pyl")
    names = [prefix + "-" + c for c in "abc"]
    for name in names:
        s3.create_bucket(Bucket=name)
    theirs = new_name("pyo")
    other_s3.create_bucket(Bucket=theirs)

    listed = s3.list_buckets()
    all_names = [b["Name"] for b in listed["Buckets"]]
    assert all(n in all_names for n in names)
    assert theirs not in all_names
    assert all_names == sorted(all_names)
    assert len(listed["Owner"]["ID"]) == 64

    pages = list(s3.get_paginator("list_buckets").paginate(Prefix=prefix, PaginationConfig={"PageSize": 1}))
    assert [b["Name"] for p in pages for b in p["Buckets"]] == names
    assert len(pages) == 3
    one = s3.list_buckets(MaxBuckets=2, Prefix=prefix)
    assert [b["Name"] for b in one["Buckets"]] == names[:2]
    rest = s3.list_buckets(MaxBuckets=2, Prefix=prefix, ContinuationToken=one["ContinuationToken"])
    assert [b["Name"] for b in rest["Buckets"]] == names[2:]
    assert "ContinuationToken" not in rest
    assert [b["Name"] for b in other_s3.list_buckets()["Buckets"]] == [theirs]


def test_cli_mb_ls_rb(aws):
    name = new_name("pycli")
    aws("s3", "mb", "s3://" + name)
    assert name in aws("s3", "ls").stdout
    made = json.loads(aws("s3api", "head-bucket", "--bucket", name).stdout or "{}")
    assert made.get("BucketRegion", "us-east-1") == "us-east-1"
    versioning = aws("s3api", "put-bucket-versioning", "--bucket", name, "--versioning-configuration", "Status=Enabled")
    assert versioning.returncode == 0
    assert json.loads(aws("s3api", "get-bucket-versioning", "--bucket", name).stdout)["Status"] == "Enabled"
    aws("s3", "rb", "s3://" + name)
    assert name not in aws("s3", "ls").stdout
    failed = aws("s3api", "create-bucket", "--bucket", "Bad_Name", check=False)
    assert failed.returncode != 0 and "InvalidBucketName" in failed.stderr
