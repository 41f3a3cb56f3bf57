"""Object operations through boto3 and the aws CLI: put/get/range/conditional/copy/delete_objects,
`aws s3 cp` and `aws s3 sync`."""
import hashlib
import os
import re
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError


def error_of(excinfo):
    err = excinfo.value.response
    return err["Error"].get("Code"), err["ResponseMetadata"]["HTTPStatusCode"]


def md5(data):
    return hashlib.md5(data).hexdigest()


def test_put_get_head(s3, bucket):
    data = b"hello from boto3"
    put = s3.put_object(Bucket=bucket, Key="dir/file.txt", Body=data, ContentType="text/plain",
                        Metadata={"color": "blue"}, CacheControl="no-cache")
    assert put["ETag"] == '"%s"' % md5(data)
    got = s3.get_object(Bucket=bucket, Key="dir/file.txt")
    assert got["Body"].read() == data
    assert got["ContentType"] == "text/plain"
    assert got["Metadata"] == {"color": "blue"}
    assert got["CacheControl"] == "no-cache"
    assert got["ContentLength"] == len(data)
    head = s3.head_object(Bucket=bucket, Key="dir/file.txt")
    assert head["ETag"] == put["ETag"]
    assert head["ContentLength"] == len(data)


def test_keys_are_stored_exactly(s3, bucket):
    for key in ["../../etc/passwd", "a//b", "ünïcödé/文件 名", "k" * 1024, "trailing/"]:
        s3.put_object(Bucket=bucket, Key=key, Body=key.encode())
        assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == key.encode()
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="k" * 1025, Body=b"x")
    assert error_of(e) == ("KeyTooLongError", 400)


def test_missing_key(s3, bucket):
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="nope")
    assert error_of(e) == ("NoSuchKey", 404)
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="nope")
    assert error_of(e)[1] == 404


def test_range(s3, bucket):
    s3.put_object(Bucket=bucket, Key="digits", Body=b"0123456789")
    got = s3.get_object(Bucket=bucket, Key="digits", Range="bytes=2-5")
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert got["ContentRange"] == "bytes 2-5/10"
    assert got["Body"].read() == b"2345"
    assert s3.get_object(Bucket=bucket, Key="digits", Range="bytes=-3")["Body"].read() == b"789"
    assert s3.get_object(Bucket=bucket, Key="digits", Range="bytes=8-")["Body"].read() == b"89"
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="digits", Range="bytes=10-")
    assert error_of(e) == ("InvalidRange", 416)


def test_conditional_get(s3, bucket):
    put = s3.put_object(Bucket=bucket, Key="cond", Body=b"x")
    etag = put["ETag"]
    modified = s3.head_object(Bucket=bucket, Key="cond")["LastModified"]
    assert s3.get_object(Bucket=bucket, Key="cond", IfMatch=etag)["Body"].read() == b"x"
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="cond", IfMatch='"other"')
    assert error_of(e) == ("PreconditionFailed", 412)
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="cond", IfNoneMatch=etag)
    assert error_of(e)[1] == 304
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="cond", IfModifiedSince=modified)
    assert error_of(e)[1] == 304
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="cond", IfUnmodifiedSince=modified - timedelta(minutes=1))
    assert error_of(e) == ("PreconditionFailed", 412)


def test_copy(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"copy body", ContentType="text/x-src", Metadata={"a": "1"})
    out = s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"})
    assert out["CopyObjectResult"]["ETag"] == '"%s"' % md5(b"copy body")
    got = s3.get_object(Bucket=bucket, Key="dst")
    assert got["Body"].read() == b"copy body"
    assert got["ContentType"] == "text/x-src"
    assert got["Metadata"] == {"a": "1"}
    s3.copy_object(Bucket=bucket, Key="dst2", CopySource="%s/src" % bucket, MetadataDirective="REPLACE",
                   Metadata={"b": "2"}, ContentType="text/x-new")
    head = s3.head_object(Bucket=bucket, Key="dst2")
    assert head["Metadata"] == {"b": "2"}
    assert head["ContentType"] == "text/x-new"
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="src", CopySource={"Bucket": bucket, "Key": "src"})
    assert error_of(e) == ("InvalidRequest", 400)
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="x", CopySource={"Bucket": bucket, "Key": "src"}, CopySourceIfMatch='"no"')
    assert error_of(e) == ("PreconditionFailed", 412)
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="x", CopySource={"Bucket": bucket, "Key": "missing"})
    assert error_of(e) == ("NoSuchKey", 404)


