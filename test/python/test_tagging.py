"""Object and bucket tagging through boto3 and the aws CLI (docs/tagging.md): the tagging operations, their limits and
errors, tags on write (PutObject, CopyObject, multipart, browser POST), versioned buckets and x-amz-tagging-count."""
import base64
import datetime
import hashlib
import hmac
import json
from collections import OrderedDict

import pytest
import requests
from botocore.exceptions import ClientError

from conftest import ACCESS_KEY, SECRET_KEY

HAN = "\u4e2d"  # 1 code point
ASTRAL_LETTER = "\U00020000"  # a letter outside the BMP: 1 code point, 2 UTF-16 units
EMOJI = "\U0001F600"


def error_of(excinfo):
    response = excinfo.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"], response["Error"].get("Message")


def tags_of(s3, bucket, key, version_id=None):
    kwargs = {"VersionId": version_id} if version_id else {}
    return [(t["Key"], t["Value"]) for t in s3.get_object_tagging(Bucket=bucket, Key=key, **kwargs)["TagSet"]]


def tag_set(pairs):
    return {"TagSet": [{"Key": k, "Value": v} for k, v in pairs]}


def simple_tag_set(count):
    return tag_set([(str(i), str(i)) for i in range(count)])


# ---- PutObjectTagging / GetObjectTagging / DeleteObjectTagging ----


def test_put_get_delete_object_tagging(s3, bucket):
    s3.put_object(Bucket=bucket, Key="obj", Body=b"x")
    assert tags_of(s3, bucket, "obj") == []
    response = s3.put_object_tagging(Bucket=bucket, Key="obj", Tagging=tag_set([("b", "2"), ("a", ""), ("C", "3")]))
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert "VersionId" not in response
    assert tags_of(s3, bucket, "obj") == [("C", "3"), ("a", ""), ("b", "2")]
    assert s3.head_object(Bucket=bucket, Key="obj")["ResponseMetadata"]["HTTPHeaders"]["x-amz-tagging-count"] == "3"

    s3.put_object_tagging(Bucket=bucket, Key="obj", Tagging=tag_set([("only", "one")]))
    assert tags_of(s3, bucket, "obj") == [("only", "one")]

    response = s3.delete_object_tagging(Bucket=bucket, Key="obj")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert tags_of(s3, bucket, "obj") == []
    assert "x-amz-tagging-count" not in s3.head_object(Bucket=bucket, Key="obj")["ResponseMetadata"]["HTTPHeaders"]


def test_empty_tag_set_removes_all_tags(s3, bucket):
    s3.put_object(Bucket=bucket, Key="obj", Body=b"x", Tagging="a=1&b=2")
    s3.put_object_tagging(Bucket=bucket, Key="obj", Tagging={"TagSet": []})
    assert tags_of(s3, bucket, "obj") == []
    assert s3.get_object(Bucket=bucket, Key="obj").get("TagCount") is None


def test_max_tags_and_sizes(s3, bucket):
    s3.put_object(Bucket=bucket, Key="obj", Body=b"x")
    s3.put_object_tagging(Bucket=bucket, Key="obj", Tagging=simple_tag_set(10))
    assert len(tags_of(s3, bucket, "obj")) == 10
    big = tag_set([("k" * 128, "v" * 256)])
    s3.put_object_tagging(Bucket=bucket, Key="obj", Tagging=big)
    assert tags_of(s3, bucket, "obj") == [("k" * 128, "v" * 256)]


