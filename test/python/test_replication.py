"""Bucket replication between two real Tessera processes: a source (A) that replicates to a destination (B), each a
server of its own on its own data dir, A knowing B as the remote `b` (`tessera remotes add`).

Covered: the configuration API (boto3 and the aws CLI; S3's codes and messages for refused configurations), what a
replica carries (version id, bytes, metadata, tags, x-amz-replication-status), tag edits and delete markers, filters,
multipart objects, two-way replication without loops, a destination on no registered remote (`tessera replication
status`) and the retry that follows its registration, `tessera replication resync`, and kill -9 of either side in
the middle of a stream of writes."""
import base64
import hashlib
import hmac
import http.client
import json
import os
import random
import re
import shutil
import signal
import stat
import subprocess
import tempfile
import threading
import time
import urllib.parse
import uuid
import xml.etree.ElementTree as ET

import pytest
import requests
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from conftest import ACCESS_KEY, ROOT, SECRET_KEY, make_client, start_server

MAIN = os.path.join(ROOT, "dist/src/cli/main.js")
S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"
ROLE = "arn:aws:iam::123456789012:role/tessera-replication"
SCHEMA_HINT = "Please refer to S3 Developer Guide for more information."
MIB = 1024 * 1024


# =====================================================================================================================
# helpers
# =====================================================================================================================


class Quick:
    """Signed requests without botocore's per-request work: SigV4 with UNSIGNED-PAYLOAD over one keep-alive
    connection per thread. Every header given is signed."""

    def __init__(self, endpoint):
        self.host = urllib.parse.urlsplit(endpoint).netloc
        self.local = threading.local()

    def request(self, method, path, query=(), body=b"", headers=None):
        """(status, headers dict with lower-case names, body bytes). `query` is a list of (name, value)."""
        amz_date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        path = urllib.parse.quote(path, safe="/~")
        canonical_query = "&".join("%s=%s" % (urllib.parse.quote(k, safe="-_.~"), urllib.parse.quote(v, safe="-_.~"))
                                   for k, v in sorted(query))
        hdrs = {"host": self.host, "x-amz-date": amz_date, "x-amz-content-sha256": "UNSIGNED-PAYLOAD"}
        for name, value in (headers or {}).items():
            hdrs[name.lower()] = str(value).strip()
        names = sorted(hdrs)
        canonical_headers = "".join("%s:%s\n" % (n, hdrs[n]) for n in names)
        signed_headers = ";".join(names)
        canonical = "\n".join([method, path, canonical_query, canonical_headers, signed_headers, "UNSIGNED-PAYLOAD"])
        scope = "%s/us-east-1/s3/aws4_request" % amz_date[:8]
        to_sign = "AWS4-HMAC-SHA256\n%s\n%s\n%s" % (amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest())
        k = ("AWS4" + SECRET_KEY).encode()
        for part in (amz_date[:8], "us-east-1", "s3", "aws4_request"):
            k = hmac.new(k, part.encode(), hashlib.sha256).digest()
        signature = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
        hdrs["authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
            ACCESS_KEY, scope, signed_headers, signature)
        if getattr(self.local, "connection", None) is None:
            self.local.connection = http.client.HTTPConnection(self.host, timeout=30)
        try:
            self.local.connection.request(method, path + ("?" + canonical_query if query else ""), body=body, headers=hdrs)
            response = self.local.connection.getresponse()
            data = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        except (http.client.HTTPException, OSError):
            self.local.connection = None
            raise

    # ---- the few operations the tests need ----

    def put(self, bucket, key, body, tags=None):
        """PutObject; the new version id."""
        headers = {} if not tags else {"x-amz-tagging": urllib.parse.urlencode(tags)}
        status, hdrs, text = self.request("PUT", "/%s/%s" % (bucket, key), body=body, headers=headers)
        assert status == 200, text
        return hdrs["x-amz-version-id"]

    def put_tags(self, bucket, key, version_id, tags):
        body = ("<Tagging><TagSet>%s</TagSet></Tagging>" % "".join(
            "<Tag><Key>%s</Key><Value>%s</Value></Tag>" % kv for kv in sorted(tags.items()))).encode()
        md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
        status, _, text = self.request("PUT", "/%s/%s" % (bucket, key), [("tagging", ""), ("versionId", version_id)],
                                       body=body, headers={"content-md5": md5})
        assert status == 200, text

    def delete_tags(self, bucket, key, version_id):
        status, _, text = self.request("DELETE", "/%s/%s" % (bucket, key), [("tagging", ""), ("versionId", version_id)])
        assert status == 204, text

    def tags(self, bucket, key, version_id):
        status, _, text = self.request("GET", "/%s/%s" % (bucket, key), [("tagging", ""), ("versionId", version_id)])
        assert status == 200, text
        root = ET.fromstring(text)
        return {t.findtext("{%s}Key" % S3_NS): t.findtext("{%s}Value" % S3_NS) or "" for t in root.iter("{%s}Tag" % S3_NS)}

    def head_status(self, bucket, key, version_id):
        """x-amz-replication-status of one version (None when absent)."""
        status, hdrs, _ = self.request("HEAD", "/%s/%s" % (bucket, key), [("versionId", version_id)])
        assert status == 200, (bucket, key, version_id, status)
        return hdrs.get("x-amz-replication-status")

    def versions(self, bucket, prefix=""):
        """Every version and delete marker as (key, version id, is delete marker), in listing order: keys in order,
        each key's versions newest first (the order the bucket holds them in)."""
        out, key_marker, version_marker = [], None, None
        while True:
            query = [("versions", ""), ("prefix", prefix), ("max-keys", "1000")]
            if key_marker is not None:
                query += [("key-marker", key_marker), ("version-id-marker", version_marker)]
            status, _, text = self.request("GET", "/" + bucket, query)
            assert status == 200, text
            root = ET.fromstring(text)
            for child in root:
                name = child.tag.split("}")[-1]
                if name in ("Version", "DeleteMarker"):
                    out.append((child.findtext("{%s}Key" % S3_NS), child.findtext("{%s}VersionId" % S3_NS),
                                name == "DeleteMarker"))
            if root.findtext("{%s}IsTruncated" % S3_NS) != "true":
                return out
            key_marker = root.findtext("{%s}NextKeyMarker" % S3_NS)
            version_marker = root.findtext("{%s}NextVersionIdMarker" % S3_NS)

    def state(self, bucket, prefix=""):
        """The versions (listing order) with each version's tags: what a replica must equal."""
        return [(key, vid, marker, None if marker else self.tags(bucket, key, vid))
                for key, vid, marker in self.versions(bucket, prefix)]

    def backlog(self, bucket):
        """GET /{bucket}?tessera-replication=status as JSON."""
        status, _, text = self.request("GET", "/" + bucket, [("tessera-replication", "status")])
        assert status == 200, text
        return json.loads(text)