def test_delete_objects(s3, bucket):
    keys = ["del/%d" % i for i in range(25)]
    for k in keys:
        s3.put_object(Bucket=bucket, Key=k, Body=k.encode())
    out = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys + ["never"]]})
    assert sorted(d["Key"] for d in out["Deleted"]) == sorted(keys + ["never"])
    assert "Errors" not in out
    for k in keys:
        with pytest.raises(ClientError):
            s3.head_object(Bucket=bucket, Key=k)
    quiet = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "x"}], "Quiet": True})
    assert "Deleted" not in quiet


def test_delete_objects_versioned(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    v = s3.put_object(Bucket=bucket, Key="v", Body=b"1")["VersionId"]
    s3.put_object(Bucket=bucket, Key="m", Body=b"1")
    out = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "m"}, {"Key": "v", "VersionId": v}]})
    by_key = {d["Key"]: d for d in out["Deleted"]}
    assert by_key["m"]["DeleteMarker"] is True
    assert by_key["m"]["DeleteMarkerVersionId"]
    assert by_key["v"]["VersionId"] == v


def test_delete_object(s3, bucket):
    s3.put_object(Bucket=bucket, Key="gone", Body=b"x")
    assert s3.delete_object(Bucket=bucket, Key="gone")["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert s3.delete_object(Bucket=bucket, Key="gone")["ResponseMetadata"]["HTTPStatusCode"] == 204


def test_cli_cp_small_file(aws, bucket, tmp_path):
    src = tmp_path / "small.bin"
    data = os.urandom(100 * 1024)
    src.write_bytes(data)
    aws("s3", "cp", str(src), "s3://%s/cli/small.bin" % bucket)
    dst = tmp_path / "back.bin"
    aws("s3", "cp", "s3://%s/cli/small.bin" % bucket, str(dst))
    assert dst.read_bytes() == data


def test_cli_sync_folder(aws, s3, bucket, tmp_path):
    up = tmp_path / "up"
    (up / "nested" / "deeper").mkdir(parents=True)
    files = {}
    for i in range(20):
        rel = ("nested/deeper/f%02d.txt" if i % 3 == 0 else "nested/f%02d.txt" if i % 3 == 1 else "f%02d.txt") % i
        data = os.urandom(1000 + i * 517)
        (up / rel).write_bytes(data)
        files[rel] = data
    aws("s3", "sync", str(up), "s3://%s/synced" % bucket)
    listed = aws("s3", "ls", "--recursive", "s3://%s/synced/" % bucket).stdout
    assert len([line for line in listed.splitlines() if line.strip()]) == 20
    down = tmp_path / "down"
    aws("s3", "sync", "s3://%s/synced" % bucket, str(down))
    for rel, data in files.items():
        assert (down / rel).read_bytes() == data, rel
    # a second sync has nothing to do
    again = aws("s3", "sync", str(up), "s3://%s/synced" % bucket)
    assert "upload:" not in again.stdout


def multipart_available(s3, bucket):
    try:
        upload = s3.create_multipart_upload(Bucket=bucket, Key="probe")
    except ClientError as e:
        if e.response["ResponseMetadata"]["HTTPStatusCode"] in (405, 501):
            return False
        raise
    s3.abort_multipart_upload(Bucket=bucket, Key="probe", UploadId=upload["UploadId"])
    return True


def test_cli_cp_large_file_multipart(aws, s3, bucket, tmp_path):
    if not multipart_available(s3, bucket):
        pytest.skip("multipart uploads (CompleteMultipartUpload) are not served yet")
    src = tmp_path / "large.bin"
    with open(src, "wb") as f:
        for _ in range(100):
            f.write(os.urandom(1024 * 1024))
    aws("s3", "cp", str(src), "s3://%s/cli/large.bin" % bucket)
    head = s3.head_object(Bucket=bucket, Key="cli/large.bin")
    assert head["ContentLength"] == 100 * 1024 * 1024
    assert re.match(r'^"[0-9a-f]{32}-[0-9]+"$', head["ETag"]), head["ETag"]
    dst = tmp_path / "large-back.bin"
    aws("s3", "cp", "s3://%s/cli/large.bin" % bucket, str(dst))
    with open(src, "rb") as a, open(dst, "rb") as b:
        assert hashlib.sha256(a.read()).digest() == hashlib.sha256(b.read()).digest()
