"""Storage figures (`tessera stats`, docs/metrics.md "Storage figures") after writes made with boto3 and the aws CLI:
a server of its own with TESSERA_METRICS_TAG_KEYS=project,classification; objects written with tags, a tag change
moving an object from one value to another, overwrites in a versioned bucket, delete markers, deleting versions, a
multipart upload; after each, the exact figures the CLI prints (JSON and table)."""
import json
import os
import shutil
import subprocess
import tempfile
import uuid

import pytest

from conftest import ACCESS_KEY, ROOT, SECRET_KEY, make_client, start_server


@pytest.fixture(scope="module")
def stats_server():
    data_dir = tempfile.mkdtemp(prefix="tessera-pytest-stats-")
    srv = start_server(data_dir, {"TESSERA_METRICS_TAG_KEYS": "project, classification"})
    yield srv
    srv.proc.terminate()
    try:
        srv.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        srv.proc.kill()
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def s3s(stats_server):
    return make_client(stats_server)


def cli(server, *args, check=True):
    env = dict(os.environ, AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY, TESSERA_ENDPOINT=server.endpoint)
    proc = subprocess.run(["node", os.path.join(ROOT, "dist/src/cli/main.js"), "stats", *args],
                          env=env, capture_output=True, text=True, timeout=60)
    if check and proc.returncode != 0:
        raise AssertionError("tessera stats %s failed (%d): %s" % (" ".join(args), proc.returncode, proc.stderr))
    return proc


def stats(server, bucket, by_tag=None):
    args = ["s3://" + bucket, "--json"] + (["--by-tag", by_tag] if by_tag else [])
    return json.loads(cli(server, *args).stdout)


def by_tag(server, bucket, key):
    b = stats(server, bucket, key)["byTag"]
    return b["tracked"], {v["value"]: (v["objects"], v["bytes"]) for v in b["values"]}, (b["untagged"]["objects"], b["untagged"]["bytes"])


def figures(server, bucket):
    s = stats(server, bucket)
    return (s["objects"], s["objectBytes"], s["versions"], s["versionBytes"], s["deleteMarkers"])


def aws_cli(server, tmp_path, *args):
    env = dict(os.environ, AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY, AWS_DEFAULT_REGION="us-east-1",
               AWS_CONFIG_FILE=str(tmp_path / "aws-config"), AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "aws-credentials"))
    (tmp_path / "aws-config").write_text("[default]\ns3 =\n    addressing_style = path\n")
    proc = subprocess.run(["aws", "--endpoint-url", server.endpoint, *args], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc


def test_unversioned_bucket_tags_move_between_values(stats_server, s3s, tmp_path):
    bucket = "py-stats-" + uuid.uuid4().hex[:12]
    s3s.create_bucket(Bucket=bucket)
    assert figures(stats_server, bucket) == (0, 0, 0, 0, 0)
    s3s.put_object(Bucket=bucket, Key="a", Body=b"x" * 100, Tagging="project=apollo&classification=internal")
    s3s.put_object(Bucket=bucket, Key="b", Body=b"x" * 200, Tagging="project=apollo")
    s3s.put_object(Bucket=bucket, Key="c", Body=b"x" * 300, Tagging="project=gemini&owner=ops")
    body = tmp_path / "d.bin"
    body.write_bytes(b"y" * 400)
    aws_cli(stats_server, tmp_path, "s3api", "put-object", "--bucket", bucket, "--key", "d", "--body", str(body))
    assert figures(stats_server, bucket) == (4, 1000, 4, 1000, 0)
    assert by_tag(stats_server, bucket, "project") == (True, {"apollo": (2, 300), "gemini": (1, 300)}, (1, 400))
    assert by_tag(stats_server, bucket, "classification") == (True, {"internal": (1, 100)}, (3, 900))
    # an untracked key is counted from the tag index
    assert by_tag(stats_server, bucket, "owner") == (False, {"ops": (1, 300)}, (3, 700))

    # a tag change moves b from apollo to gemini; the aws CLI tags d
    s3s.put_object_tagging(Bucket=bucket, Key="b", Tagging={"TagSet": [{"Key": "project", "Value": "gemini"}]})
    aws_cli(stats_server, tmp_path, "s3api", "put-object-tagging", "--bucket", bucket, "--key", "d",
            "--tagging", "TagSet=[{Key=project,Value=apollo}]")
    assert by_tag(stats_server, bucket, "project") == (True, {"apollo": (2, 500), "gemini": (2, 500)}, (0, 0))
    # an overwrite with a new size and no tags; a tag delete
    s3s.put_object(Bucket=bucket, Key="a", Body=b"x" * 50)
    s3s.delete_object_tagging(Bucket=bucket, Key="c")
    assert figures(stats_server, bucket) == (4, 950, 4, 950, 0)
    assert by_tag(stats_server, bucket, "project") == (True, {"apollo": (1, 400), "gemini": (1, 200)}, (2, 350))
    assert by_tag(stats_server, bucket, "classification") == (True, {}, (4, 950))
    # deletes
    s3s.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "b"}, {"Key": "d"}]})
    aws_cli(stats_server, tmp_path, "s3", "rm", "s3://%s/c" % bucket)
    assert figures(stats_server, bucket) == (1, 50, 1, 50, 0)
    assert by_tag(stats_server, bucket, "project") == (True, {}, (1, 50))