@pytest.mark.parametrize(
    "tags, status, code, message",
    [
        (simple_tag_set(11), 400, "BadRequest", "Object tags cannot be greater than 10"),
        (tag_set([("k" * 129, "v")]), 400, "InvalidTag", "The TagKey you have provided is invalid"),
        (tag_set([("k", "v" * 257)]), 400, "InvalidTag", "The TagValue you have provided is invalid"),
        (tag_set([("dup", "1"), ("dup", "2")]), 400, "InvalidTag", "Cannot provide multiple Tags with the same key"),
        (tag_set([("aws:reserved", "1")]), 400, "InvalidTag", "Your TagKey cannot be prefixed with aws:"),
        (tag_set([("a,b", "1")]), 400, "InvalidTag", "The TagKey you have provided is invalid"),
        (tag_set([("k", "semi;colon")]), 400, "InvalidTag", "The TagValue you have provided is invalid"),
        (tag_set([("smile" + EMOJI, "1")]), 400, "InvalidTag", "The TagKey you have provided is invalid"),
        (tag_set([(HAN * 129, "1")]), 400, "InvalidTag", "The TagKey you have provided is invalid"),
    ],
)
def test_rejected_tag_sets_change_nothing(s3, bucket, tags, status, code, message):
    s3.put_object(Bucket=bucket, Key="obj", Body=b"x", Tagging="keep=me")
    with pytest.raises(ClientError) as excinfo:
        s3.put_object_tagging(Bucket=bucket, Key="obj", Tagging=tags)
    assert error_of(excinfo) == (status, code, message)
    assert tags_of(s3, bucket, "obj") == [("keep", "me")]


def test_invalid_tag_names_key_and_value_in_the_error(s3, bucket):
    s3.put_object(Bucket=bucket, Key="obj", Body=b"x")
    with pytest.raises(ClientError) as excinfo:
        s3.put_object_tagging(Bucket=bucket, Key="obj", Tagging=tag_set([("Key1", "Val1,Val2")]))
    error = excinfo.value.response["Error"]
    assert error["TagKey"] == "Key1"
    assert error["TagValue"] == "Val1,Val2"


def test_unicode_lengths_count_code_points(s3, bucket):
    s3.put_object(Bucket=bucket, Key="obj", Body=b"x")
    s3.put_object_tagging(Bucket=bucket, Key="obj", Tagging=tag_set([(HAN * 128, HAN * 256)]))
    assert tags_of(s3, bucket, "obj") == [(HAN * 128, HAN * 256)]
    s3.put_object_tagging(Bucket=bucket, Key="obj", Tagging=tag_set([(ASTRAL_LETTER * 128, ASTRAL_LETTER * 256)]))
    assert tags_of(s3, bucket, "obj") == [(ASTRAL_LETTER * 128, ASTRAL_LETTER * 256)]
    s3.put_object_tagging(Bucket=bucket, Key="obj", Tagging=tag_set([("Ωμέγα 日本語", "العربية ٣ +-=._:/@")]))
    assert tags_of(s3, bucket, "obj") == [("Ωμέγα 日本語", "العربية ٣ +-=._:/@")]


def test_case_sensitive_keys(s3, bucket):
    s3.put_object(Bucket=bucket, Key="obj", Body=b"x")
    s3.put_object_tagging(Bucket=bucket, Key="obj", Tagging=tag_set([("project", "b"), ("Project", "a")]))
    assert tags_of(s3, bucket, "obj") == [("Project", "a"), ("project", "b")]


def test_missing_key_and_bucket(s3, bucket):
    with pytest.raises(ClientError) as excinfo:
        s3.get_object_tagging(Bucket=bucket, Key="missing")
    assert error_of(excinfo)[:2] == (404, "NoSuchKey")
    with pytest.raises(ClientError) as excinfo:
        s3.put_object_tagging(Bucket=bucket, Key="missing", Tagging={"TagSet": []})
    assert error_of(excinfo)[:2] == (404, "NoSuchKey")
    with pytest.raises(ClientError) as excinfo:
        s3.delete_object_tagging(Bucket=bucket, Key="missing")
    assert error_of(excinfo)[:2] == (404, "NoSuchKey")
    with pytest.raises(ClientError) as excinfo:
        s3.get_object_tagging(Bucket=bucket + "-missing", Key="k")
    assert error_of(excinfo)[:2] == (404, "NoSuchBucket")


# ---- tags on write ----


def test_put_object_with_tagging_header(s3, bucket):
    # s3-tests' test_put_obj_with_tags: a key without '=' holds the empty value; the set comes back in key order
    s3.put_object(Bucket=bucket, Key="obj", Body=b"A" * 100, Tagging="foo=bar&bar")
    assert tags_of(s3, bucket, "obj") == [("bar", ""), ("foo", "bar")]
    s3.put_object(Bucket=bucket, Key="spaces", Body=b"x", Tagging="a+b=c%20d")
    assert tags_of(s3, bucket, "spaces") == [("a b", "c d")]


