"""Which metadata backend the session server runs on: proves the PostgreSQL pass of scripts/run-tests.mjs really
keeps the metadata in PostgreSQL (and the first pass in SQLite)."""
import os
import subprocess


def test_the_session_server_runs_on_the_backend_this_pass_names(server, s3, bucket):
    s3.put_object(Bucket=bucket, Key="backend-check", Body=b"x", Tagging="pass=python")
    if os.environ.get("TESSERA_TEST_METADATA") != "postgres":
        assert server.metadata_url is None
        assert os.path.exists(os.path.join(server.data_dir, "metadata.sqlite"))
        return
    assert server.metadata_url is not None
    out = subprocess.run(
        ["psql", server.metadata_url, "-At", "-c",
         "SELECT v.key || ' ' || t.key || '=' || t.value FROM versions v JOIN object_tags t ON t.version_row = v.id "
         "WHERE v.bucket = '%s'" % bucket],
        check=True, capture_output=True, text=True).stdout.split()
    assert out == ["backend-check", "pass=python"]
