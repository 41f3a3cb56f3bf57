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
    def __init__(self, endpoint, data_dir, proc, metadata_url=None):
        self.endpoint = endpoint
        self.data_dir = data_dir
        self.proc = proc
        # the PostgreSQL database the server keeps its metadata in (None: SQLite in data_dir)
        self.metadata_url = metadata_url


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
    return Server(m.group(1), data_dir, proc, env.get("TESSERA_METADATA_URL"))


def postgres_database():
    """A fresh database on the test run's PostgreSQL (scripts/run-tests.mjs starts one and sets
    TESSERA_TEST_POSTGRES_URL): its URL, and a function that drops it."""
    admin = os.environ.get("TESSERA_TEST_POSTGRES_URL")
    if not admin:
        raise RuntimeError(
            "TESSERA_TEST_METADATA=postgres needs TESSERA_TEST_POSTGRES_URL (scripts/run-tests.mjs starts a throwaway "
            "PostgreSQL and sets it; install Debian's postgresql with scripts/install-test-deps.sh)")
    name = "py_%s" % uuid.uuid4().hex[:16]
    subprocess.run(["psql", admin, "-q", "-c", "CREATE DATABASE %s" % name], check=True)
    base, _, _ = admin.rpartition("/")
    return "%s/%s" % (base, name), lambda: subprocess.run(
        ["psql", admin, "-q", "-c", "DROP DATABASE IF EXISTS %s WITH (FORCE)" % name], check=False)


@pytest.fixture(scope="session")
def server():
    """The session's server: metadata in SQLite, or in PostgreSQL when TESSERA_TEST_METADATA=postgres (the second
    pass of scripts/run-tests.mjs)."""
    data_dir = tempfile.mkdtemp(prefix="tessera-pytest-")
    drop = None
    extra = {}
    if os.environ.get("TESSERA_TEST_METADATA") == "postgres":
        url, drop = postgres_database()
        extra["TESSERA_METADATA_URL"] = url
    srv = start_server(data_dir, extra)
    yield srv
    srv.proc.terminate()
    try:
        srv.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        srv.proc.kill()
    if drop is not None:
        drop()
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