def test_versioned_bucket_delete_markers_and_promotion(stats_server, s3s):
    bucket = "py-stats-" + uuid.uuid4().hex[:12]
    s3s.create_bucket(Bucket=bucket)
    s3s.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    v1 = s3s.put_object(Bucket=bucket, Key="k", Body=b"1" * 10, Tagging="project=old")["VersionId"]
    v2 = s3s.put_object(Bucket=bucket, Key="k", Body=b"2" * 20, Tagging="project=new")["VersionId"]
    assert figures(stats_server, bucket) == (1, 20, 2, 30, 0)
    assert by_tag(stats_server, bucket, "project") == (True, {"new": (1, 20)}, (0, 0))
    marker = s3s.delete_object(Bucket=bucket, Key="k")["VersionId"]
    assert figures(stats_server, bucket) == (0, 0, 2, 30, 1)
    assert by_tag(stats_server, bucket, "project") == (True, {}, (0, 0))
    s3s.delete_object(Bucket=bucket, Key="k", VersionId=marker)  # v2 current again
    assert figures(stats_server, bucket) == (1, 20, 2, 30, 0)
    assert by_tag(stats_server, bucket, "project") == (True, {"new": (1, 20)}, (0, 0))
    s3s.delete_object(Bucket=bucket, Key="k", VersionId=v2)  # v1 promoted, with its tags
    assert figures(stats_server, bucket) == (1, 10, 1, 10, 0)
    assert by_tag(stats_server, bucket, "project") == (True, {"old": (1, 10)}, (0, 0))

    # a multipart upload with tags
    up = s3s.create_multipart_upload(Bucket=bucket, Key="big", Tagging="project=new")
    part = s3s.upload_part(Bucket=bucket, Key="big", UploadId=up["UploadId"], PartNumber=1, Body=b"z" * 1000)
    s3s.complete_multipart_upload(Bucket=bucket, Key="big", UploadId=up["UploadId"],
                                  MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert figures(stats_server, bucket) == (2, 1010, 2, 1010, 0)
    assert by_tag(stats_server, bucket, "project") == (True, {"new": (1, 1000), "old": (1, 10)}, (0, 0))

    # the table
    out = cli(stats_server, "s3://" + bucket, "--by-tag", "project").stdout.splitlines()
    assert out[0] == "s3://" + bucket
    assert out[2].split() == ["objects", "(current)", "2", "1010", "B"]
    assert out[3].split() == ["versions", "(all)", "2", "1010", "B"]
    assert out[4].split() == ["delete", "markers", "0"]
    assert out[6] == "current objects by tag 'project'"
    assert [line.split() for line in out[8:]] == [["new", "1", "1000", "B"], ["old", "1", "10", "B"], ["(no", "such", "tag)", "0", "0", "B"]]

    # emptied: zeros; deleted: gone
    s3s.delete_object(Bucket=bucket, Key="k", VersionId=v1)
    for v in s3s.list_object_versions(Bucket=bucket).get("Versions", []):
        s3s.delete_object(Bucket=bucket, Key=v["Key"], VersionId=v["VersionId"])
    assert figures(stats_server, bucket) == (0, 0, 0, 0, 0)
    s3s.delete_bucket(Bucket=bucket)
    proc = cli(stats_server, "s3://" + bucket, check=False)
    assert proc.returncode == 1
    assert "NoSuchBucket" in proc.stderr
