"""Fixtures for the Python client tests: a real Tessera server process on 127.0.0.1 (random port),
boto3 clients, and an `aws` CLI runner. The server is the built one (dist/), started like a user would."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid

import boto3
import pytest
from botocore.config import Config

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ACCESS_KEY = "TESSERAPYTESTROOT001"
SECRET_KEY = "tessera-python-test-secret-0000000000000"


class Server:
    def __init__(self, endpoint, data_dir, proc):
        self.endpoint = endpoint
        self.data_dir = data_dir
        self.proc = proc


def start_server(data_dir, extra_env=None):
    env = dict(os.environ)
    env.update({
        "TESSERA_ADDRESS": "127.0.0.1:0",
        "TESSERA_DATA_DIR": data_dir,
        "TESSERA_ROOT_ACCESS_KEY_ID": ACCESS_KEY,
        "TESSERA_ROOT_SECRET_ACCESS_KEY": SECRET_KEY,
        "TESSERA_LOG_LEVEL": "error",
    })
    env.update(extra_env or {})
    proc = subprocess.Popen(
        ["node", os.path.join(ROOT, "dist/src/cli/main.js"), "server"],
        env=env, stdout=subprocess.PIPE, stderr=None, text=True,
    )
    line = proc.stdout.readline()
    m = re.search(r"listening on (http://\S+)", line)
    if not m:
        proc.kill()
        raise RuntimeError("server did not start: %r" % line)
    return Server(m.group(1), data_dir, proc)


@pytest.fixture(scope="session")
def server():
    data_dir = tempfile.mkdtemp(prefix="tessera-pytest-")
    srv = start_server(data_dir)
    yield srv
    srv.proc.terminate()
    try:
        srv.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        srv.proc.kill()
    shutil.rmtree(data_dir, ignore_errors=True)


def make_client(server, access_key=ACCESS_KEY, secret_key=SECRET_KEY, **config):
    return boto3.client(
        "s3",
        endpoint_url=server.endpoint,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}, **config),
    )


@pytest.fixture(scope="session")
def s3(server):
    return make_client(server)


@pytest.fixture
def bucket(s3):
    name = "py-" + uuid.uuid4().hex[:16]
    s3.create_bucket(Bucket=name)
    yield name
    # best-effort cleanup, versions included
    try:
        paginator = s3.get_paginator("list_object_versions")
        for page in paginator.paginate(Bucket=name):
            for v in page.get("Versions", []) + page.get("DeleteMarkers", []):
                s3.delete_object(Bucket=name, Key=v["Key"], VersionId=v["VersionId"])
        s3.delete_bucket(Bucket=name)
    except Exception:
        pass


@pytest.fixture
def aws(server, tmp_path):
    """Run the aws CLI against the server; returns CompletedProcess (text)."""
    env = dict(os.environ)
    env.update({
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(tmp_path / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "aws-credentials"),
    })
    (tmp_path / "aws-config").write_text("[default]\ns3 =\n    addressing_style = path\n")

    def run(*args, check=True, input=None):
        proc = subprocess.run(
            ["aws", "--endpoint-url", server.endpoint, *args],
            env=env, capture_output=True, text=True, input=input, timeout=300,
        )
        if check and proc.returncode != 0:
            raise AssertionError("aws %s failed (%d): %s" % (" ".join(args), proc.returncode, proc.stderr))
        return proc

    return run
