"""S3 Batch Operations through boto3's s3control client and the aws CLI (s3control create-job …).

The SDKs send S3 Control calls to <account-id>.<endpoint host>; against a local endpoint that name does not resolve,
so the clients are pointed back at the endpoint's host with botocore's `before-sign.s3-control.*` event (boto3) or
the same hook in an aws CLI plugin (see docs/batch-operations.md)."""
import json
import os
import subprocess
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import boto3
import pytest
from botocore.config import Config

from conftest import ACCESS_KEY, ROOT, SECRET_KEY

ACCOUNT = "000000000000"

PLUGIN = '''
from urllib.parse import urlsplit, urlunsplit

def _strip_account_label(request, **kwargs):
    parts = urlsplit(request.url)
    label, _, rest = parts.netloc.partition(".")
    if label.isdigit() and len(label) == 12 and rest:
        request.url = urlunsplit(parts._replace(netloc=rest))

def awscli_initialize(cli):
    cli.register("before-sign.s3-control.*", _strip_account_label)
'''


def strip_account_label(request, **kwargs):
    parts = urlsplit(request.url)
    label, _, rest = parts.netloc.partition(".")
    if label == ACCOUNT and rest:
        request.url = urlunsplit(parts._replace(netloc=rest))


def control_client(server, access_key=ACCESS_KEY, secret_key=SECRET_KEY):
    client = boto3.client(
        "s3control",
        endpoint_url=server.endpoint,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        region_name="us-east-1",
        config=Config(retries={"max_attempts": 1}),
    )
    client.meta.events.register("before-sign.s3-control.*", strip_account_label)
    return client


def iam_client(server, access_key=ACCESS_KEY, secret_key=SECRET_KEY):
    return boto3.client(
        "iam",
        endpoint_url=server.endpoint,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        region_name="us-east-1",
        config=Config(retries={"max_attempts": 1}),
    )


@pytest.fixture(scope="module")
def role_arn(server):
    iam = iam_client(server)
    name = "batch-" + uuid.uuid4().hex[:8]
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "batchoperations.s3.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
    role = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:PutObjectTagging", "s3:DeleteObjectTagging"], "Resource": "*"}],
    }
    iam.put_role_policy(RoleName=name, PolicyName="tagging", PolicyDocument=json.dumps(policy))
    return role["Arn"]


@pytest.fixture(scope="module")
def control(server):
    return control_client(server)


def wait_for(control, job_id, statuses, timeout=30):
    deadline = time.time() + timeout
    while True:
        job = control.describe_job(AccountId=ACCOUNT, JobId=job_id)["Job"]
        if job["Status"] in statuses:
            return job
        if time.time() > deadline:
            raise AssertionError("job %s stuck in %s" % (job_id, job["Status"]))
        time.sleep(0.05)


def make_manifest(s3, bucket, keys):
    body = "".join("%s,%s\n" % (bucket, k) for k in keys)
    etag = s3.put_object(Bucket=bucket, Key="manifest.csv", Body=body.encode())["ETag"]
    return {"ObjectArn": "arn:aws:s3:::%s/manifest.csv" % bucket, "ETag": etag}


def test_boto3_tagging_job_with_report(s3, control, bucket, role_arn):
    for k in ["a", "b"]:
        s3.put_object(Bucket=bucket, Key=k, Body=b"x")
    location = make_manifest(s3, bucket, ["a", "b", "missing"])
    job_id = control.create_job(
        AccountId=ACCOUNT,
        Operation={"S3PutObjectTagging": {"TagSet": [{"Key": "py", "Value": "1"}]}},
        Manifest={"Spec": {"Format": "S3BatchOperations_CSV_20180820", "Fields": ["Bucket", "Key"]}, "Location": location},
        Report={"Enabled": True, "Bucket": "arn:aws:s3:::" + bucket, "Format": "Report_CSV_20180820", "Prefix": "rep", "ReportScope": "AllTasks"},
        Priority=5,
        RoleArn=role_arn,
        ClientRequestToken=uuid.uuid4().hex,
    )["JobId"]
    job = wait_for(control, job_id, {"Complete", "Failed"})
    assert job["Status"] == "Complete"
    assert job["ProgressSummary"]["NumberOfTasksSucceeded"] == 2
    assert job["ProgressSummary"]["NumberOfTasksFailed"] == 1
    assert s3.get_object_tagging(Bucket=bucket, Key="a")["TagSet"] == [{"Key": "py", "Value": "1"}]
    manifest = json.loads(s3.get_object(Bucket=bucket, Key="rep/job-%s/manifest.json" % job_id)["Body"].read())
    failed = [r for r in manifest["Results"] if r["TaskExecutionStatus"] == "failed"][0]
    rows = s3.get_object(Bucket=bucket, Key=failed["Key"])["Body"].read().decode().strip().split("\n")
    assert rows == ["%s,missing,,failed,404,NoSuchKey,The specified key does not exist." % bucket]