class Node:
    """One Tessera server process on a data dir of its own; restartable on the same address (kill -9 included) so
    that the remotes other servers registered for it stay valid."""

    def __init__(self, name):
        self.name = name
        self.data_dir = tempfile.mkdtemp(prefix="tessera-repl-%s-" % name)
        self._start({})
        self.port = urllib.parse.urlsplit(self.srv.endpoint).port

    def _start(self, env):
        self.srv = start_server(self.data_dir, env)
        self.s3 = make_client(self.srv, max_pool_connections=16)
        self.quick = Quick(self.srv.endpoint)

    @property
    def endpoint(self):
        return self.srv.endpoint

    def kill9(self):
        self.srv.proc.send_signal(signal.SIGKILL)
        self.srv.proc.wait()

    def restart(self):
        assert self.srv.proc.poll() is not None, "restart a stopped server only"
        last = None
        for _ in range(20):
            try:
                self._start({"TESSERA_ADDRESS": "127.0.0.1:%d" % self.port})
                return
            except RuntimeError as e:  # the port not free yet
                last = e
                time.sleep(0.25)
        raise last

    def close(self):
        if self.srv.proc.poll() is None:
            self.srv.proc.terminate()
            try:
                self.srv.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.srv.proc.kill()
                self.srv.proc.wait()
        shutil.rmtree(self.data_dir, ignore_errors=True)