@pytest.mark.parametrize(
    "header, code",
    [("a=1&a=2", "InvalidArgument"), ("k!=v", "InvalidTag"), ("&".join("k%d=v" % i for i in range(11)), "BadRequest")],
)
def test_invalid_tagging_header_stores_nothing(s3, bucket, header, code):
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket=bucket, Key="obj", Body=b"x", Tagging=header)
    assert error_of(excinfo)[:2] == (400, code)
    with pytest.raises(ClientError) as excinfo:
        s3.head_object(Bucket=bucket, Key="obj")
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_copy_object_tagging_directive(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"x", Tagging="key1=value1")
    source = {"Bucket": bucket, "Key": "src"}
    s3.copy_object(Bucket=bucket, Key="default", CopySource=source, Tagging="key2=value2")
    assert tags_of(s3, bucket, "default") == [("key1", "value1")]
    s3.copy_object(Bucket=bucket, Key="copy", CopySource=source, TaggingDirective="COPY")
    assert tags_of(s3, bucket, "copy") == [("key1", "value1")]
    s3.copy_object(Bucket=bucket, Key="replace", CopySource=source, TaggingDirective="REPLACE", Tagging="key2=value2")
    assert tags_of(s3, bucket, "replace") == [("key2", "value2")]
    s3.copy_object(Bucket=bucket, Key="none", CopySource=source, TaggingDirective="REPLACE")
    assert tags_of(s3, bucket, "none") == []


