"""The audit log (docs/audit-log.md), seen from boto3, the aws CLI and raw HTTP: one CloudTrail-shaped JSON line per
request, denied requests included, nothing lost when the file rotates, no secret or signature ever written, and a
bucket's audit configuration filtering its data events by prefix and by the object's tags at the time."""
import glob
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import ACCESS_KEY, ROOT, SECRET_KEY, make_client, start_server

CLI = os.path.join(ROOT, "dist/src/cli/main.js")


@pytest.fixture(scope="module")
def audited():
    data_dir = tempfile.mkdtemp(prefix="tessera-audit-")
    log_dir = os.path.join(data_dir, "audit")
    # a small rotation size, so the workload below rotates the file many times
    srv = start_server(os.path.join(data_dir, "data"), {
        "TESSERA_AUDIT_LOG": os.path.join(log_dir, "audit.log"),
        "TESSERA_AUDIT_LOG_MAX_SIZE": "16k",
    })
    srv.log_dir = log_dir
    yield srv
    srv.proc.terminate()
    try:
        srv.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        srv.proc.kill()
    shutil.rmtree(data_dir, ignore_errors=True)


def raw_log(srv):
    out = b""
    for path in sorted(glob.glob(os.path.join(srv.log_dir, "audit.*.log"))):
        with open(path, "rb") as f:
            out += f.read()
    return out


def records(srv):
    return [json.loads(line) for line in raw_log(srv).decode("utf-8").splitlines() if line.strip()]


def wait_for(srv, request_ids, timeout=5.0):
    """The records of these request ids, once every one has been written (records are flushed every 250 ms)."""
    wanted = set(request_ids)
    deadline = time.time() + timeout
    while True:
        found = [r for r in records(srv) if r["requestID"] in wanted]
        if {r["requestID"] for r in found} >= wanted or time.time() > deadline:
            return found
        time.sleep(0.1)


def rid(response_or_error):
    meta = response_or_error.response["ResponseMetadata"] if isinstance(response_or_error, ClientError) else response_or_error["ResponseMetadata"]
    return meta["RequestId"]


def iam_client(srv):
    return boto3.client("iam", endpoint_url=srv.endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name="us-east-1")


def new_bucket(s3):
    name = "audit-" + uuid.uuid4().hex[:12]
    s3.create_bucket(Bucket=name)
    return name