def tessera(*args, endpoint=None, check=True):
    """Run the tessera CLI (built); CompletedProcess (text)."""
    env = dict(os.environ)
    env.update({"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY})
    if endpoint is not None:
        env["TESSERA_ENDPOINT"] = endpoint
    proc = subprocess.run(["node", MAIN, *args], env=env, capture_output=True, text=True, timeout=60)
    if check and proc.returncode != 0:
        raise AssertionError("tessera %s failed (%d): %s%s" % (" ".join(args), proc.returncode, proc.stdout, proc.stderr))
    return proc


def add_remote(node, name, target):
    """`tessera remotes add NAME` in `node`'s data dir, for the server `target`."""
    proc = tessera("remotes", "add", name, "--endpoint", target.endpoint, "--access-key-id", ACCESS_KEY,
                   "--secret-access-key", SECRET_KEY, "--data-dir", node.data_dir)
    assert proc.stdout.strip() == name


def wait_until(condition, timeout=30, interval=0.15, message="condition", explain=None):
    """Poll `condition` until it is truthy (its value); fail after `timeout` seconds, with `explain()` if given."""
    deadline = time.time() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError("timed out after %ss waiting for %s%s" % (
                timeout, message, "" if explain is None else ": %r" % (explain(),)))
        time.sleep(interval)


def new_name(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:12])


def versioned_bucket(node, prefix, versioning="Enabled"):
    name = new_name(prefix)
    node.s3.create_bucket(Bucket=name)
    if versioning is not None:
        node.s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": versioning})
    return name


def rule(dest, priority=1, rule_id=None, prefix=None, tags=None, delete_markers="Disabled", status="Enabled"):
    """A V2 rule (boto3 shape): Filter of a prefix and/or tags (none: every object)."""
    conditions = []
    if prefix is not None:
        conditions.append(("Prefix", prefix))
    for k, v in (tags or {}).items():
        conditions.append(("Tag", {"Key": k, "Value": v}))
    if len(conditions) == 0:
        filt = {}
    elif len(conditions) == 1:
        filt = {conditions[0][0]: conditions[0][1]}
    else:
        filt = {"And": {**({"Prefix": prefix} if prefix is not None else {}),
                        "Tags": [{"Key": k, "Value": v} for k, v in (tags or {}).items()]}}
    r = {"Priority": priority, "Filter": filt, "Status": status,
         "Destination": {"Bucket": "arn:aws:s3:::" + dest},
         "DeleteMarkerReplication": {"Status": delete_markers}}
    if rule_id is not None:
        r["ID"] = rule_id
    return r


def configure(node, bucket, *rules):
    node.s3.put_bucket_replication(Bucket=bucket, ReplicationConfiguration={"Role": ROLE, "Rules": list(rules)})


def client_error(excinfo):
    r = excinfo.value.response
    return r["ResponseMetadata"]["HTTPStatusCode"], r["Error"]["Code"], r["Error"].get("Message")


def signed(node, method, path, query="", body=b"", headers=None, content_md5=True):
    """A request signed by botocore and sent as given (no client-side validation of the body)."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    hdrs = dict(headers or {})
    if body and content_md5:
        hdrs["Content-MD5"] = base64.b64encode(hashlib.md5(body).digest()).decode()
    request = AWSRequest(method=method, url=node.endpoint + path + ("?" + query if query else ""), data=body,
                         headers=hdrs)
    S3SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "s3", "us-east-1").add_auth(request)
    prepared = request.prepare()
    return requests.request(method, prepared.url, headers=dict(prepared.headers), data=body, timeout=30)


def xml_error(response):
    root = ET.fromstring(response.content)
    fields = {child.tag.split("}")[-1]: child.text for child in root}
    return response.status_code, fields.get("Code"), fields.get("Message"), fields


def head(node, bucket, key, version_id=None):
    return node.s3.head_object(Bucket=bucket, Key=key, **({"VersionId": version_id} if version_id else {}))


def has_version(node, bucket, key, version_id):
    return any(k == key and v == version_id for k, v, _ in node.quick.versions(bucket, key))


def barrier(a, src, b, dst, key="barrier/"):
    """Write one more covered object on the source and wait for it at the destination. Only the changes of one key
    are delivered in order (different keys go side by side), and the source's cursor and statuses are committed after
    the round's deliveries: a barrier that has arrived does not prove that an earlier change of another key has —
    wait for that change's own effect (or for the source's backlog to be empty) when a test depends on it."""
    key = key + uuid.uuid4().hex[:8]
    version_id = a.quick.put(src, key, b"barrier", tags={"rep": "yes"})
    wait_until(lambda: has_version(b, dst, key, version_id), message="%s to reach the destination" % key)
    return key, version_id


@pytest.fixture(scope="module")
def pair():
    """Source A and destination B; A knows B as the remote `b`."""
    a = Node("a")
    try:
        b = Node("b")
    except Exception:
        a.close()
        raise
    try:
        add_remote(a, "b", b)
        yield a, b
    finally:
        a.close()
        b.close()


def replicated(pair, *rules_for):
    """A source bucket on A and a destination bucket on B (both versioned), the source replicating with the rules
    `rules_for(dest)` (default: every object, delete markers too)."""
    a, b = pair
    src = versioned_bucket(a, "src")
    dst = versioned_bucket(b, "dst")
    rules = [f(dst) for f in rules_for] or [rule(dst, delete_markers="Enabled")]
    configure(a, src, *rules)
    return src, dst


# =====================================================================================================================
# 1. The configuration API
# =====================================================================================================================


def test_remotes_file_is_private_and_listed_without_secret(pair):
    a, b = pair
    path = os.path.join(a.data_dir, "remotes.json")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    listed = [json.loads(line) for line in tessera("remotes", "list", "--data-dir", a.data_dir).stdout.splitlines()]
    assert listed == [{"name": "b", "endpoint": b.endpoint, "region": "us-east-1", "accessKeyId": ACCESS_KEY}]
    assert SECRET_KEY not in json.dumps(listed)


def test_round_trip_with_boto3(pair):
    a, b = pair
    src = versioned_bucket(a, "cfg")
    with pytest.raises(ClientError) as e:
        a.s3.get_bucket_replication(Bucket=src)
    assert client_error(e) == (404, "ReplicationConfigurationNotFoundError", "The replication configuration was not found")
    assert e.value.response["Error"].get("BucketName") == src

    rules = [
        rule("dest-one", 3, "by-prefix", prefix="logs/", delete_markers="Enabled"),
        rule("dest-one", 2, "by-prefix-and-tags", prefix="docs/", tags={"team": "a", "keep": "yes"}),
        rule("dest-two", 1, None, tags={"replicate": "yes"}, status="Disabled"),
    ]
    rules[0]["Destination"]["StorageClass"] = "STANDARD_IA"
    configure(a, src, *rules)
    got = a.s3.get_bucket_replication(Bucket=src)["ReplicationConfiguration"]
    assert got["Role"] == ROLE
    assert [r.get("ID") for r in got["Rules"]][:2] == ["by-prefix", "by-prefix-and-tags"]
    generated = got["Rules"][2]["ID"]
    assert generated and generated not in ("by-prefix", "by-prefix-and-tags")
    for sent, answered in zip(rules, got["Rules"]):
        expected = dict(sent, ID=answered["ID"])
        assert answered == expected

    # a second PUT replaces the whole configuration
    configure(a, src, rule("dest-three", 7, "only"))
    got = a.s3.get_bucket_replication(Bucket=src)["ReplicationConfiguration"]
    assert [(r["ID"], r["Priority"], r["Destination"]["Bucket"]) for r in got["Rules"]] == [
        ("only", 7, "arn:aws:s3:::dest-three")]

    r = a.s3.delete_bucket_replication(Bucket=src)
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as e:
        a.s3.get_bucket_replication(Bucket=src)
    assert client_error(e)[:2] == (404, "ReplicationConfigurationNotFoundError")
    # deleting again is no error
    assert a.s3.delete_bucket_replication(Bucket=src)["ResponseMetadata"]["HTTPStatusCode"] == 204

    missing = new_name("missing")
    with pytest.raises(ClientError) as e:
        a.s3.get_bucket_replication(Bucket=missing)
    assert client_error(e)[:2] == (404, "NoSuchBucket")


def test_round_trip_with_the_aws_cli(pair, tmp_path):
    a, b = pair
    src = versioned_bucket(a, "cli")
    env = dict(os.environ)
    env.update({"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_CONFIG_FILE": str(tmp_path / "aws-config"),
                "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "aws-credentials")})
    (tmp_path / "aws-config").write_text("[default]\ns3 =\n    addressing_style = path\n")

    def aws(*args):
        return subprocess.run(["aws", "--endpoint-url", a.endpoint, "s3api", *args], env=env, capture_output=True,
                              text=True, timeout=60)

    before = aws("get-bucket-replication", "--bucket", src)
    assert before.returncode != 0 and "ReplicationConfigurationNotFoundError" in before.stderr, before.stderr
    config = {"Role": ROLE, "Rules": [rule("cli-dest", 5, "cli-rule", prefix="p/", delete_markers="Enabled")]}
    (tmp_path / "replication.json").write_text(json.dumps(config))
    put = aws("put-bucket-replication", "--bucket", src, "--replication-configuration",
              "file://" + str(tmp_path / "replication.json"))
    assert put.returncode == 0, put.stderr
    got = aws("get-bucket-replication", "--bucket", src)
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout) == {"ReplicationConfiguration": config}
    deleted = aws("delete-bucket-replication", "--bucket", src)
    assert deleted.returncode == 0, deleted.stderr
    after = aws("get-bucket-replication", "--bucket", src)
    assert after.returncode != 0 and "ReplicationConfigurationNotFoundError" in after.stderr, after.stderr


@pytest.mark.parametrize("versioning", [None, "Suspended"])
def test_versioning_must_be_enabled(pair, versioning):
    a, b = pair
    src = versioned_bucket(a, "unv", versioning)
    with pytest.raises(ClientError) as e:
        configure(a, src, rule("anywhere"))
    assert client_error(e) == (400, "InvalidRequest",
                               "Versioning must be 'Enabled' on the bucket to apply a replication configuration")
    with pytest.raises(ClientError) as e:
        a.s3.get_bucket_replication(Bucket=src)
    assert client_error(e)[:2] == (404, "ReplicationConfigurationNotFoundError")


def xml_rule(body):
    return "<Rule>%s</Rule>" % body


def xml_doc(*rules, role=ROLE):
    return '<ReplicationConfiguration xmlns="%s">%s%s</ReplicationConfiguration>' % (
        S3_NS, "" if role is None else "<Role>%s</Role>" % role, "".join(rules))


DEST = "<Destination><Bucket>arn:aws:s3:::some-dest</Bucket></Destination>"
DMR_OFF = "<DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>"
DMR_ON = "<DeleteMarkerReplication><Status>Enabled</Status></DeleteMarkerReplication>"

REFUSED = [
    pytest.param(xml_doc(xml_rule("<ID>r</ID><Filter><Prefix>a/</Prefix></Filter><Status>Enabled</Status>" + DEST + DMR_OFF)),
                 "InvalidRequest", "Priority must be specified for this version of Cross Region Replication "
                 "configuration schema. " + SCHEMA_HINT, None, id="v2-without-priority"),
    pytest.param(xml_doc(xml_rule("<ID>r</ID><Priority>1</Priority><Filter/><Status>Enabled</Status>" + DEST)),
                 "InvalidRequest", "DeleteMarkerReplication must be specified for this version of Cross Region "
                 "Replication configuration schema. " + SCHEMA_HINT, None, id="v2-without-delete-marker-replication"),
    pytest.param(xml_doc(xml_rule("<ID>r</ID><Priority>1</Priority><Prefix>a/</Prefix><Status>Enabled</Status>" + DEST)),
                 "InvalidRequest", "Priority cannot be used for this version of Cross Region Replication configuration "
                 "schema. " + SCHEMA_HINT, None, id="v1-with-priority"),
    pytest.param(xml_doc(xml_rule("<ID>r1</ID><Priority>4</Priority><Filter><Prefix>a/</Prefix></Filter>"
                                  "<Status>Enabled</Status>" + DEST + DMR_OFF),
                         xml_rule("<ID>r2</ID><Priority>4</Priority><Filter><Prefix>b/</Prefix></Filter>"
                                  "<Status>Enabled</Status>" + DEST + DMR_OFF)),
                 "InvalidRequest", "Found duplicate priority 4.", None, id="duplicate-priority"),
    pytest.param(xml_doc(xml_rule("<ID>r</ID><Priority>1</Priority><Filter><Tag><Key>k</Key><Value>v</Value></Tag>"
                                  "</Filter><Status>Enabled</Status>" + DEST + DMR_ON)),
                 "InvalidRequest", "Delete marker replication is not supported if any Tag filter is specified. "
                 + SCHEMA_HINT, None, id="delete-markers-with-a-tag-filter"),
    pytest.param(xml_doc(xml_rule("<ID>r</ID><Priority>1</Priority><Filter><And><Prefix>p/</Prefix><Tag><Key>k</Key>"
                                  "<Value>v</Value></Tag></And></Filter><Status>Enabled</Status>" + DEST + DMR_ON)),
                 "InvalidRequest", "Delete marker replication is not supported if any Tag filter is specified. "
                 + SCHEMA_HINT, None, id="delete-markers-with-tags-in-and"),
    pytest.param(xml_doc(xml_rule("<ID>r</ID><Priority>1</Priority><Filter/><Status>Enabled</Status>"
                                  "<Destination><Bucket>arn:aws:s3::some-dest</Bucket></Destination>" + DMR_OFF)),
                 "InvalidArgument", "Invalid bucket ARN.", ("Bucket", "arn:aws:s3::some-dest"), id="bad-arn"),
    pytest.param(xml_doc(xml_rule("<ID>r</ID><Priority>1</Priority><Filter/><Status>Enabled</Status>"
                                  "<Destination><Bucket>arn:aws:s3:::Not_A_Bucket</Bucket></Destination>" + DMR_OFF)),
                 "InvalidArgument", "Invalid bucket ARN.", ("Bucket", "arn:aws:s3:::Not_A_Bucket"),
                 id="arn-with-a-bad-bucket-name"),
    pytest.param(xml_doc(xml_rule("<ID>r</ID><Priority>1</Priority><Filter><And><Tag><Key>k</Key><Value>1</Value>"
                                  "</Tag><Tag><Key>k</Key><Value>2</Value></Tag></And></Filter><Status>Enabled</Status>"
                                  + DEST + DMR_OFF)),
                 "InvalidRequest", "Duplicate Tag Keys are not allowed.", None, id="duplicate-tag-keys"),
    pytest.param(xml_doc(xml_rule("<ID>r1</ID><Prefix>a/</Prefix><Status>Enabled</Status>" + DEST),
                         xml_rule("<ID>r2</ID><Prefix>b/</Prefix><Status>Enabled</Status>"
                                  "<Destination><Bucket>arn:aws:s3:::other-dest</Bucket></Destination>")),
                 "InvalidRequest", "Number of distinct destination bucket ARNs cannot exceed 1", None,
                 id="v1-two-destinations"),
    pytest.param(xml_doc(xml_rule("<ID>r</ID><Priority>1</Priority><Filter/><Status>Enabled</Status>" + DEST + DMR_OFF),
                         role=None),
                 "MalformedXML", None, None, id="no-role"),
    pytest.param(xml_doc(xml_rule("<ID>r</ID><Priority>1</Priority><Filter/><Status>On</Status>" + DEST + DMR_OFF)),
                 "MalformedXML", None, None, id="bad-status"),
]


@pytest.fixture(scope="module")
def configured(pair):
    """A source bucket with a configuration that refused PUTs must leave alone."""
    a, b = pair
    src = versioned_bucket(a, "refuse")
    configure(a, src, rule("kept-dest", 9, "kept"))
    return src


@pytest.mark.parametrize("document, code, message, argument", REFUSED)
def test_refused_configuration(pair, configured, document, code, message, argument):
    a, b = pair
    r = signed(a, "PUT", "/" + configured, "replication", document)
    status, got_code, got_message, fields = xml_error(r)
    assert (status, got_code) == (400, code), r.text
    if message is not None:
        assert got_message == message
    if argument is not None:
        assert (fields.get("ArgumentName"), fields.get("ArgumentValue")) == argument
    kept = a.s3.get_bucket_replication(Bucket=configured)["ReplicationConfiguration"]["Rules"]
    assert [r["ID"] for r in kept] == ["kept"], "a refused PUT changed the configuration"


def test_same_bucket_as_destination(pair):
    a, b = pair
    src = versioned_bucket(a, "self")
    document = xml_doc(xml_rule("<ID>r</ID><Priority>1</Priority><Filter/><Status>Enabled</Status><Destination><Bucket>"
                                "arn:aws:s3:::%s</Bucket></Destination>%s" % (src, DMR_OFF)))
    assert xml_error(signed(a, "PUT", "/" + src, "replication", document))[:3] == (
        400, "InvalidRequest", "Destination bucket cannot be the same as the source bucket.")


def test_content_md5_required(pair):
    a, b = pair
    src = versioned_bucket(a, "md5")
    document = xml_doc(xml_rule("<ID>r</ID><Priority>1</Priority><Filter/><Status>Enabled</Status>" + DEST + DMR_OFF))
    r = signed(a, "PUT", "/" + src, "replication", document, content_md5=False)
    assert xml_error(r)[:3] == (400, "InvalidRequest", "Missing required header for this request: Content-MD5 OR "
                                                       "x-amz-checksum-*")
    with pytest.raises(ClientError) as e:
        a.s3.get_bucket_replication(Bucket=src)
    assert client_error(e)[:2] == (404, "ReplicationConfigurationNotFoundError")
    # a Content-MD5 that does not match the body is refused too
    wrong = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    r = signed(a, "PUT", "/" + src, "replication", document, headers={"Content-MD5": wrong}, content_md5=False)
    assert xml_error(r)[:2] == (400, "BadDigest")
    # with it, accepted
    r = signed(a, "PUT", "/" + src, "replication", document)
    assert r.status_code == 200, r.text


# =====================================================================================================================
# 2. Replication
# =====================================================================================================================


def test_put_replicates_version_bytes_metadata_and_tags(pair):
    """The destination bucket appears only after the write: the version stays PENDING (deliveries fail and are
    retried) until it exists, then turns COMPLETED; the replica is REPLICA and carries everything."""
    a, b = pair
    src = versioned_bucket(a, "src")
    dst = new_name("dst")
    configure(a, src, rule(dst))
    body = os.urandom(3000)
    put = a.s3.put_object(Bucket=src, Key="dir/obj.bin", Body=body, ContentType="application/x-test",
                          CacheControl="max-age=60", ContentDisposition='attachment; filename="obj.bin"',
                          ContentLanguage="en", Metadata={"color": "blue", "size-class": "small"},
                          Tagging="project=tessera&stage=test")
    version_id = put["VersionId"]
    assert head(a, src, "dir/obj.bin", version_id).get("ReplicationStatus") == "PENDING"
    wait_until(lambda: a.quick.backlog(src)["failures"], message="a failed delivery to be recorded")
    assert head(a, src, "dir/obj.bin", version_id).get("ReplicationStatus") == "PENDING"
    assert a.s3.get_object(Bucket=src, Key="dir/obj.bin").get("ReplicationStatus") == "PENDING"

    b.s3.create_bucket(Bucket=dst)
    b.s3.put_bucket_versioning(Bucket=dst, VersioningConfiguration={"Status": "Enabled"})
    wait_until(lambda: head(a, src, "dir/obj.bin", version_id).get("ReplicationStatus") == "COMPLETED",
               message="COMPLETED at the source")
    assert a.s3.get_object(Bucket=src, Key="dir/obj.bin").get("ReplicationStatus") == "COMPLETED"

    replica = b.s3.get_object(Bucket=dst, Key="dir/obj.bin")
    assert replica["VersionId"] == version_id
    assert replica["Body"].read() == body
    assert replica["ContentType"] == "application/x-test"
    assert replica["CacheControl"] == "max-age=60"
    assert replica["ContentDisposition"] == 'attachment; filename="obj.bin"'
    assert replica["ContentLanguage"] == "en"
    assert replica["Metadata"] == {"color": "blue", "size-class": "small"}
    assert replica["ETag"] == put["ETag"]
    assert replica.get("ReplicationStatus") == "REPLICA"
    assert head(b, dst, "dir/obj.bin", version_id).get("ReplicationStatus") == "REPLICA"
    tags = b.s3.get_object_tagging(Bucket=dst, Key="dir/obj.bin", VersionId=version_id)
    assert tags["VersionId"] == version_id
    assert sorted((t["Key"], t["Value"]) for t in tags["TagSet"]) == [("project", "tessera"), ("stage", "test")]
    assert b.quick.versions(dst) == [("dir/obj.bin", version_id, False)]
    backlog = wait_until(lambda: (lambda s: s if s["pending"] == 0 else None)(a.quick.backlog(src)),
                         message="nothing pending")
    assert backlog["configured"] is True and backlog["failures"] == []


def test_tag_edits_reach_the_destination_version(pair):
    a, b = pair
    src, dst = replicated(pair)
    v1 = a.quick.put(src, "k", b"one", tags={"gen": "1"})
    v2 = a.quick.put(src, "k", b"two")
    wait_until(lambda: [v for _, v, _ in b.quick.versions(dst)] == [v2, v1], message="both versions replicated")

    a.s3.put_object_tagging(Bucket=src, Key="k", VersionId=v1, Tagging={"TagSet": [{"Key": "gen", "Value": "1b"},
                                                                                   {"Key": "extra", "Value": "x"}]})
    wait_until(lambda: b.quick.tags(dst, "k", v1) == {"gen": "1b", "extra": "x"}, message="the older version's tags")
    assert b.quick.tags(dst, "k", v2) == {}

    # without a version id: the latest version (v2)
    a.s3.put_object_tagging(Bucket=src, Key="k", Tagging={"TagSet": [{"Key": "latest", "Value": "yes"}]})
    wait_until(lambda: b.quick.tags(dst, "k", v2) == {"latest": "yes"}, message="the latest version's tags")

    a.s3.delete_object_tagging(Bucket=src, Key="k", VersionId=v1)
    wait_until(lambda: b.quick.tags(dst, "k", v1) == {}, message="the older version's tags removed")
    assert b.quick.tags(dst, "k", v2) == {"latest": "yes"}
    assert b.quick.state(dst) == a.quick.state(src)
    assert head(a, src, "k", v1).get("ReplicationStatus") == "COMPLETED"


def test_delete_markers_replicate_only_when_enabled(pair):
    a, b = pair
    src, dst = replicated(pair, lambda d: rule(d, 2, "markers", prefix="dm/", delete_markers="Enabled"),
                          lambda d: rule(d, 1, "no-markers", prefix="keep/", delete_markers="Disabled"))
    dm_v = a.quick.put(src, "dm/x", b"x")
    keep_v = a.quick.put(src, "keep/x", b"x")
    wait_until(lambda: len(b.quick.versions(dst)) == 2, message="both objects replicated")

    marker = a.s3.delete_object(Bucket=src, Key="dm/x")
    assert marker["DeleteMarker"] is True
    wait_until(lambda: ("dm/x", marker["VersionId"], True) in b.quick.versions(dst, "dm/"),
               message="the delete marker at the destination")
    assert b.quick.versions(dst, "dm/") == [("dm/x", marker["VersionId"], True), ("dm/x", dm_v, False)]
    with pytest.raises(ClientError) as e:
        b.s3.get_object(Bucket=dst, Key="dm/x")
    assert client_error(e)[:2] == (404, "NoSuchKey")

    not_replicated = a.s3.delete_object(Bucket=src, Key="keep/x")
    assert not_replicated["DeleteMarker"] is True
    barrier(a, src, b, dst, key="keep/barrier-")
    assert [v for v in b.quick.versions(dst, "keep/x")] == [("keep/x", keep_v, False)], \
        "a delete marker was replicated by a rule with DeleteMarkerReplication Disabled"
    assert b.s3.get_object(Bucket=dst, Key="keep/x")["Body"].read() == b"x"


def test_version_specific_deletes_are_not_replicated(pair):
    a, b = pair
    src, dst = replicated(pair)
    v1 = a.quick.put(src, "k", b"1")
    v2 = a.quick.put(src, "k", b"2")
    marker = a.s3.delete_object(Bucket=src, Key="k")["VersionId"]
    expected = [("k", marker, True), ("k", v2, False), ("k", v1, False)]
    wait_until(lambda: b.quick.versions(dst, "k") == expected, message="versions and marker replicated")

    a.s3.delete_object(Bucket=src, Key="k", VersionId=v1)       # a version
    a.s3.delete_object(Bucket=src, Key="k", VersionId=marker)   # the delete marker
    assert a.quick.versions(src, "k") == [("k", v2, False)]
    barrier(a, src, b, dst)
    assert b.quick.versions(dst, "k") == expected, "a version-specific delete reached the destination"


def test_tag_filter_replicates_only_matching_objects(pair):
    a, b = pair
    src, dst = replicated(pair, lambda d: rule(d, 1, "tagged", tags={"rep": "yes"}))
    va = a.quick.put(src, "a", b"a", tags={"rep": "yes", "other": "1"})
    vb = a.quick.put(src, "b", b"b", tags={"rep": "no"})
    vc = a.quick.put(src, "c", b"c")
    assert head(a, src, "b", vb).get("ReplicationStatus") is None
    assert head(a, src, "c", vc).get("ReplicationStatus") is None
    bar, _ = barrier(a, src, b, dst)
    assert sorted(k for k, _, _ in b.quick.versions(dst)) == sorted(["a", bar])
    assert head(a, src, "a", va).get("ReplicationStatus") == "COMPLETED"
    assert head(a, src, "b", vb).get("ReplicationStatus") is None
    assert b.quick.tags(dst, "a", va) == {"rep": "yes", "other": "1"}

    # "a" leaves the filter: what the destination holds stays
    a.s3.put_object_tagging(Bucket=src, Key="a", VersionId=va, Tagging={"TagSet": [{"Key": "rep", "Value": "no"}]})
    bar2, _ = barrier(a, src, b, dst)
    assert ("a", va, False) in b.quick.versions(dst, "a")
    assert b.s3.get_object(Bucket=dst, Key="a")["Body"].read() == b"a"
    # a new version of "a" outside the filter is not replicated
    va2 = a.quick.put(src, "a", b"a2", tags={"rep": "no"})
    barrier(a, src, b, dst)
    assert b.quick.versions(dst, "a") == [("a", va, False)]
    assert head(a, src, "a", va2).get("ReplicationStatus") is None


def test_multipart_object_replicates_with_its_bytes(pair):
    a, b = pair
    src, dst = replicated(pair)
    parts = [os.urandom(5 * MIB), os.urandom(300 * 1024)]
    upload = a.s3.create_multipart_upload(Bucket=src, Key="big/mp", ContentType="video/x-test",
                                          Metadata={"origin": "multipart"}, Tagging="kind=mp")
    etags = [a.s3.upload_part(Bucket=src, Key="big/mp", UploadId=upload["UploadId"], PartNumber=i + 1, Body=p)["ETag"]
             for i, p in enumerate(parts)]
    done = a.s3.complete_multipart_upload(
        Bucket=src, Key="big/mp", UploadId=upload["UploadId"],
        MultipartUpload={"Parts": [{"PartNumber": i + 1, "ETag": e} for i, e in enumerate(etags)]})
    version_id = done["VersionId"]
    wait_until(lambda: head(a, src, "big/mp", version_id).get("ReplicationStatus") == "COMPLETED",
               message="the multipart object COMPLETED")
    replica = b.s3.get_object(Bucket=dst, Key="big/mp", VersionId=version_id)
    data = replica["Body"].read()
    assert len(data) == sum(len(p) for p in parts)
    assert hashlib.sha256(data).hexdigest() == hashlib.sha256(b"".join(parts)).hexdigest()
    assert replica["ContentType"] == "video/x-test"
    assert replica["Metadata"] == {"origin": "multipart"}
    assert replica.get("ReplicationStatus") == "REPLICA"
    assert b.quick.tags(dst, "big/mp", version_id) == {"kind": "mp"}


def test_replica_keeps_creation_time_and_etag(pair):
    """S3 replicas are exact copies of their source versions: the same metadata, the creation time (LastModified)
    and the ETag included — a multipart object's "<md5 of the parts' md5s>-<part count>" too. The destination bucket
    appears only after a failed first delivery, so delivery happens at least a second after the writes."""
    a, b = pair
    src = versioned_bucket(a, "src")
    dst = new_name("dst")
    configure(a, src, rule(dst))
    single = a.s3.put_object(Bucket=src, Key="single", Body=b"s" * 1000)
    upload = a.s3.create_multipart_upload(Bucket=src, Key="multi")
    etags = [a.s3.upload_part(Bucket=src, Key="multi", UploadId=upload["UploadId"], PartNumber=i + 1, Body=body)["ETag"]
             for i, body in enumerate([b"m" * (5 * MIB), b"tail"])]
    multi = a.s3.complete_multipart_upload(
        Bucket=src, Key="multi", UploadId=upload["UploadId"],
        MultipartUpload={"Parts": [{"PartNumber": i + 1, "ETag": e} for i, e in enumerate(etags)]})
    assert multi["ETag"].endswith('-2"')
    wait_until(lambda: a.quick.backlog(src)["failures"], message="a failed delivery to be recorded")
    b.s3.create_bucket(Bucket=dst)
    b.s3.put_bucket_versioning(Bucket=dst, VersioningConfiguration={"Status": "Enabled"})
    for key, put in (("single", single), ("multi", multi)):
        wait_until(lambda: a.quick.head_status(src, key, put["VersionId"]) == "COMPLETED", message="%s COMPLETED" % key)
    problems = []
    for key, put in (("single", single), ("multi", multi)):
        source, replica = head(a, src, key, put["VersionId"]), head(b, dst, key, put["VersionId"])
        for field in ("LastModified", "ETag", "ContentLength"):
            if replica.get(field) != source.get(field):
                problems.append("%s %s: source %r, replica %r" % (key, field, source.get(field), replica.get(field)))
    assert not problems, "; ".join(problems)


def test_status_is_pending_only_for_versions_replication_will_deliver(pair):
    """x-amz-replication-status PENDING promises a delivery. S3 gives no status to objects that existed before the
    configuration (Batch Replication selects them by that absence); a version covered only through a later tag
    change must not stay PENDING once nothing is pending either."""
    a, b = pair
    src = versioned_bucket(a, "src")
    dst = versioned_bucket(b, "dst")
    old = a.quick.put(src, "old", b"old", tags={"rep": "yes"})
    configure(a, src, rule(dst, 1, "tagged", tags={"rep": "yes"}))
    late = a.quick.put(src, "late", b"late")  # not covered when written
    barrier(a, src, b, dst)
    a.quick.put_tags(src, "late", late, {"rep": "yes"})
    barrier(a, src, b, dst)
    # The barrier at the destination does not mean the source has moved its cursor yet (that commit follows the
    # round's deliveries): wait for the condition itself.
    wait_until(lambda: a.quick.backlog(src)["pending"] == 0, timeout=60, message="nothing pending",
               explain=lambda: a.quick.backlog(src))
    assert b.quick.versions(dst, "old") == [], "an object from before the configuration was replicated"
    statuses = {"old": a.quick.head_status(src, "old", old), "late": a.quick.head_status(src, "late", late)}
    late_replicated = has_version(b, dst, "late", late)
    assert statuses == {"old": None, "late": "COMPLETED" if late_replicated else None}, \
        "statuses %r with nothing pending (late replicated: %s)" % (statuses, late_replicated)


def test_tag_edit_of_a_version_only_one_destination_holds(pair):
    """Two rules, two destinations; the version went to one of them only (the other rule's tag filter did not
    match). A tag edit reaches the destination that holds the version, and later writes are not held up."""
    a, b = pair
    src = versioned_bucket(a, "src")
    tagged, every = versioned_bucket(b, "dst"), versioned_bucket(b, "dst")
    configure(a, src, rule(tagged, 2, "tagged", tags={"rep": "yes"}), rule(every, 1, "every"))
    v = a.quick.put(src, "o", b"o")
    wait_until(lambda: has_version(b, every, "o", v), message="o replicated")
    assert b.quick.versions(tagged) == []
    a.quick.put_tags(src, "o", v, {"k": "1"})
    after = a.quick.put(src, "after", b"after")
    wait_until(lambda: has_version(b, every, "after", after), timeout=10, message="a later write past the tag edit",
               explain=lambda: a.quick.backlog(src))
    # Different keys are delivered side by side: "after" can land before o's tag edit does; wait for the edit.
    wait_until(lambda: b.quick.tags(every, "o", v) == {"k": "1"}, timeout=60, message="the tag edit at the destination",
               explain=lambda: (b.quick.tags(every, "o", v), a.quick.backlog(src)))
    assert b.quick.versions(tagged) == []
    assert a.quick.backlog(src)["failures"] == []


def test_versioning_cannot_be_suspended_while_replicated(pair):
    """As S3: a bucket with a replication configuration keeps versioning Enabled (409 InvalidBucketState) — a
    suspended source would write "null" versions no destination can take."""
    a, b = pair
    src, dst = replicated(pair)
    with pytest.raises(ClientError) as e:
        a.s3.put_bucket_versioning(Bucket=src, VersioningConfiguration={"Status": "Suspended"})
    assert client_error(e)[:2] == (409, "InvalidBucketState")
    assert a.s3.get_bucket_versioning(Bucket=src)["Status"] == "Enabled"
    a.s3.delete_bucket_replication(Bucket=src)
    a.s3.put_bucket_versioning(Bucket=src, VersioningConfiguration={"Status": "Suspended"})


# =====================================================================================================================
# 3. Two-way replication
# =====================================================================================================================


def test_two_way_replication_does_not_loop(pair):
    a, b = pair
    add_remote(b, "a", a)
    x = versioned_bucket(a, "two-x")
    y = versioned_bucket(b, "two-y")
    configure(a, x, rule(y, delete_markers="Enabled"))
    configure(b, y, rule(x, delete_markers="Enabled"))

    k = a.quick.put(x, "k", b"from a", tags={"t": "1"})
    wait_until(lambda: has_version(b, y, "k", k), message="k on B")
    a.quick.put_tags(x, "k", k, {"t": "2"})
    wait_until(lambda: b.quick.tags(y, "k", k) == {"t": "2"}, message="k's tags on B")
    j = b.quick.put(y, "j", b"from b")
    wait_until(lambda: has_version(a, x, "j", j), message="j on A")
    marker = a.s3.delete_object(Bucket=x, Key="k")["VersionId"]
    wait_until(lambda: has_version(b, y, "k", marker), message="k's delete marker on B")

    # round trips in both directions: whatever either side would send back has been sent by then
    barrier(a, x, b, y, "bar-a1/")
    barrier(b, y, a, x, "bar-b/")
    barrier(a, x, b, y, "bar-a2/")
    on_a, on_b = a.quick.versions(x), b.quick.versions(y)
    assert on_a == on_b
    ids = [v for _, v, _ in on_a]
    assert len(ids) == len(set(ids)) == 6, on_a
    assert [(key, marker_) for key, _, marker_ in on_a if key in ("j", "k")] == [("j", False), ("k", True), ("k", False)]
    assert a.quick.tags(x, "k", k) == b.quick.tags(y, "k", k) == {"t": "2"}
    assert a.quick.head_status(x, "k", k) == "COMPLETED" and b.quick.head_status(y, "k", k) == "REPLICA"
    assert b.quick.head_status(y, "j", j) == "COMPLETED" and a.quick.head_status(x, "j", j) == "REPLICA"
    for node, bucket in ((a, x), (b, y)):
        wait_until(lambda: node.quick.backlog(bucket)["pending"] == 0, message="nothing pending on %s" % node.name)
        assert node.quick.backlog(bucket)["failures"] == []
    time.sleep(0.5)  # several worker rounds: nothing more may come
    assert a.quick.versions(x) == on_a and b.quick.versions(y) == on_b


# =====================================================================================================================
# 4. A destination on no registered remote
# =====================================================================================================================


def test_unregistered_destination_fails_with_a_reason_then_completes(pair):
    a, b = pair
    c = Node("c")
    try:
        src = versioned_bucket(a, "src")
        dst = versioned_bucket(c, "far")
        configure(a, src, rule(dst))
        version_id = a.quick.put(src, "obj", b"to c")

        def failing():
            status = json.loads(tessera("replication", "status", "s3://" + src, "--json", endpoint=a.endpoint).stdout)
            return status if status["failures"] else None
        status = wait_until(failing, message="a recorded failure")
        assert status["bucket"] == src and status["configured"] is True
        assert status["pending"] == 1 and status["oldestPendingAgeSeconds"] >= 0
        failure = status["failures"][0]
        assert failure["attempts"] >= 1
        assert "destination bucket %s is on no registered remote" % dst in failure["lastError"], failure
        text = tessera("replication", "status", "s3://" + src, endpoint=a.endpoint).stdout
        assert re.search(r"^s3://%s: 1 change\(s\) pending, oldest [0-9.]+ s old$" % re.escape(src), text, re.M), text
        assert re.search(r"^  change %d: \d+ attempt\(s\), next \S+: destination bucket %s is on no registered remote"
                         % (failure["seq"], re.escape(dst)), text, re.M), text
        assert a.quick.head_status(src, "obj", version_id) == "PENDING"
        assert c.quick.versions(dst) == []

        add_remote(a, "c", c)
        wait_until(lambda: a.quick.head_status(src, "obj", version_id) == "COMPLETED", message="COMPLETED once c is known")
        assert c.quick.versions(dst) == [("obj", version_id, False)]
        assert c.s3.get_object(Bucket=dst, Key="obj")["Body"].read() == b"to c"
        status = json.loads(tessera("replication", "status", "s3://" + src, "--json", endpoint=a.endpoint).stdout)
        assert status["pending"] == 0 and status["failures"] == [] and "oldestPendingAgeSeconds" not in status
        text = tessera("replication", "status", "s3://" + src, endpoint=a.endpoint).stdout
        assert text == "s3://%s: 0 change(s) pending\n" % src
        plain = versioned_bucket(a, "plain")
        assert tessera("replication", "status", "s3://" + plain, endpoint=a.endpoint).stdout == \
            "s3://%s is not replicated\n" % plain
    finally:
        tessera("remotes", "remove", "c", "--data-dir", a.data_dir, check=False)
        c.close()


def test_deleting_the_configuration_drops_its_failures(pair):
    """Deleting a configuration stops replication and drops its pending changes: `status` must not go on showing
    the failures of changes that will never be retried, nor show them again once the bucket is configured anew."""
    a, b = pair
    src = versioned_bucket(a, "src")
    configure(a, src, rule(new_name("nowhere")))
    a.quick.put(src, "k", b"k")
    wait_until(lambda: a.quick.backlog(src)["failures"], message="a failed delivery to be recorded")
    a.s3.delete_bucket_replication(Bucket=src)
    status = a.quick.backlog(src)
    assert (status["configured"], status["pending"], status["failures"]) == (False, 0, []), status
    assert tessera("replication", "status", "s3://" + src, endpoint=a.endpoint).stdout == \
        "s3://%s is not replicated\n" % src
    dst = versioned_bucket(b, "dst")
    configure(a, src, rule(dst))
    barrier(a, src, b, dst)
    status = a.quick.backlog(src)
    assert (status["configured"], status["pending"], status["failures"]) == (True, 0, []), status


# =====================================================================================================================
# 5. Resync
# =====================================================================================================================


def test_resync_replicates_what_existed_before(pair):
    a, b = pair
    src = versioned_bucket(a, "src")
    dst = versioned_bucket(b, "dst")
    k1a = a.quick.put(src, "k1", b"k1 a", tags={"n": "1"})
    k1b = a.quick.put(src, "k1", b"k1 b")
    k2 = a.quick.put(src, "k2", b"k2")
    k2m = a.s3.delete_object(Bucket=src, Key="k2")["VersionId"]
    k3 = a.quick.put(src, "k3", b"k3", tags={"x": "y"})
    configure(a, src, rule(dst, delete_markers="Enabled"))
    new = a.quick.put(src, "new", b"new")
    wait_until(lambda: b.quick.versions(dst) == [("new", new, False)], message="the new object replicated")

    out = tessera("replication", "resync", "s3://" + src, endpoint=a.endpoint).stdout
    assert out == "queued 6 version(s) of s3://%s\n" % src
    expected = a.quick.state(src)
    wait_until(lambda: b.quick.state(dst) == expected, message="the destination to equal the source")
    assert [v for _, v, _, _ in expected] == [k1b, k1a, k2m, k2, k3, new]
    for key, vid in (("k1", k1a), ("k1", k1b), ("k2", k2), ("k3", k3)):
        assert a.quick.head_status(src, key, vid) == "COMPLETED"
        assert b.quick.head_status(dst, key, vid) == "REPLICA"
    assert b.s3.get_object(Bucket=dst, Key="k1", VersionId=k1a)["Body"].read() == b"k1 a"

    # again: queued, and nothing written twice
    again = json.loads(tessera("replication", "resync", "s3://" + src, "--json", endpoint=a.endpoint).stdout)
    assert again == {"bucket": src, "queued": 6}
    wait_until(lambda: a.quick.backlog(src)["pending"] == 0, message="the second resync handled")
    assert b.quick.state(dst) == expected

    plain = versioned_bucket(a, "plain")
    refused = tessera("replication", "resync", "s3://" + plain, endpoint=a.endpoint, check=False)
    assert refused.returncode != 0 and "ReplicationConfigurationNotFoundError" in refused.stderr, refused.stderr


# =====================================================================================================================
# 6. Crash safety
# =====================================================================================================================


class Writer:
    """Threads that each write a stream of changes on keys of their own — PUTs (some with tags), tag sets replaced
    or removed on earlier versions — and log every acknowledged one. A thread stops at its first failed request
    (the server is gone); the request it was in then is in doubt."""

    def __init__(self, node, bucket, keys, total, seed):
        self.node, self.bucket, self.keys, self.total = node, bucket, keys, total
        self.acked = []  # (key, op, version id, tags)
        self.lock = threading.Lock()
        self.errors = []
        self.doubt = {}  # key -> the change a thread has sent and not seen acknowledged
        self.threads = [threading.Thread(target=self._run, args=(key, random.Random(seed + i)), daemon=True)
                        for i, key in enumerate(keys)]
        self.count = 0

    def start(self):
        for t in self.threads:
            t.start()

    def join(self):
        for t in self.threads:
            t.join(timeout=60)

    def _claim(self):
        with self.lock:
            if self.count >= self.total:
                return False
            self.count += 1
            return True

    def _run(self, key, rng):
        quick = Quick(self.node.endpoint)
        versions = []
        i = 0
        while self._claim():
            i += 1
            r = rng.random()
            if not versions or r < 0.5:
                tags = {"gen": str(i)} if rng.random() < 0.5 else {}
                entry = [key, "put", None, tags]
            elif r < 0.85:
                entry = [key, "tags", rng.choice(versions), {"edit": str(i), "key": key}]
            else:
                entry = [key, "untag", rng.choice(versions), {}]
            with self.lock:
                self.doubt[key] = entry
            try:
                if entry[1] == "put":
                    entry[2] = quick.put(self.bucket, key, ("%s #%d" % (key, i)).encode(), tags=entry[3])
                    versions.append(entry[2])
                elif entry[1] == "tags":
                    quick.put_tags(self.bucket, key, entry[2], entry[3])
                else:
                    quick.delete_tags(self.bucket, key, entry[2])
            except (OSError, http.client.HTTPException, AssertionError) as e:
                self.errors.append(e)
                return
            with self.lock:
                del self.doubt[key]
                self.acked.append(tuple(entry))

    def acked_count(self):
        with self.lock:
            return len(self.acked)

    def check_acknowledged(self, state):
        """Every acknowledged change is in the final state: each acknowledged PUT a version, each key's versions in
        the order they were written, each version's tags those of its last acknowledged change — or of the change in
        doubt (the request a thread was in when the server died), which may or may not have happened."""
        by_key = {}
        for key, vid, marker, tags in state:
            assert not marker, (key, vid)
            by_key.setdefault(key, []).append((vid, tags))
        for key in self.keys:
            ops = [e for e in self.acked if e[0] == key]
            doubt = self.doubt.get(key)
            written = [vid for _, op, vid, _ in ops if op == "put"]
            present = [vid for vid, _ in reversed(by_key.get(key, []))]  # oldest first
            extra = [v for v in present if v not in written]
            if doubt is not None and doubt[1] == "put":
                assert present in (written, written + extra) and len(extra) <= 1, (key, present, written)
            else:
                assert present == written, "%s: versions %r, acknowledged %r" % (key, present, written)
            final = dict(by_key.get(key, []))
            expected = {}
            for _, op, vid, tags in ops:
                expected[vid] = tags
            for vid, tags in expected.items():
                allowed = [tags]
                if doubt is not None and doubt[1] != "put" and doubt[2] == vid:
                    allowed.append(doubt[3])
                assert final[vid] in allowed, "%s %s: tags %r, expected one of %r" % (key, vid, final[vid], allowed)


def assert_replicated_exactly(a, src, b, dst, timeout=30):
    """Wait until the destination holds exactly the source's versions — same ids, same order per key, same tags — and
    nothing is pending; the final, equal state."""
    def equal():
        if a.quick.backlog(src)["pending"] != 0:
            return None
        source = a.quick.state(src)
        return source if b.quick.state(dst) == source else None
    try:
        state = wait_until(equal, timeout=timeout, interval=0.5, message="the destination to equal the source")
    except AssertionError:
        source, dest = a.quick.state(src), b.quick.state(dst)
        missing = [s for s in source if s not in dest]
        extra = [d for d in dest if d not in source]
        raise AssertionError("destination differs from source after %ss: backlog %r; %d missing or different, e.g. "
                             "%r; %d extra or different, e.g. %r" % (timeout, a.quick.backlog(src), len(missing),
                                                                    missing[:3], len(extra), extra[:3]))
    for key, vid, _, _ in state:
        assert a.quick.head_status(src, key, vid) == "COMPLETED", (key, vid)
        assert b.quick.head_status(dst, key, vid) == "REPLICA", (key, vid)
    assert a.quick.backlog(src)["failures"] == []
    return state


CRASH_WRITES = 300
CRASH_KEYS = ["key-%d" % i for i in range(5)]


def test_kill_source_while_it_replicates(pair):
    a, b = pair
    src, dst = replicated(pair)
    writer = Writer(a, src, CRASH_KEYS, CRASH_WRITES, seed=1)
    writer.start()
    # kill once a good part of the stream is acknowledged and the source has replicated some of it but not all
    deadline = time.time() + 30
    while True:
        assert time.time() < deadline, "the stream did not get going"
        if writer.acked_count() >= CRASH_WRITES // 3:
            pending = a.quick.backlog(src)["pending"]
            delivered = len(b.quick.versions(dst))
            if pending > 0 and delivered > 0:
                break
        time.sleep(0.02)
    a.kill9()
    writer.join()
    acknowledged = writer.acked_count()
    assert acknowledged < CRASH_WRITES, "the writes finished before the kill"
    assert writer.errors, "the writers did not notice the kill"
    a.restart()

    state = assert_replicated_exactly(a, src, b, dst)
    writer.check_acknowledged([s for s in state if s[0] in CRASH_KEYS])
    assert len([1 for _, op, _, _ in writer.acked if op == "put"]) <= len(state)

    # the source goes on replicating after the restart
    more = Writer(a, src, CRASH_KEYS[:2], 20, seed=2)
    more.start()
    more.join()
    assert more.acked_count() == 20 and not more.errors
    assert_replicated_exactly(a, src, b, dst)


def test_kill_destination_while_the_source_writes(pair):
    a, b = pair
    src, dst = replicated(pair)
    total = 150
    writer = Writer(a, src, CRASH_KEYS, total, seed=3)
    writer.start()
    wait_until(lambda: len(b.quick.versions(dst)) > 0 and writer.acked_count() >= total // 4, interval=0.02,
               message="replication under way")
    b.kill9()
    killed_at = writer.acked_count()
    # the source takes writes while the destination is down; deliveries fail and wait their backoff
    wait_until(lambda: writer.acked_count() >= min(total, killed_at + 40), interval=0.02,
               message="writes while the destination is down")
    wait_until(lambda: a.quick.backlog(src)["failures"], message="a failed delivery recorded")
    b.restart()
    writer.join()
    assert writer.acked_count() == total and not writer.errors, writer.errors[:1]
    state = assert_replicated_exactly(a, src, b, dst)
    writer.check_acknowledged(state)
    assert a.quick.backlog(src)["pending"] == 0
