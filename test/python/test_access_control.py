"""Access control through boto3 and the aws CLI: the three tag policies of the S3 user guide, verbatim, as IAM
user policies (`aws iam put-user-policy`) and as bucket policies naming the user's ARN (`aws s3api
put-bucket-policy --policy file://…`); canned ACLs; anonymous access; denied requests change nothing."""
import json
import uuid

import boto3
import pytest
import requests
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import ACCESS_KEY, SECRET_KEY, make_client

ACCOUNT = "000000000000"


def iam_client(server):
    return boto3.client(
        "iam", endpoint_url=server.endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1", config=Config(retries={"max_attempts": 1}),
    )


@pytest.fixture
def iam_user(server):
    """A fresh IAM user of the root account, with an S3 client signed by its key."""
    iam = iam_client(server)
    name = "ac-" + uuid.uuid4().hex[:8]
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    client = make_client(server, access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
    return {"name": name, "arn": "arn:aws:iam::%s:user/%s" % (ACCOUNT, name), "s3": client}


def denied(call, *args, **kwargs):
    with pytest.raises(ClientError) as e:
        call(*args, **kwargs)
    assert e.value.response["Error"]["Code"] == "AccessDenied"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def tags(s3, bucket, key):
    return {t["Key"]: t["Value"] for t in s3.get_object_tagging(Bucket=bucket, Key=key)["TagSet"]}


def tagset(d):
    return {"TagSet": [{"Key": k, "Value": v} for k, v in d.items()]}


def statement_1(bucket):
    return {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::%s/*" % bucket,
            "Condition": {"StringEquals": {"s3:ExistingObjectTag/security": "public"}}}


def statement_2(bucket):
    return {"Effect": "Allow", "Action": ["s3:PutObjectTagging"], "Resource": ["arn:aws:s3:::%s/*" % bucket],
            "Condition": {"ForAllValues:StringLike": {"s3:RequestObjectTagKeys": ["Owner", "CreationDate"]},
                          "ForAnyValue:StringLike": {"s3:RequestObjectTagKeys": ["Owner", "CreationDate"]}}}


def statement_3(bucket):
    return {"Effect": "Allow", "Action": ["s3:PutObjectTagging"], "Resource": ["arn:aws:s3:::%s/*" % bucket],
            "Condition": {"StringEquals": {"s3:RequestObjectTag/Project": "X"}}}


def apply(kind, aws, tmp_path, bucket, user, statement):
    """Put the statement as a user policy (aws iam) or as a bucket policy naming the user (aws s3api)."""
    if kind == "user":
        doc = {"Version": "2012-10-17", "Statement": [statement]}
        path = tmp_path / "user-policy.json"
        path.write_text(json.dumps(doc))
        aws("iam", "put-user-policy", "--user-name", user["name"], "--policy-name", "tags",
            "--policy-document", "file://%s" % path)
    else:
        doc = {"Version": "2012-10-17", "Statement": [dict(statement, Principal={"AWS": user["arn"]})]}
        path = tmp_path / "bucket-policy.json"
        path.write_text(json.dumps(doc))
        aws("s3api", "put-bucket-policy", "--bucket", bucket, "--policy", "file://%s" % path)


@pytest.mark.parametrize("kind", ["user", "bucket"])
def test_policy_1_existing_object_tag(kind, s3, bucket, iam_user, aws, tmp_path):
    s3.put_object(Bucket=bucket, Key="pub", Body=b"p", Tagging="security=public")
    s3.put_object(Bucket=bucket, Key="priv", Body=b"q", Tagging="security=private")
    s3.put_object(Bucket=bucket, Key="none", Body=b"r")
    user = iam_user["s3"]
    denied(user.get_object, Bucket=bucket, Key="pub")
    apply(kind, aws, tmp_path, bucket, iam_user, statement_1(bucket))
    assert user.get_object(Bucket=bucket, Key="pub")["Body"].read() == b"p"
    denied(user.get_object, Bucket=bucket, Key="priv")
    denied(user.get_object, Bucket=bucket, Key="none")
    denied(user.put_object, Bucket=bucket, Key="pub", Body=b"overwrite")
    assert s3.get_object(Bucket=bucket, Key="pub")["Body"].read() == b"p"


@pytest.mark.parametrize("kind", ["user", "bucket"])
def test_policy_2_request_tag_keys(kind, s3, bucket, iam_user, aws, tmp_path):
    s3.put_object(Bucket=bucket, Key="doc", Body=b"d", Tagging="Start=1")
    user = iam_user["s3"]
    apply(kind, aws, tmp_path, bucket, iam_user, statement_2(bucket))
    user.put_object_tagging(Bucket=bucket, Key="doc", Tagging=tagset({"Owner": "alice", "CreationDate": "2024"}))
    assert tags(s3, bucket, "doc") == {"Owner": "alice", "CreationDate": "2024"}
    denied(user.put_object_tagging, Bucket=bucket, Key="doc", Tagging=tagset({"Owner": "eve", "Project": "x"}))
    denied(user.put_object_tagging, Bucket=bucket, Key="doc", Tagging=tagset({}))
    assert tags(s3, bucket, "doc") == {"Owner": "alice", "CreationDate": "2024"}


@pytest.mark.parametrize("kind", ["user", "bucket"])
def test_policy_3_request_object_tag(kind, s3, bucket, iam_user, aws, tmp_path):
    s3.put_object(Bucket=bucket, Key="doc", Body=b"d")
    user = iam_user["s3"]
    apply(kind, aws, tmp_path, bucket, iam_user, statement_3(bucket))
    user.put_object_tagging(Bucket=bucket, Key="doc", Tagging=tagset({"Project": "X"}))
    denied(user.put_object_tagging, Bucket=bucket, Key="doc", Tagging=tagset({"Project": "Y"}))
    denied(user.put_object_tagging, Bucket=bucket, Key="doc", Tagging=tagset({"Other": "1"}))
    assert tags(s3, bucket, "doc") == {"Project": "X"}


def test_bucket_policy_with_the_cli(s3, bucket, aws, tmp_path):
    doc = {"Version": "2012-10-17", "Statement": [
        {"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
         "Resource": "arn:aws:s3:::%s/public/*" % bucket}]}
    path = tmp_path / "p.json"
    path.write_text(json.dumps(doc))
    aws("s3api", "put-bucket-policy", "--bucket", bucket, "--policy", "file://%s" % path)
    got = json.loads(aws("s3api", "get-bucket-policy", "--bucket", bucket).stdout)
    assert json.loads(got["Policy"]) == doc
    status = json.loads(aws("s3api", "get-bucket-policy-status", "--bucket", bucket).stdout)
    assert status["PolicyStatus"]["IsPublic"] is True
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"Version": "2012-10-17", "Statement": [dict(doc["Statement"][0], Action="s3:Nope")]}))
    proc = aws("s3api", "put-bucket-policy", "--bucket", bucket, "--policy", "file://%s" % bad, check=False)
    assert proc.returncode != 0 and "MalformedPolicy" in proc.stderr
    aws("s3api", "delete-bucket-policy", "--bucket", bucket)
    proc = aws("s3api", "get-bucket-policy", "--bucket", bucket, check=False)
    assert "NoSuchBucketPolicy" in proc.stderr


def test_anonymous_access(server, s3, bucket):
    anon = make_client(server, signature_version=UNSIGNED)
    s3.put_object(Bucket=bucket, Key="open", Body=b"o", ACL="public-read")
    s3.put_object(Bucket=bucket, Key="closed", Body=b"c")
    assert anon.get_object(Bucket=bucket, Key="open")["Body"].read() == b"o"
    denied(anon.get_object, Bucket=bucket, Key="closed")
    denied(anon.list_objects_v2, Bucket=bucket)
    denied(anon.put_object, Bucket=bucket, Key="new", Body=b"n")
    r = requests.get("%s/%s/closed" % (server.endpoint, bucket))
    assert r.status_code == 403 and "<Code>AccessDenied</Code>" in r.text
    s3.put_bucket_acl(Bucket=bucket, ACL="public-read-write")
    anon.put_object(Bucket=bucket, Key="new", Body=b"n")
    assert [o["Key"] for o in anon.list_objects_v2(Bucket=bucket)["Contents"]] == ["closed", "new", "open"]


def test_acls_with_the_cli(s3, bucket, aws):
    aws("s3api", "put-object", "--bucket", bucket, "--key", "k", "--acl", "public-read")
    acl = json.loads(aws("s3api", "get-object-acl", "--bucket", bucket, "--key", "k").stdout)
    assert sorted(g["Permission"] for g in acl["Grants"]) == ["FULL_CONTROL", "READ"]
    aws("s3api", "put-object-acl", "--bucket", bucket, "--key", "k", "--acl", "private")
    acl = json.loads(aws("s3api", "get-object-acl", "--bucket", bucket, "--key", "k").stdout)
    assert [g["Permission"] for g in acl["Grants"]] == ["FULL_CONTROL"]
    aws("s3api", "put-bucket-acl", "--bucket", bucket, "--acl", "authenticated-read")
    acl = json.loads(aws("s3api", "get-bucket-acl", "--bucket", bucket).stdout)
    assert any(g["Grantee"].get("URI", "").endswith("AuthenticatedUsers") for g in acl["Grants"])


def test_user_policies_allow_and_deny_tagging(server, s3, bucket, iam_user):
    """The scenarios of ceph's h_iam_user_policy_tagging group: a user policy allowing the tagging actions, and an
    explicit Deny of them overriding an Allow of everything."""
    iam = iam_client(server)
    user = iam_user["s3"]
    s3.put_object(Bucket=bucket, Key="obj", Body=b"o")
    tagging = tagset({"Hello": "World"})
    denied(user.put_bucket_tagging, Bucket=bucket, Tagging=tagging)
    allow = {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": [
        "s3:PutBucketTagging", "s3:GetBucketTagging", "s3:PutObjectTagging", "s3:GetObjectTagging"],
        "Resource": "arn:aws:s3:::*"}}
    iam.put_user_policy(UserName=iam_user["name"], PolicyName="allow", PolicyDocument=json.dumps(allow))
    user.put_bucket_tagging(Bucket=bucket, Tagging=tagging)
    assert user.get_bucket_tagging(Bucket=bucket)["TagSet"] == tagging["TagSet"]
    user.put_object_tagging(Bucket=bucket, Key="obj", Tagging=tagging)
    assert user.get_object_tagging(Bucket=bucket, Key="obj")["TagSet"] == tagging["TagSet"]
    denied(user.delete_object_tagging, Bucket=bucket, Key="obj")
    iam.delete_user_policy(UserName=iam_user["name"], PolicyName="allow")

    everything = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    deny = {"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": [
        "s3:PutBucketTagging", "s3:GetBucketTagging", "s3:PutObjectTagging", "s3:DeleteObjectTagging"],
        "Resource": "arn:aws:s3:::*"}}
    iam.put_user_policy(UserName=iam_user["name"], PolicyName="all", PolicyDocument=json.dumps(everything))
    iam.put_user_policy(UserName=iam_user["name"], PolicyName="deny", PolicyDocument=json.dumps(deny))
    denied(user.put_bucket_tagging, Bucket=bucket, Tagging=tagset({"Other": "1"}))
    denied(user.get_bucket_tagging, Bucket=bucket)
    denied(user.put_object_tagging, Bucket=bucket, Key="obj", Tagging=tagset({}))
    denied(user.delete_object_tagging, Bucket=bucket, Key="obj")
    assert user.get_object_tagging(Bucket=bucket, Key="obj")["TagSet"] == tagging["TagSet"]
    assert user.get_object(Bucket=bucket, Key="obj")["Body"].read() == b"o"