def test_every_request_once_denied_included_and_rotation_loses_nothing(audited):
    s3 = make_client(audited)
    iam = iam_client(audited)
    user = "auditee-" + uuid.uuid4().hex[:8]
    iam.create_user(UserName=user)
    key = iam.create_access_key(UserName=user)["AccessKey"]
    alice = make_client(audited, key["AccessKeyId"], key["SecretAccessKey"])
    ids = []
    bucket = "audit-" + uuid.uuid4().hex[:12]
    ids.append(rid(s3.create_bucket(Bucket=bucket)))
    for i in range(60):
        ids.append(rid(s3.put_object(Bucket=bucket, Key="k/%03d" % i, Body=b"x" * i, Tagging="n=%d" % i)))
        ids.append(rid(s3.get_object(Bucket=bucket, Key="k/%03d" % i)))
    ids.append(rid(s3.list_objects_v2(Bucket=bucket, Prefix="k/")))
    ids.append(rid(s3.head_object(Bucket=bucket, Key="k/001")))
    denied = []
    for _ in range(3):
        with pytest.raises(ClientError) as err:
            alice.get_object(Bucket=bucket, Key="k/001")
        denied.append(rid(err.value))
    with pytest.raises(ClientError) as missing:
        s3.get_object(Bucket=bucket, Key="absent")
    ids.extend(denied + [rid(missing.value)])
    # anonymous and presigned requests, from plain HTTP
    anonymous = None
    try:
        urllib.request.urlopen("%s/%s/k/001" % (audited.endpoint, bucket))
    except urllib.error.HTTPError as e:
        anonymous = e.headers["x-amz-request-id"]
    url = make_client(audited, signature_version="s3v4").generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k/002"}, ExpiresIn=300)
    with urllib.request.urlopen(url) as r:
        presigned = r.headers["x-amz-request-id"]
    ids.extend([anonymous, presigned])

    found = wait_for(audited, ids)
    by_id = {}
    for r in found:
        by_id.setdefault(r["requestID"], []).append(r)
    assert sorted(by_id) == sorted(ids), "every request is in the log"
    assert all(len(v) == 1 for v in by_id.values()), "and only once"
    for d in denied:
        r = by_id[d][0]
        assert (r["eventName"], r["httpStatus"], r["errorCode"]) == ("GetObject", 403, "AccessDenied")
        assert r["userIdentity"]["type"] == "IAMUser" and r["userIdentity"]["userName"] == user
        assert r["userIdentity"]["accessKeyId"] == key["AccessKeyId"]
        assert r["eventCategory"] == "Data" and r["requestParameters"] == {"bucketName": bucket, "key": "k/001"}
    assert by_id[anonymous][0]["userIdentity"]["type"] == "Anonymous"
    assert by_id[anonymous][0]["errorCode"] == "AccessDenied"
    assert by_id[presigned][0]["userIdentity"]["type"] == "Root"
    assert by_id[presigned][0]["additionalEventData"]["bytesTransferredOut"] == 2
    assert by_id[rid(missing.value)][0]["errorCode"] == "NoSuchKey"
    create = by_id[ids[0]][0]
    assert (create["eventName"], create["eventCategory"], create["readOnly"]) == ("CreateBucket", "Management", False)
    put = [r for r in found if r["eventName"] == "PutObject" and r["requestParameters"]["key"] == "k/059"][0]
    assert put["additionalEventData"]["bytesTransferredIn"] == 59
    assert "objectTags" not in put["additionalEventData"], "tags only when the bucket's audit configuration asks"
    files = glob.glob(os.path.join(audited.log_dir, "audit.*.log"))
    assert len(files) >= 3, "the 16 KiB limit rotated the file: %r" % files
    for path in files:
        with open(path, "rb") as f:
            for line in f.read().splitlines():
                json.loads(line)  # no record is split across files


def test_no_secret_or_signature_is_ever_written(audited):
    s3 = make_client(audited)
    iam = iam_client(audited)
    user = "secretive-" + uuid.uuid4().hex[:8]
    iam.create_user(UserName=user)
    key = iam.create_access_key(UserName=user)["AccessKey"]
    signatures = []

    def capture(request, **_):
        auth = request.headers.get("Authorization")
        if auth is not None:
            signatures.append(auth.decode() if isinstance(auth, bytes) else auth)

    s3.meta.events.register("before-send.s3", capture)
    bucket = new_bucket(s3)
    ids = [rid(s3.put_object(Bucket=bucket, Key="s", Body=b"secret body"))]
    url = make_client(audited, signature_version="s3v4").generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "s"}, ExpiresIn=300)
    with urllib.request.urlopen(url) as r:
        ids.append(r.headers["x-amz-request-id"])
    alice = make_client(audited, key["AccessKeyId"], key["SecretAccessKey"])
    with pytest.raises(ClientError) as err:
        alice.put_object(Bucket=bucket, Key="t", Body=b"x")
    ids.append(rid(err.value))
    wait_for(audited, ids)
    raw = raw_log(audited).decode("utf-8")
    assert SECRET_KEY not in raw
    assert key["SecretAccessKey"] not in raw
    assert "X-Amz-Signature" not in raw and "Signature=" not in raw and "AWS4-HMAC-SHA256" not in raw
    presigned_signature = url.split("X-Amz-Signature=")[1].split("&")[0]
    assert presigned_signature not in raw
    assert signatures, "the client signed its requests"
    for auth in signatures:
        assert auth.split("Signature=")[1] not in raw
    assert "secret body" not in raw


