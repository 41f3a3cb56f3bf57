"""Multipart uploads through boto3 (low-level calls and the managed transfer) and the aws CLI."""
import base64
import hashlib
import json
import os
import zlib

import pytest
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

MIB = 1024 * 1024


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(MIB), b""):
            h.update(chunk)
    return h.hexdigest()


def multipart_etag(parts):
    h = hashlib.md5()
    for p in parts:
        h.update(hashlib.md5(p).digest())
    return '"%s-%d"' % (h.hexdigest(), len(parts))


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def test_low_level_multipart_upload(s3, bucket):
    part1 = os.urandom(5 * MIB)
    part2 = b"the last part"
    created = s3.create_multipart_upload(
        Bucket=bucket, Key="low/level", ContentType="text/x-test", Metadata={"k": "v"}, Tagging="a=1&b=2"
    )
    upload_id = created["UploadId"]
    r1 = s3.upload_part(Bucket=bucket, Key="low/level", UploadId=upload_id, PartNumber=1, Body=part1)
    r2 = s3.upload_part(Bucket=bucket, Key="low/level", UploadId=upload_id, PartNumber=2, Body=part2)
    assert r1["ETag"] == '"%s"' % hashlib.md5(part1).hexdigest()

    listed = s3.list_parts(Bucket=bucket, Key="low/level", UploadId=upload_id)
    assert [p["PartNumber"] for p in listed["Parts"]] == [1, 2]
    assert [p["Size"] for p in listed["Parts"]] == [len(part1), len(part2)]
    assert listed["IsTruncated"] is False

    done = s3.complete_multipart_upload(
        Bucket=bucket,
        Key="low/level",
        UploadId=upload_id,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": r1["ETag"]}, {"PartNumber": 2, "ETag": r2["ETag"]}]},
    )
    assert done["ETag"] == multipart_etag([part1, part2])

    head = s3.head_object(Bucket=bucket, Key="low/level")
    assert head["ContentLength"] == len(part1) + len(part2)
    assert head["ContentType"] == "text/x-test"
    assert head["Metadata"] == {"k": "v"}
    assert s3.get_object(Bucket=bucket, Key="low/level")["Body"].read() == part1 + part2
    second = s3.get_object(Bucket=bucket, Key="low/level", PartNumber=2)
    assert second["PartsCount"] == 2
    assert second["Body"].read() == part2
    tags = s3.get_object_tagging(Bucket=bucket, Key="low/level")["TagSet"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("a", "1"), ("b", "2")]


def test_completion_errors(s3, bucket):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="errs")["UploadId"]
    r1 = s3.upload_part(Bucket=bucket, Key="errs", UploadId=upload_id, PartNumber=1, Body=b"small")
    r2 = s3.upload_part(Bucket=bucket, Key="errs", UploadId=upload_id, PartNumber=2, Body=b"small too")
    parts = [{"PartNumber": 1, "ETag": r1["ETag"]}, {"PartNumber": 2, "ETag": r2["ETag"]}]

    with pytest.raises(ClientError) as e:
        s3.complete_multipart_upload(Bucket=bucket, Key="errs", UploadId=upload_id, MultipartUpload={"Parts": parts})
    assert error_code(e) == "EntityTooSmall"
    with pytest.raises(ClientError) as e:
        s3.complete_multipart_upload(
            Bucket=bucket, Key="errs", UploadId=upload_id, MultipartUpload={"Parts": list(reversed(parts))}
        )
    assert error_code(e) == "InvalidPartOrder"
    with pytest.raises(ClientError) as e:
        s3.complete_multipart_upload(
            Bucket=bucket,
            Key="errs",
            UploadId=upload_id,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": '"00000000000000000000000000000000"'}]},
        )
    assert error_code(e) == "InvalidPart"
    with pytest.raises(ClientError) as e:
        s3.upload_part(Bucket=bucket, Key="errs", UploadId=upload_id, PartNumber=10001, Body=b"x")
    assert error_code(e) == "InvalidArgument"

    s3.abort_multipart_upload(Bucket=bucket, Key="errs", UploadId=upload_id)
    with pytest.raises(ClientError) as e:
        s3.list_parts(Bucket=bucket, Key="errs", UploadId=upload_id)
    assert error_code(e) == "NoSuchUpload"