def test_boto3_confirm_priority_tags_list(s3, control, bucket, role_arn):
    s3.put_object(Bucket=bucket, Key="c", Body=b"x", Tagging="old=1")
    location = make_manifest(s3, bucket, ["c"])
    job_id = control.create_job(
        AccountId=ACCOUNT,
        Operation={"S3DeleteObjectTagging": {}},
        Manifest={"Spec": {"Format": "S3BatchOperations_CSV_20180820", "Fields": ["Bucket", "Key"]}, "Location": location},
        Report={"Enabled": False},
        Priority=5,
        RoleArn=role_arn,
        ConfirmationRequired=True,
        ClientRequestToken=uuid.uuid4().hex,
        Tags=[{"Key": "owner", "Value": "py"}],
    )["JobId"]
    wait_for(control, job_id, {"Suspended"})
    assert control.update_job_priority(AccountId=ACCOUNT, JobId=job_id, Priority=42)["Priority"] == 42
    assert control.get_job_tagging(AccountId=ACCOUNT, JobId=job_id)["Tags"] == [{"Key": "owner", "Value": "py"}]
    listed = control.list_jobs(AccountId=ACCOUNT, JobStatuses=["Suspended"])["Jobs"]
    assert job_id in [j["JobId"] for j in listed]
    control.update_job_status(AccountId=ACCOUNT, JobId=job_id, RequestedJobStatus="Ready")
    wait_for(control, job_id, {"Complete"})
    assert s3.get_object_tagging(Bucket=bucket, Key="c")["TagSet"] == []


def test_boto3_errors(control):
    with pytest.raises(control.exceptions.NotFoundException):
        control.describe_job(AccountId=ACCOUNT, JobId="00000000-0000-0000-0000-000000000000")


def test_aws_cli_s3control(server, s3, bucket, role_arn, tmp_path):
    (tmp_path / "tessera_s3control.py").write_text(PLUGIN)
    (tmp_path / "config").write_text("[default]\nregion = us-east-1\n[plugins]\ntessera_s3control = tessera_s3control\n")
    env = dict(os.environ)
    env.update({
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_CONFIG_FILE": str(tmp_path / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
        "PYTHONPATH": str(tmp_path) + os.pathsep + env.get("PYTHONPATH", ""),
    })

    def aws(*args):
        proc = subprocess.run(["aws", "--endpoint-url", server.endpoint, *args], env=env, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout) if proc.stdout.strip() else None

    s3.put_object(Bucket=bucket, Key="cli-1", Body=b"x")
    location = make_manifest(s3, bucket, ["cli-1"])
    out = aws(
        "s3control", "create-job",
        "--account-id", ACCOUNT,
        "--operation", json.dumps({"S3PutObjectTagging": {"TagSet": [{"Key": "cli", "Value": "v1"}]}}),
        "--manifest", json.dumps({"Spec": {"Format": "S3BatchOperations_CSV_20180820", "Fields": ["Bucket", "Key"]}, "Location": location}),
        "--report", json.dumps({"Enabled": False}),
        "--priority", "10",
        "--role-arn", role_arn,
        "--no-confirmation-required",
    )
    job_id = out["JobId"]
    deadline = time.time() + 30
    while True:
        job = aws("s3control", "describe-job", "--account-id", ACCOUNT, "--job-id", job_id)["Job"]
        if job["Status"] == "Complete":
            break
        assert time.time() < deadline, job
        time.sleep(0.1)
    assert s3.get_object_tagging(Bucket=bucket, Key="cli-1")["TagSet"] == [{"Key": "cli", "Value": "v1"}]
    jobs = aws("s3control", "list-jobs", "--account-id", ACCOUNT, "--job-statuses", "Complete")["Jobs"]
    assert job_id in [j["JobId"] for j in jobs]
    # `tessera jobs describe --json` prints what `aws s3control describe-job` prints
    assert json.loads(tessera(server, "describe", job_id, "--json").stdout) == aws(
        "s3control", "describe-job", "--account-id", ACCOUNT, "--job-id", job_id)


def tessera(server, *args, check=True):
    env = dict(os.environ, AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY, NODE_NO_WARNINGS="1")
    proc = subprocess.run(["node", os.path.join(ROOT, "dist/src/cli/main.js"), "jobs", *args, "--endpoint", server.endpoint],
                          env=env, capture_output=True, text=True, timeout=120)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_tessera_cli_create_role_and_generator(server, s3, bucket):
    """--create-role makes (then reuses) a role S3 Batch Operations may assume; --bucket/--prefix/--filter-tag pick
    the objects through the manifest generator."""
    for key, tagging in [("in/a", "team=red"), ("in/b", "team=blue"), ("out/c", "team=red")]:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x", Tagging=tagging)
    role_name = "cli-" + uuid.uuid4().hex[:8]
    for _ in range(2):  # the second run reuses the role
        job_id = tessera(server, "create", "--bucket", bucket, "--prefix", "in/", "--filter-tag", "team=red",
                         "--tags", "seen=1", "--create-role", "--role-name", role_name).stdout.strip()
        assert "Complete" in tessera(server, "watch", job_id).stdout
    iam = iam_client(server)
    role = iam.get_role(RoleName=role_name)["Role"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "batchoperations.s3.amazonaws.com"}
    assert iam.list_role_policies(RoleName=role_name)["PolicyNames"] == ["tessera-batch-operations"]
    tagged = {k: s3.get_object_tagging(Bucket=bucket, Key=k)["TagSet"] for k in ["in/a", "in/b", "out/c"]}
    assert {"Key": "seen", "Value": "1"} in tagged["in/a"]
    assert {"Key": "seen", "Value": "1"} not in tagged["in/b"]
    assert {"Key": "seen", "Value": "1"} not in tagged["out/c"]