def test_bucket_audit_configuration_filters_by_prefix_and_tags_at_the_time(audited, tmp_path):
    s3 = make_client(audited)
    bucket = new_bucket(s3)
    env = dict(os.environ, AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY)

    def cli(*args):
        return subprocess.run(["node", CLI, "audit", *args, "--endpoint", audited.endpoint], env=env, capture_output=True, text=True, timeout=60)

    assert cli("get", "s3://" + bucket).returncode == 1, "no configuration yet"
    done = cli("set", "s3://" + bucket, "--prefix", "logs/", "--tag", "class=secret", "--include-tags")
    assert done.returncode == 0, done.stderr
    got = cli("get", "s3://" + bucket)
    assert json.loads(got.stdout) == {"Filter": {"Prefix": "logs/", "Tags": [{"Key": "class", "Value": "secret"}]}, "IncludeObjectTags": True}

    ids = {}
    for key, cls in [("logs/a", "secret"), ("logs/b", "public"), ("other/c", "secret")]:
        ids["put " + key] = rid(s3.put_object(Bucket=bucket, Key=key, Body=b"1", Tagging="class=" + cls + "&team=x"))
        ids["get " + key] = rid(s3.get_object(Bucket=bucket, Key=key))
    # a tag change moves logs/b under the filter: its next read is written, with its tags of that moment
    ids["tag logs/b"] = rid(s3.put_object_tagging(Bucket=bucket, Key="logs/b", Tagging={"TagSet": [{"Key": "class", "Value": "secret"}]}))
    ids["get logs/b again"] = rid(s3.get_object(Bucket=bucket, Key="logs/b"))
    ids["delete logs/a"] = rid(s3.delete_object(Bucket=bucket, Key="logs/a"))
    ids["list"] = rid(s3.list_objects_v2(Bucket=bucket))
    ids["tagging of bucket"] = rid(s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": "o", "Value": "p"}]}))
    expected = ["put logs/a", "get logs/a", "tag logs/b", "get logs/b again", "delete logs/a", "tagging of bucket"]
    found = wait_for(audited, [ids[n] for n in expected])
    time.sleep(0.6)  # anything wrongly written would be flushed by now
    written = {r["requestID"]: r for r in records(audited) if r["requestID"] in ids.values()}
    assert sorted(n for n, i in ids.items() if i in written) == sorted(expected)
    assert len(found) == len(expected)
    assert written[ids["get logs/a"]]["additionalEventData"]["objectTags"] == {"class": "secret", "team": "x"}
    assert written[ids["get logs/b again"]]["additionalEventData"]["objectTags"] == {"class": "secret"}
    assert written[ids["tag logs/b"]]["additionalEventData"]["objectTags"] == {"class": "secret"}, "a tag write counts under its new tags"
    assert written[ids["delete logs/a"]]["additionalEventData"]["objectTags"] == {"class": "secret", "team": "x"}, "the tags it had"
    assert written[ids["tagging of bucket"]]["eventCategory"] == "Management"
    assert "objectTags" not in written[ids["tagging of bucket"]]["additionalEventData"]

    assert cli("clear", "s3://" + bucket).returncode == 0
    after = rid(s3.get_object(Bucket=bucket, Key="other/c"))
    record = wait_for(audited, [after])[0]
    assert "objectTags" not in record["additionalEventData"], "cleared: every data event again, without tags"


def test_bad_audit_configurations_are_refused_with_invalid_argument(audited):
    s3 = make_client(audited)
    bucket = new_bucket(s3)
    from botocore.auth import S3SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    def put(body):
        req = AWSRequest(method="PUT", url="%s/%s?tessera-audit" % (audited.endpoint, bucket), data=body)
        S3SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "s3", "us-east-1").add_auth(req)
        prepared = req.prepare()
        r = urllib.request.Request(prepared.url, data=body, method="PUT", headers=dict(prepared.headers))
        try:
            with urllib.request.urlopen(r) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    assert put(b'{"IncludeObjectTags": true}')[0] == 200
    for body in [b"not json", b"[]", b'{"Filter": {"Prefix": 3}}', b'{"Unknown": 1}', b'{"IncludeObjectTags": "yes"}',
                 b'{"Filter": {"Tags": [{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}]}}',
                 b'{"Filter": {"Tags": [{"Key": ""}]}}']:
        status, text = put(body)
        assert status == 400 and "<Code>InvalidArgument</Code>" in text, (body, status, text)