def test_multipart_upload_tags_apply_on_completion(s3, bucket):
    # s3-tests' test_set_multipart_tagging
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mpu", Tagging="Hello=World&foo=bar")
    part = s3.upload_part(Bucket=bucket, Key="mpu", UploadId=upload["UploadId"], PartNumber=1, Body=b"x")
    s3.complete_multipart_upload(
        Bucket=bucket, Key="mpu", UploadId=upload["UploadId"],
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]},
    )
    assert tags_of(s3, bucket, "mpu") == [("Hello", "World"), ("foo", "bar")]
    assert s3.delete_object_tagging(Bucket=bucket, Key="mpu")["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert tags_of(s3, bucket, "mpu") == []


# ---- versioned buckets ----


def test_versions_have_their_own_tags(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    v1 = s3.put_object(Bucket=bucket, Key="obj", Body=b"1", Tagging="test_tag=tagv1")["VersionId"]
    v2 = s3.put_object(Bucket=bucket, Key="obj", Body=b"2")["VersionId"]

    response = s3.put_object_tagging(Bucket=bucket, Key="obj", Tagging=tag_set([("tag3", "tag3")]))
    assert response["VersionId"] == v2
    response = s3.get_object_tagging(Bucket=bucket, Key="obj", VersionId=v1)
    assert response["VersionId"] == v1
    assert [(t["Key"], t["Value"]) for t in response["TagSet"]] == [("test_tag", "tagv1")]

    assert s3.put_object_tagging(Bucket=bucket, Key="obj", VersionId=v1, Tagging=tag_set([("tag1", "tag1")]))["VersionId"] == v1
    assert tags_of(s3, bucket, "obj", v1) == [("tag1", "tag1")]
    assert tags_of(s3, bucket, "obj") == [("tag3", "tag3")]
    assert s3.head_object(Bucket=bucket, Key="obj", VersionId=v1)["ResponseMetadata"]["HTTPHeaders"]["x-amz-tagging-count"] == "1"

    marker = s3.delete_object(Bucket=bucket, Key="obj")["VersionId"]
    for version_id in (marker, None):
        kwargs = {"VersionId": version_id} if version_id else {}
        with pytest.raises(ClientError) as excinfo:
            s3.get_object_tagging(Bucket=bucket, Key="obj", **kwargs)
        assert error_of(excinfo)[:2] == (405, "MethodNotAllowed")
        with pytest.raises(ClientError) as excinfo:
            s3.put_object_tagging(Bucket=bucket, Key="obj", Tagging=tag_set([("a", "b")]), **kwargs)
        assert error_of(excinfo)[:2] == (405, "MethodNotAllowed")
        with pytest.raises(ClientError) as excinfo:
            s3.delete_object_tagging(Bucket=bucket, Key="obj", **kwargs)
        assert error_of(excinfo)[:2] == (405, "MethodNotAllowed")


def test_no_such_version(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket=bucket, Key="obj", Body=b"1")
    with pytest.raises(ClientError) as excinfo:
        s3.get_object_tagging(Bucket=bucket, Key="obj", VersionId="A" * 32)
    assert error_of(excinfo)[:2] == (404, "NoSuchVersion")


# ---- bucket tagging ----


def test_bucket_tagging(s3, bucket):
    # s3-tests' test_set_bucket_tagging, and the limits
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_tagging(Bucket=bucket)
    assert error_of(excinfo)[:2] == (404, "NoSuchTagSet")
    s3.put_bucket_tagging(Bucket=bucket, Tagging=tag_set([("Hello", "World")]))
    assert s3.get_bucket_tagging(Bucket=bucket)["TagSet"] == [{"Key": "Hello", "Value": "World"}]
    assert s3.delete_bucket_tagging(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_tagging(Bucket=bucket)
    assert error_of(excinfo)[:2] == (404, "NoSuchTagSet")

    s3.put_bucket_tagging(Bucket=bucket, Tagging=simple_tag_set(50))
    assert len(s3.get_bucket_tagging(Bucket=bucket)["TagSet"]) == 50
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_tagging(Bucket=bucket, Tagging=simple_tag_set(51))
    assert error_of(excinfo) == (400, "BadRequest", "Bucket tag count cannot be greater than 50")
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_tagging(Bucket=bucket, Tagging=tag_set([("aws:prefixed", "Val1")]))
    assert error_of(excinfo) == (400, "InvalidTag", "System tags cannot be added/updated by requester")


# ---- browser POST uploads ----


def post_url(server, bucket):
    return "%s/%s" % (server.endpoint, bucket)


XML_TWO_TAGS = (
    "<Tagging><TagSet><Tag><Key>0</Key><Value>0</Value></Tag>"
    "<Tag><Key>1</Key><Value>1</Value></Tag></TagSet></Tagging>"
)


def test_post_object_tags_v2_signature(s3, server, bucket):
    # s3-tests' test_post_object_tags_authenticated_request: the older form signature, every field a file part
    expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=6000)
    policy_document = {
        "expiration": expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "conditions": [
            {"bucket": bucket},
            ["starts-with", "$key", "foo"],
            {"acl": "private"},
            ["starts-with", "$Content-Type", "text/plain"],
            ["content-length-range", 0, 1024],
            ["starts-with", "$tagging", ""],
        ],
    }
    policy = base64.b64encode(json.dumps(policy_document).encode("utf-8"))
    signature = base64.b64encode(hmac.new(SECRET_KEY.encode("utf-8"), policy, hashlib.sha1).digest())
    payload = OrderedDict([
        ("key", "foo.txt"),
        ("AWSAccessKeyId", ACCESS_KEY),
        ("acl", "private"), ("signature", signature), ("policy", policy),
        ("tagging", XML_TWO_TAGS),
        ("Content-Type", "text/plain"),
        ("file", ("bar")),
    ])
    r = requests.post(post_url(server, bucket), files=payload)
    assert r.status_code == 204, r.text
    assert s3.get_object(Bucket=bucket, Key="foo.txt")["Body"].read() == b"bar"
    assert tags_of(s3, bucket, "foo.txt") == [("0", "0"), ("1", "1")]


def test_post_object_tags_sigv4_presigned_post(s3, server, bucket):
    presigned = s3.generate_presigned_post(
        Bucket=bucket, Key="up/${filename}", Fields={"tagging": XML_TWO_TAGS},
        Conditions=[["starts-with", "$key", "up/"], {"tagging": XML_TWO_TAGS}], ExpiresIn=600,
    )
    r = requests.post(presigned["url"], data=presigned["fields"], files={"file": ("hello.txt", b"hello")})
    assert r.status_code == 204, r.text
    assert tags_of(s3, bucket, "up/hello.txt") == [("0", "0"), ("1", "1")]
    assert s3.head_object(Bucket=bucket, Key="up/hello.txt")["ResponseMetadata"]["HTTPHeaders"]["x-amz-tagging-count"] == "2"


@pytest.mark.parametrize(
    "tagging, code",
    [
        ("not-xml", "MalformedXML"),
        ("<Tagging><TagSet>" + "".join("<Tag><Key>k%d</Key><Value>v</Value></Tag>" % i for i in range(11)) + "</TagSet></Tagging>", "BadRequest"),
        ("<Tagging><TagSet><Tag><Key>bad*key</Key><Value>v</Value></Tag></TagSet></Tagging>", "InvalidTag"),
    ],
)
def test_post_object_invalid_tagging_stores_nothing(s3, server, bucket, tagging, code):
    presigned = s3.generate_presigned_post(
        Bucket=bucket, Key="obj", Fields={"tagging": tagging}, Conditions=[{"tagging": tagging}], ExpiresIn=600,
    )
    r = requests.post(presigned["url"], data=presigned["fields"], files={"file": ("f", b"data")})
    assert r.status_code == 400, r.text
    assert "<Code>%s</Code>" % code in r.text
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="obj")


def test_post_object_anonymous_is_denied(s3, server, bucket):
    payload = OrderedDict([("key", "foo.txt"), ("tagging", XML_TWO_TAGS), ("file", ("bar"))])
    r = requests.post(post_url(server, bucket), files=payload)
    assert r.status_code == 403
    assert "<Code>AccessDenied</Code>" in r.text
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="foo.txt")