def test_upload_file_and_download_file(s3, bucket, tmp_path):
    src = tmp_path / "thirty.bin"
    src.write_bytes(os.urandom(30 * MIB))
    config = TransferConfig(multipart_threshold=5 * MIB)
    s3.upload_file(str(src), bucket, "managed/thirty.bin", Config=config)

    head = s3.head_object(Bucket=bucket, Key="managed/thirty.bin")
    assert head["ContentLength"] == 30 * MIB
    data = src.read_bytes()
    chunk = config.multipart_chunksize
    assert head["ETag"] == multipart_etag([data[i : i + chunk] for i in range(0, len(data), chunk)])

    dst = tmp_path / "back.bin"
    s3.download_file(bucket, "managed/thirty.bin", str(dst), Config=config)
    assert sha256_file(dst) == sha256_file(src)


def test_cli_cp_100_mib_round_trip(aws, bucket, tmp_path):
    src = tmp_path / "hundred.bin"
    with open(src, "wb") as f:
        for _ in range(10):
            f.write(os.urandom(10 * MIB))
    aws("s3", "cp", str(src), "s3://%s/cli/hundred.bin" % bucket)
    head = json.loads(aws("s3api", "head-object", "--bucket", bucket, "--key", "cli/hundred.bin").stdout)
    assert head["ContentLength"] == 100 * MIB
    assert head["ETag"].endswith('-13"')  # 8 MiB parts

    dst = tmp_path / "hundred.back"
    aws("s3", "cp", "s3://%s/cli/hundred.bin" % bucket, str(dst))
    assert sha256_file(dst) == sha256_file(src)


def test_cli_list_multipart_uploads(aws, s3, bucket):
    ids = {}
    for key in ["lmu/b", "lmu/a", "lmu/a", "other"]:
        ids.setdefault(key, []).append(s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"])

    out = json.loads(aws("s3api", "list-multipart-uploads", "--bucket", bucket, "--prefix", "lmu/").stdout)
    assert [u["Key"] for u in out["Uploads"]] == ["lmu/a", "lmu/a", "lmu/b"]
    assert [u["UploadId"] for u in out["Uploads"]] == ids["lmu/a"] + ids["lmu/b"]
    assert all(u["StorageClass"] == "STANDARD" for u in out["Uploads"])

    # the CLI paginates through NextKeyMarker / NextUploadIdMarker
    paged = json.loads(aws("s3api", "list-multipart-uploads", "--bucket", bucket, "--page-size", "1").stdout)
    assert [u["Key"] for u in paged["Uploads"]] == ["lmu/a", "lmu/a", "lmu/b", "other"]

    grouped = json.loads(aws("s3api", "list-multipart-uploads", "--bucket", bucket, "--delimiter", "/").stdout)
    assert [p["Prefix"] for p in grouped["CommonPrefixes"]] == ["lmu/"]
    assert [u["Key"] for u in grouped["Uploads"]] == ["other"]

    for key, upload_ids in ids.items():
        for upload_id in upload_ids:
            aws("s3api", "abort-multipart-upload", "--bucket", bucket, "--key", key, "--upload-id", upload_id)
    out = aws("s3api", "list-multipart-uploads", "--bucket", bucket).stdout.strip()
    assert out == "" or "Uploads" not in json.loads(out)


def test_upload_file_with_full_object_checksum(s3, bucket, tmp_path):
    """s3transfer sends a caller's full-object CRC32 on CreateMultipartUpload (FULL_OBJECT) and CompleteMultipartUpload."""
    src = tmp_path / "full.bin"
    data = os.urandom(12 * MIB)
    src.write_bytes(data)
    crc = base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()
    s3.upload_file(
        str(src), bucket, "managed/full.bin", ExtraArgs={"ChecksumCRC32": crc}, Config=TransferConfig(multipart_threshold=5 * MIB)
    )
    head = s3.head_object(Bucket=bucket, Key="managed/full.bin", ChecksumMode="ENABLED")
    assert head["ChecksumCRC32"] == crc
    assert head["ChecksumType"] == "FULL_OBJECT"