# ---- the aws CLI ----


def test_cli_object_tagging(aws, s3, bucket):
    s3.put_object(Bucket=bucket, Key="cli", Body=b"x")
    aws("s3api", "put-object-tagging", "--bucket", bucket, "--key", "cli",
        "--tagging", json.dumps({"TagSet": [{"Key": "team", "Value": "blue"}, {"Key": "env", "Value": "prod"}]}))
    out = json.loads(aws("s3api", "get-object-tagging", "--bucket", bucket, "--key", "cli").stdout)
    assert out["TagSet"] == [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "blue"}]
    aws("s3api", "delete-object-tagging", "--bucket", bucket, "--key", "cli")
    out = json.loads(aws("s3api", "get-object-tagging", "--bucket", bucket, "--key", "cli").stdout)
    assert out["TagSet"] == []

    failed = aws("s3api", "put-object-tagging", "--bucket", bucket, "--key", "cli",
                 "--tagging", json.dumps({"TagSet": [{"Key": "k%d" % i, "Value": "v"} for i in range(11)]}), check=False)
    assert failed.returncode != 0
    assert "BadRequest" in failed.stderr and "Object tags cannot be greater than 10" in failed.stderr


def test_cli_put_object_with_tagging_and_head_count(aws, s3, bucket, tmp_path):
    body = tmp_path / "body.txt"
    body.write_text("hello")
    aws("s3api", "put-object", "--bucket", bucket, "--key", "tagged", "--body", str(body), "--tagging", "a=1&b=2")
    head = json.loads(aws("s3api", "head-object", "--bucket", bucket, "--key", "tagged").stdout)
    assert head["TagCount"] == 2
    assert tags_of(s3, bucket, "tagged") == [("a", "1"), ("b", "2")]


def test_cli_bucket_tagging(aws, bucket):
    aws("s3api", "put-bucket-tagging", "--bucket", bucket, "--tagging", "TagSet=[{Key=owner,Value=ops}]")
    out = json.loads(aws("s3api", "get-bucket-tagging", "--bucket", bucket).stdout)
    assert out["TagSet"] == [{"Key": "owner", "Value": "ops"}]
    aws("s3api", "delete-bucket-tagging", "--bucket", bucket)
    failed = aws("s3api", "get-bucket-tagging", "--bucket", bucket, check=False)
    assert failed.returncode != 0 and "NoSuchTagSet" in failed.stderr
