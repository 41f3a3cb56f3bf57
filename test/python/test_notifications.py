"""S3 event notifications through boto3, the aws CLI and the tessera CLI, delivered to a real HTTP receiver on
127.0.0.1: Put/GetBucketNotificationConfiguration (round trips, generated IDs, filter rules, S3's codes and messages
for configurations it refuses, the s3:TestEvent each destination gets before a configuration is stored), the event
JSON of every write that fires one (ObjectCreated:Put/Post/Copy/CompleteMultipartUpload, ObjectRemoved:Delete and
DeleteMarkerCreated, ObjectTagging:Put/Delete, LifecycleExpiration:Delete and DeleteMarkerCreated), URL-encoded keys,
prefix/suffix filters, the order of one key's events, target headers, retries with backoff, dead letters
(`tessera notifications dead-letters`), and a server killed with SIGKILL right after acknowledged writes.

The main server runs with TESSERA_LIFECYCLE_DAY_SECONDS=2 (a lifecycle day lasts two seconds). The dead-letter
scenario takes about 31 s of backoff (1+2+4+8+16 s): the module fixture starts it before the first test, and the last
test of the file looks at its outcome, so that wait overlaps every other test."""
import datetime
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from conftest import ACCESS_KEY, ROOT, SECRET_KEY, make_client, start_server

DAY = 2  # seconds in a lifecycle day on the main server
WAIT = 20  # the longest any single wait for an event may take
SEQUENCER = re.compile(r"^[0-9A-F]{16,}$")
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
MAX_ATTEMPTS = 6  # NotificationService.MAX_NOTIFICATION_ATTEMPTS
BACKOFF = [1, 2, 4, 8, 16]  # seconds before attempts 2..6


# ---- the receiver ----


class Receiver:
    """A threaded HTTP server recording every POST (path, headers with lower-case names, JSON body, the status it answered, when). Each path
    is a target; a path can be told to answer 500 (to events only, or to the s3:TestEvent too) for a while, and to take
    some time before answering."""

    def __init__(self):
        self.cond = threading.Condition()
        self.posts = []
        self.failing = {}  # path -> (until, also test events)
        self.delays = {}  # path -> seconds
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = {"unparsable": raw.decode("utf-8", "replace")}
                status = receiver._arrived(self.path.lstrip("/"), {k.lower(): v for k, v in self.headers.items()}, body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, name):
        return "http://127.0.0.1:%d/%s" % (self.httpd.server_address[1], name)

    def _arrived(self, path, headers, body):
        with self.cond:
            until, tests_too = self.failing.get(path, (0, False))
            is_test = body.get("Event") == "s3:TestEvent"
            status = 500 if time.time() < until and (tests_too or not is_test) else 200
            self.posts.append({"path": path, "headers": headers, "body": body, "status": status, "at": time.time()})
            self.cond.notify_all()
            delay = self.delays.get(path, 0)
        if delay:
            time.sleep(delay)
        return status

    def fail(self, name, seconds=float("inf"), test_events=False):
        with self.cond:
            self.failing[name] = (time.time() + seconds, test_events)

    def recover(self, name):
        with self.cond:
            self.failing.pop(name, None)

    def slow(self, name, seconds):
        with self.cond:
            self.delays[name] = seconds

    def all_posts(self, name):
        with self.cond:
            return [p for p in self.posts if p["path"] == name]

    def test_events(self, name, bucket):
        return [p for p in self.all_posts(name) if p["body"].get("Event") == "s3:TestEvent" and p["body"].get("Bucket") == bucket]

    def attempts(self, name, bucket):
        """Every POST of an event of the bucket (answered 200 or not), as (post, record), in arrival order."""
        out = []
        for p in self.all_posts(name):
            for record in p["body"].get("Records", []):
                if record["s3"]["bucket"]["name"] == bucket:
                    out.append((p, record))
        return out

    def records(self, name, bucket):
        """The event records of the bucket the receiver acknowledged, in arrival order."""
        return [r for p, r in self.attempts(name, bucket) if p["status"] == 200]

    def wait(self, condition, timeout=WAIT, message="events"):
        deadline = time.time() + timeout
        with self.cond:
            while True:
                value = condition()
                if value:
                    return value
                left = deadline - time.time()
                if left <= 0:
                    raise AssertionError("timed out after %ss waiting for %s" % (timeout, message))
                self.cond.wait(min(left, 0.25))

    def wait_records(self, name, bucket, count, timeout=WAIT):
        """Wait until the bucket has at least `count` acknowledged records; return them all."""
        self.wait(lambda: len(self.records(name, bucket)) >= count, timeout,
                  "%d event(s) of %s at %s (have %r)" % (count, bucket, name, self._summary(name, bucket)))
        return self.records(name, bucket)

    def wait_key(self, name, bucket, encoded_key, event_name, timeout=WAIT):
        """Wait for an acknowledged record of this event on this (event-encoded) key; return it."""
        def found():
            return [r for r in self.records(name, bucket) if r["s3"]["object"]["key"] == encoded_key and r["eventName"] == event_name]
        return self.wait(found, timeout, "%s on %s in %s (have %r)" % (event_name, encoded_key, bucket, self._summary(name, bucket)))[-1]

    def _summary(self, name, bucket):
        return [(r["eventName"], r["s3"]["object"]["key"]) for r in self.records(name, bucket)]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


# ---- helpers ----


def tessera(*args, server=None, check=True):
    env = dict(os.environ)
    env.update({"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY})
    if server is not None:
        env["TESSERA_ENDPOINT"] = server.endpoint
    proc = subprocess.run(["node", os.path.join(ROOT, "dist/src/cli/main.js"), *args], env=env, capture_output=True,
                          text=True, timeout=60)
    if check and proc.returncode != 0:
        raise AssertionError("tessera %s failed (%d): %s" % (" ".join(args), proc.returncode, proc.stderr))
    return proc


def add_target(data_dir, name, url, headers=()):
    args = ["targets", "add", name, "--webhook", url, "--data-dir", data_dir]
    for h in headers:
        args += ["--header", h]
    assert tessera(*args).stdout.strip() == name


def arn(name, kind="sqs"):
    if kind == "lambda":
        return "arn:aws:lambda:us-east-1:000000000000:function:%s" % name
    return "arn:aws:%s:us-east-1:000000000000:%s" % (kind, name)


def queue(name, events, prefix=None, suffix=None, id=None):
    config = {"QueueArn": arn(name), "Events": list(events)}
    if id is not None:
        config["Id"] = id
    rules = ([{"Name": "prefix", "Value": prefix}] if prefix is not None else []) + \
            ([{"Name": "suffix", "Value": suffix}] if suffix is not None else [])
    if rules:
        config["Filter"] = {"Key": {"FilterRules": rules}}
    return config


def put_config(s3, bucket, queues=(), topics=(), functions=()):
    config = {}
    if queues:
        config["QueueConfigurations"] = list(queues)
    if topics:
        config["TopicConfigurations"] = list(topics)
    if functions:
        config["LambdaFunctionConfigurations"] = list(functions)
    return s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=config)


def get_config(s3, bucket):
    got = s3.get_bucket_notification_configuration(Bucket=bucket)
    got.pop("ResponseMetadata")
    return got


def client_error(excinfo):
    r = excinfo.value.response
    return r["ResponseMetadata"]["HTTPStatusCode"], r["Error"]["Code"], r["Error"].get("Message"), r["Error"]


def signed(server, method, path, query=""):
    request = AWSRequest(method=method, url=server.endpoint + path + ("?" + query if query else ""), data=b"")
    S3SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "s3", "us-east-1").add_auth(request)
    prepared = request.prepare()
    return requests.request(method, prepared.url, headers=dict(prepared.headers), timeout=60)


def new_bucket(s3, prefix="nt", versioned=False):
    name = "%s-%s" % (prefix, uuid.uuid4().hex[:12])
    s3.create_bucket(Bucket=name)
    if versioned:
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    return name


def seq(record):
    return int(record["s3"]["object"]["sequencer"], 16)


def stop(srv):
    if srv.proc.poll() is None:
        srv.proc.terminate()
        try:
            srv.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            srv.proc.kill()
            srv.proc.wait()


ALL_EVENTS = ["s3:ObjectCreated:*", "s3:ObjectRemoved:*", "s3:ObjectTagging:*"]


class Env:
    pass


@pytest.fixture(scope="module")
def env():
    """A server (own data dir, two-second lifecycle days) and the receiver, with targets:
    hook (sends two extra headers), flaky, dead, refuse; and the dead-letter scenario already under way."""
    e = Env()
    e.receiver = Receiver()
    e.data_dir = tempfile.mkdtemp(prefix="tessera-notifications-")
    add_target(e.data_dir, "hook", e.receiver.url("hook"),
               headers=["X-Tessera-Test=hello world", "Authorization=Bearer s3cr=t"])
    for name in ("flaky", "dead", "refuse"):
        add_target(e.data_dir, name, e.receiver.url(name))
    e.server = start_server(e.data_dir, {"TESSERA_LIFECYCLE_DAY_SECONDS": str(DAY)})
    e.s3 = make_client(e.server)

    # the dead-letter scenario (test_dead_letters, last in this file): every event to `dead` fails from now on
    e.dead_bucket = new_bucket(e.s3, "dead")
    put_config(e.s3, e.dead_bucket, [queue("dead", ["s3:ObjectCreated:*"], id="doomed")])
    e.receiver.fail("dead")
    e.s3.put_object(Bucket=e.dead_bucket, Key="doomed", Body=b"x")
    e.s3.put_object(Bucket=e.dead_bucket, Key="queued", Body=b"y")
    e.dead_armed_at = time.time()
    yield e
    stop(e.server)
    e.receiver.close()
    shutil.rmtree(e.data_dir, ignore_errors=True)


@pytest.fixture
def s3(env):
    return env.s3


@pytest.fixture
def receiver(env):
    return env.receiver


@pytest.fixture
def watched(env):
    """A bucket whose every created, removed and tagging event goes to `hook` (configuration Id "all")."""
    bucket = new_bucket(env.s3)
    put_config(env.s3, bucket, [queue("hook", ALL_EVENTS, id="all")])
    return bucket


@pytest.fixture
def watched_versioned(env):
    bucket = new_bucket(env.s3, versioned=True)
    put_config(env.s3, bucket, [queue("hook", ALL_EVENTS, id="all")])
    return bucket


@pytest.fixture
def aws(env, tmp_path):
    cli_env = dict(os.environ)
    cli_env.update({
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(tmp_path / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "aws-credentials"),
    })
    (tmp_path / "aws-config").write_text("[default]\ns3 =\n    addressing_style = path\n")

    def run(*args, check=True):
        proc = subprocess.run(["aws", "--endpoint-url", env.server.endpoint, *args], env=cli_env,
                              capture_output=True, text=True, timeout=120)
        if check and proc.returncode != 0:
            raise AssertionError("aws %s failed (%d): %s" % (" ".join(args), proc.returncode, proc.stderr))
        return proc

    return run


# =====================================================================================================================
# 1. The configuration API
# =====================================================================================================================


def test_bucket_without_configuration_answers_an_empty_one(s3, aws):
    bucket = new_bucket(s3)
    got = s3.get_bucket_notification_configuration(Bucket=bucket)
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 200
    got.pop("ResponseMetadata")
    assert got == {}
    out = aws("s3api", "get-bucket-notification-configuration", "--bucket", bucket).stdout.strip()
    assert json.loads(out or "{}") == {}


def test_round_trip_of_every_kind_with_generated_id_and_filters(s3, receiver):
    bucket = new_bucket(s3)
    put = put_config(
        s3, bucket,
        queues=[queue("hook", ["s3:ObjectCreated:*"], prefix="images/", suffix=".jpg", id="images")],
        topics=[{"TopicArn": arn("hook", "sns"), "Events": ["s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated"]}],
        functions=[{"Id": "tags", "LambdaFunctionArn": arn("hook", "lambda"), "Events": ["s3:ObjectTagging:*"],
                    "Filter": {"Key": {"FilterRules": [{"Name": "Suffix", "Value": ".txt"}]}}}],
    )
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 200
    got = get_config(s3, bucket)
    assert got["QueueConfigurations"] == [{
        "Id": "images", "QueueArn": arn("hook"), "Events": ["s3:ObjectCreated:*"],
        # S3 answers the rule names as Prefix / Suffix whatever their case when sent
        "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "images/"}, {"Name": "Suffix", "Value": ".jpg"}]}},
    }]
    [topic] = got["TopicConfigurations"]
    generated = topic.pop("Id")
    assert generated and generated not in ("images", "tags")
    assert topic == {"TopicArn": arn("hook", "sns"), "Events": ["s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated"]}
    assert got["LambdaFunctionConfigurations"] == [{
        "Id": "tags", "LambdaFunctionArn": arn("hook", "lambda"), "Events": ["s3:ObjectTagging:*"],
        "Filter": {"Key": {"FilterRules": [{"Name": "Suffix", "Value": ".txt"}]}},
    }]
    # the generated ID is kept, not made again on each GET
    assert get_config(s3, bucket)["TopicConfigurations"][0]["Id"] == generated

    # an event carries the ID of the configuration it matched (the generated one too)
    s3.put_object(Bucket=bucket, Key="images/a.jpg", Body=b"jpg")
    s3.delete_object(Bucket=bucket, Key="images/a.jpg")
    s3.put_object(Bucket=bucket, Key="notes.txt", Body=b"t")
    s3.put_object_tagging(Bucket=bucket, Key="notes.txt", Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
    records = receiver.wait_records("hook", bucket, 3)
    assert [(r["eventName"], r["s3"]["object"]["key"], r["s3"]["configurationId"]) for r in records] == [
        ("ObjectCreated:Put", "images/a.jpg", "images"),
        ("ObjectRemoved:Delete", "images/a.jpg", generated),
        ("ObjectTagging:Put", "notes.txt", "tags"),
    ]  # notes.txt's creation matches no configuration

    # an empty configuration removes it
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={})
    assert get_config(s3, bucket) == {}
    s3.put_object(Bucket=bucket, Key="images/after.jpg", Body=b"jpg")
    time.sleep(1.0)  # a bounded look for an event that must not come (the worker looks every 100 ms)
    assert [r["s3"]["object"]["key"] for r in receiver.records("hook", bucket)] == ["images/a.jpg", "images/a.jpg", "notes.txt"]


def test_round_trip_with_the_aws_cli(s3, aws, receiver, tmp_path):
    bucket = new_bucket(s3)
    document = {
        "QueueConfigurations": [
            {"Id": "logs", "QueueArn": arn("hook"), "Events": ["s3:ObjectCreated:Put", "s3:ObjectCreated:Copy"],
             "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "logs/"}]}}},
            # the same events on another prefix do not overlap
            {"QueueArn": arn("hook"), "Events": ["s3:ObjectCreated:*"],
             "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "data/"}, {"Name": "suffix", "Value": ".csv"}]}}},
        ],
    }
    path = tmp_path / "notification.json"
    path.write_text(json.dumps(document))
    aws("s3api", "put-bucket-notification-configuration", "--bucket", bucket,
        "--notification-configuration", "file://%s" % path)
    got = json.loads(aws("s3api", "get-bucket-notification-configuration", "--bucket", bucket).stdout)
    assert list(got) == ["QueueConfigurations"]
    first, second = got["QueueConfigurations"]
    assert first == {"Id": "logs", "QueueArn": arn("hook"), "Events": ["s3:ObjectCreated:Put", "s3:ObjectCreated:Copy"],
                     "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "logs/"}]}}}
    assert second.pop("Id")
    assert second == {"QueueArn": arn("hook"), "Events": ["s3:ObjectCreated:*"],
                      "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "data/"}, {"Name": "Suffix", "Value": ".csv"}]}}}
    # one test event per destination ARN (both configurations name the same one)
    receiver.wait(lambda: receiver.test_events("hook", bucket), message="the test event")
    assert len(receiver.test_events("hook", bucket)) == 1

    # an empty configuration through the CLI removes it
    aws("s3api", "put-bucket-notification-configuration", "--bucket", bucket, "--notification-configuration", "{}")
    assert json.loads(aws("s3api", "get-bucket-notification-configuration", "--bucket", bucket).stdout.strip() or "{}") == {}


def test_test_event_is_sent_to_each_destination_before_the_configuration_is_stored(s3, receiver):
    bucket = new_bucket(s3)
    before = time.time()
    put = put_config(s3, bucket, [queue("hook", ["s3:ObjectCreated:*"], id="q")],
                     topics=[{"Id": "t", "TopicArn": arn("flaky", "sns"), "Events": ["s3:ObjectRemoved:*"]}])
    # the test events arrived before the PUT was answered
    [hook_test] = receiver.test_events("hook", bucket)
    [flaky_test] = receiver.test_events("flaky", bucket)
    for post in (hook_test, flaky_test):
        body = post["body"]
        assert body["Service"] == "Amazon S3"
        assert body["Event"] == "s3:TestEvent"
        assert body["Bucket"] == bucket
        assert ISO_TIME.match(body["Time"]), body
        moment = datetime.datetime.strptime(body["Time"][:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
        assert abs(moment.timestamp() - before) < 60
        assert body["RequestId"] == put["ResponseMetadata"]["RequestId"]
        assert "HostId" in body
        assert post["headers"].get("content-type", "").startswith("application/json")
    assert hook_test["headers"].get("x-tessera-test") == "hello world"
    assert "x-tessera-test" not in flaky_test["headers"]


def test_refused_test_event_fails_the_put_and_stores_nothing(s3, receiver):
    receiver.fail("refuse", test_events=True)
    try:
        # a bucket with no configuration keeps none
        fresh = new_bucket(s3)
        with pytest.raises(ClientError) as e:
            put_config(s3, fresh, [queue("refuse", ["s3:ObjectCreated:*"])])
        status, code, message, error = client_error(e)
        assert (status, code, message) == (400, "InvalidArgument", "Unable to validate the following destination configurations")
        assert error.get("ArgumentName1") == arn("refuse"), error
        assert receiver.test_events("refuse", fresh), "the destination was sent the test event"
        assert get_config(s3, fresh) == {}

        # a bucket with a configuration keeps it, even when the other destination took its test event
        bucket = new_bucket(s3)
        put_config(s3, bucket, [queue("hook", ["s3:ObjectCreated:*"], id="kept")])
        with pytest.raises(ClientError) as e:
            put_config(s3, bucket, [queue("hook", ["s3:ObjectCreated:*"], id="new", prefix="a/"),
                                    queue("refuse", ["s3:ObjectCreated:*"], id="refused", prefix="b/")])
        assert client_error(e)[:3] == (400, "InvalidArgument", "Unable to validate the following destination configurations")
        assert len(receiver.test_events("hook", bucket)) == 2
        assert [c["Id"] for c in get_config(s3, bucket)["QueueConfigurations"]] == ["kept"]
        s3.put_object(Bucket=bucket, Key="b/x", Body=b"x")
        assert receiver.wait_key("hook", bucket, "b/x", "ObjectCreated:Put")["s3"]["configurationId"] == "kept"
    finally:
        receiver.recover("refuse")


INVALID = [
    pytest.param([queue("hook", ["s3:ObjectCreated:Patch"])],
                 "The event is not supported for notifications", {"ArgumentName": "Event", "ArgumentValue": "s3:ObjectCreated:Patch"},
                 id="unknown-event"),
    pytest.param([{"QueueArn": arn("hook"), "Events": ["s3:ObjectCreated:*"],
                   "Filter": {"Key": {"FilterRules": [{"Name": "infix", "Value": "x"}]}}}],
                 "filter rule name must be either prefix or suffix", {"ArgumentName": "FilterRule.Name", "ArgumentValue": "infix"},
                 id="rule-name"),
    pytest.param([{"QueueArn": arn("hook"), "Events": ["s3:ObjectCreated:*"],
                   "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "a/"}, {"Name": "Prefix", "Value": "b/"}]}}}],
                 "Cannot specify more than one prefix rule in a filter.", {"ArgumentName": "FilterRule.Name"},
                 id="two-prefixes"),
    pytest.param([queue("hook", ["s3:ObjectCreated:*"], prefix="logs/"), queue("hook", ["s3:ObjectCreated:Put"], prefix="logs/2024/")],
                 "Configurations overlap. Configurations on the same bucket cannot share a common event type.", {},
                 id="overlap"),
    pytest.param([queue("hook", ["s3:ObjectCreated:*"]), queue("nobody-registered", ["s3:ObjectRemoved:*"])],
                 "Unable to validate the following destination configurations",
                 {"ArgumentName1": arn("nobody-registered"), "ArgumentValue1": "The destination queue does not exist"},
                 id="unregistered-target"),
]


@pytest.mark.parametrize("queues, message, fields", INVALID)
def test_refused_configurations(s3, receiver, queues, message, fields):
    bucket = new_bucket(s3)
    with pytest.raises(ClientError) as e:
        put_config(s3, bucket, queues)
    status, code, got_message, error = client_error(e)
    assert (status, code, got_message) == (400, "InvalidArgument", message)
    for name, value in fields.items():
        assert error.get(name) == value, error
    assert get_config(s3, bucket) == {}
    # nothing is sent to any destination of a configuration refused for its form
    assert receiver.test_events("hook", bucket) == []


def test_overlap_across_destination_kinds_and_wildcards(s3):
    bucket = new_bucket(s3)
    with pytest.raises(ClientError) as e:
        put_config(s3, bucket, queues=[queue("hook", ["s3:ObjectRemoved:Delete"], suffix=".log")],
                   topics=[{"TopicArn": arn("hook", "sns"), "Events": ["s3:ObjectRemoved:*"],
                            "Filter": {"Key": {"FilterRules": [{"Name": "suffix", "Value": "app.log"}]}}}])
    assert client_error(e)[:3] == (400, "InvalidArgument",
                                   "Configurations overlap. Configurations on the same bucket cannot share a common event type.")
    # disjoint suffixes, or different event types, do not overlap
    put_config(s3, bucket, queues=[queue("hook", ["s3:ObjectRemoved:Delete"], suffix=".log")],
               topics=[{"TopicArn": arn("hook", "sns"), "Events": ["s3:ObjectRemoved:*"],
                        "Filter": {"Key": {"FilterRules": [{"Name": "suffix", "Value": ".txt"}]}}}],
               functions=[{"LambdaFunctionArn": arn("hook", "lambda"), "Events": ["s3:ObjectCreated:*"]}])
    got = get_config(s3, bucket)
    assert len(got["QueueConfigurations"]) == len(got["TopicConfigurations"]) == len(got["LambdaFunctionConfigurations"]) == 1


# =====================================================================================================================
# 2. Events
# =====================================================================================================================


def check_record(record, bucket, event_name, key, config_id="all", version="2.1"):
    assert record["eventVersion"] == version, record
    assert record["eventSource"] == "aws:s3"
    assert record["awsRegion"] == "us-east-1"
    assert record["eventName"] == event_name
    assert ISO_TIME.match(record["eventTime"]), record["eventTime"]
    moment = datetime.datetime.strptime(record["eventTime"][:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    assert abs(moment.timestamp() - time.time()) < 120
    assert set(record) >= {"userIdentity", "requestParameters", "responseElements", "s3"}
    assert record["s3"]["s3SchemaVersion"] == "1.0"
    assert record["s3"]["configurationId"] == config_id
    assert record["s3"]["bucket"]["name"] == bucket
    assert record["s3"]["bucket"]["arn"] == "arn:aws:s3:::%s" % bucket
    assert "principalId" in record["s3"]["bucket"]["ownerIdentity"]
    assert record["s3"]["object"]["key"] == key
    return record["s3"]["object"]


def test_put_object_event_and_target_headers(s3, receiver, watched):
    put = s3.put_object(Bucket=watched, Key="hello.txt", Body=b"hello world")
    record = receiver.wait_key("hook", watched, "hello.txt", "ObjectCreated:Put")
    obj = check_record(record, watched, "ObjectCreated:Put", "hello.txt")
    assert obj["size"] == 11
    assert obj["eTag"] == put["ETag"].strip('"') == hashlib.md5(b"hello world").hexdigest()
    assert SEQUENCER.match(obj["sequencer"]), obj
    assert "versionId" not in obj  # a bucket that never had versioning
    [post] = [p for p, r in receiver.attempts("hook", watched) if r is record]
    assert post["headers"]["x-tessera-test"] == "hello world"
    assert post["headers"]["authorization"] == "Bearer s3cr=t"
    assert post["headers"]["content-type"].startswith("application/json")
    assert len(post["body"]["Records"]) == 1

    # an overwrite is another Put, with a later sequencer
    s3.put_object(Bucket=watched, Key="hello.txt", Body=b"hi")
    records = receiver.wait_records("hook", watched, 2)
    assert records[1]["s3"]["object"]["size"] == 2
    assert seq(records[1]) > seq(records[0])


def test_copy_multipart_and_browser_post_events(s3, receiver, watched):
    s3.put_object(Bucket=watched, Key="src", Body=b"source bytes")
    copy = s3.copy_object(Bucket=watched, Key="copied", CopySource={"Bucket": watched, "Key": "src"})
    obj = check_record(receiver.wait_key("hook", watched, "copied", "ObjectCreated:Copy"), watched, "ObjectCreated:Copy", "copied")
    assert obj["size"] == 12
    assert obj["eTag"] == copy["CopyObjectResult"]["ETag"].strip('"')

    part = os.urandom(1024)
    upload = s3.create_multipart_upload(Bucket=watched, Key="multi")
    etag = s3.upload_part(Bucket=watched, Key="multi", UploadId=upload["UploadId"], PartNumber=1, Body=part)["ETag"]
    done = s3.complete_multipart_upload(Bucket=watched, Key="multi", UploadId=upload["UploadId"],
                                        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    record = receiver.wait_key("hook", watched, "multi", "ObjectCreated:CompleteMultipartUpload")
    obj = check_record(record, watched, "ObjectCreated:CompleteMultipartUpload", "multi")
    assert obj["size"] == 1024
    assert obj["eTag"] == done["ETag"].strip('"')
    assert obj["eTag"].endswith("-1")

    presigned = s3.generate_presigned_post(Bucket=watched, Key="post/${filename}", ExpiresIn=600,
                                           Conditions=[["starts-with", "$key", "post/"]])
    r = requests.post(presigned["url"], data=presigned["fields"], files={"file": ("hello.txt", b"hello")})
    assert r.status_code == 204, r.text
    obj = check_record(receiver.wait_key("hook", watched, "post/hello.txt", "ObjectCreated:Post"), watched,
                       "ObjectCreated:Post", "post/hello.txt")
    assert obj["size"] == 5
    assert obj["eTag"] == hashlib.md5(b"hello").hexdigest()
    # creating parts and the upload itself fire nothing: one event per created object
    assert [r["eventName"] for r in receiver.records("hook", watched)] == [
        "ObjectCreated:Put", "ObjectCreated:Copy", "ObjectCreated:CompleteMultipartUpload", "ObjectCreated:Post"]


def test_delete_in_an_unversioned_bucket(s3, receiver, watched):
    s3.put_object(Bucket=watched, Key="gone", Body=b"x")
    s3.put_object(Bucket=watched, Key="batch-1", Body=b"x")
    s3.put_object(Bucket=watched, Key="batch-2", Body=b"x")
    s3.delete_object(Bucket=watched, Key="gone")
    record = receiver.wait_key("hook", watched, "gone", "ObjectRemoved:Delete")
    obj = check_record(record, watched, "ObjectRemoved:Delete", "gone")
    assert "size" not in obj and "eTag" not in obj and "versionId" not in obj
    assert SEQUENCER.match(obj["sequencer"])
    # DeleteObjects: one event per object
    s3.delete_objects(Bucket=watched, Delete={"Objects": [{"Key": "batch-1"}, {"Key": "batch-2"}]})
    receiver.wait_key("hook", watched, "batch-1", "ObjectRemoved:Delete")
    receiver.wait_key("hook", watched, "batch-2", "ObjectRemoved:Delete")


def test_deletes_in_a_versioned_bucket(s3, receiver, watched_versioned):
    bucket = watched_versioned
    v1 = s3.put_object(Bucket=bucket, Key="doc", Body=b"one")["VersionId"]
    created = receiver.wait_key("hook", bucket, "doc", "ObjectCreated:Put")
    assert created["s3"]["object"]["versionId"] == v1

    marker = s3.delete_object(Bucket=bucket, Key="doc")
    assert marker["DeleteMarker"] is True
    record = receiver.wait_key("hook", bucket, "doc", "ObjectRemoved:DeleteMarkerCreated")
    obj = check_record(record, bucket, "ObjectRemoved:DeleteMarkerCreated", "doc")
    assert obj["versionId"] == marker["VersionId"]
    assert "size" not in obj
    assert SEQUENCER.match(obj["sequencer"])

    # a version-specific delete removes that version for good: ObjectRemoved:Delete with its version ID
    s3.delete_object(Bucket=bucket, Key="doc", VersionId=v1)
    records = receiver.wait_records("hook", bucket, 3)
    obj = check_record(records[2], bucket, "ObjectRemoved:Delete", "doc")
    assert obj["versionId"] == v1
    assert "size" not in obj and "eTag" not in obj
    # and so does removing the delete marker
    s3.delete_object(Bucket=bucket, Key="doc", VersionId=marker["VersionId"])
    records = receiver.wait_records("hook", bucket, 4)
    assert (records[3]["eventName"], records[3]["s3"]["object"]["versionId"]) == ("ObjectRemoved:Delete", marker["VersionId"])
    assert [seq(r) for r in records] == sorted(seq(r) for r in records)
    assert len({seq(r) for r in records}) == 4


def test_tagging_events(s3, receiver, watched_versioned):
    bucket = watched_versioned
    put = s3.put_object(Bucket=bucket, Key="tagged", Body=b"tags")
    s3.put_object_tagging(Bucket=bucket, Key="tagged", Tagging={"TagSet": [{"Key": "a", "Value": "1"}]})
    s3.delete_object_tagging(Bucket=bucket, Key="tagged")
    records = receiver.wait_records("hook", bucket, 3)
    assert [r["eventName"] for r in records] == ["ObjectCreated:Put", "ObjectTagging:Put", "ObjectTagging:Delete"]
    for record, name in zip(records[1:], ["ObjectTagging:Put", "ObjectTagging:Delete"]):
        # S3 writes tagging events as eventVersion 2.3, with the version and its ETag but no size nor sequencer
        obj = check_record(record, bucket, name, "tagged", version="2.3")
        assert obj["versionId"] == put["VersionId"]
        assert "size" not in obj and "sequencer" not in obj
        assert obj.get("eTag") == put["ETag"].strip('"'), obj


def test_keys_are_url_encoded(s3, receiver, watched):
    keys = {
        "dir/a b+c.txt": "dir/a+b%2Bc.txt",
        "ünï/ß €.txt": "%C3%BCn%C3%AF/%C3%9F+%E2%82%AC.txt",
        "q?x=1&y=2#f": "q%3Fx%3D1%26y%3D2%23f",
        "a%20b": "a%2520b",
        "star*dash-under_dot.9": "star*dash-under_dot.9",
        "日本/語": "%E6%97%A5%E6%9C%AC/%E8%AA%9E",
    }
    for key in keys:
        s3.put_object(Bucket=watched, Key=key, Body=b"k")
    records = receiver.wait_records("hook", watched, len(keys))
    assert [r["s3"]["object"]["key"] for r in records] == list(keys.values())
    # the same encoding on removal
    s3.delete_object(Bucket=watched, Key="dir/a b+c.txt")
    receiver.wait_key("hook", watched, "dir/a+b%2Bc.txt", "ObjectRemoved:Delete")


def test_prefix_and_suffix_filters_select(s3, receiver):
    bucket = new_bucket(s3)
    # filter values are compared with the key as the event writes it: a space is '+'
    put_config(s3, bucket, [queue("hook", ["s3:ObjectCreated:*"], prefix="my+photos/", suffix=".jpg", id="photos"),
                            queue("hook", ["s3:ObjectRemoved:*"], prefix="logs/", id="logs")])
    for key in ["my photos/a.jpg", "my photos/a.png", "other/a.jpg", "my+photos/b.jpg", "logs/x.jpg", "my photos/sub/c.jpg"]:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    s3.delete_object(Bucket=bucket, Key="my photos/a.jpg")  # no ObjectRemoved configuration for this prefix
    s3.delete_object(Bucket=bucket, Key="logs/x.jpg")
    # changes are delivered in order: once the last one is in, nothing that matched can still be on its way
    receiver.wait_key("hook", bucket, "logs/x.jpg", "ObjectRemoved:Delete")
    got = [(r["eventName"], r["s3"]["object"]["key"], r["s3"]["configurationId"]) for r in receiver.records("hook", bucket)]
    assert got == [
        ("ObjectCreated:Put", "my+photos/a.jpg", "photos"),
        ("ObjectCreated:Put", "my+photos/sub/c.jpg", "photos"),
        ("ObjectRemoved:Delete", "logs/x.jpg", "logs"),
    ]


def test_events_of_one_key_arrive_in_order(s3, receiver, watched_versioned):
    bucket = watched_versioned
    expected = []
    v = s3.put_object(Bucket=bucket, Key="k", Body=b"1")["VersionId"]
    expected.append(("ObjectCreated:Put", v))
    s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={"TagSet": [{"Key": "t", "Value": "1"}]})
    expected.append(("ObjectTagging:Put", v))
    v = s3.copy_object(Bucket=bucket, Key="k", CopySource={"Bucket": bucket, "Key": "k"}, MetadataDirective="REPLACE",
                       Metadata={"m": "1"})["VersionId"]
    expected.append(("ObjectCreated:Copy", v))
    s3.put_object(Bucket=bucket, Key="other", Body=b"o")
    m = s3.delete_object(Bucket=bucket, Key="k")["VersionId"]
    expected.append(("ObjectRemoved:DeleteMarkerCreated", m))
    s3.delete_object(Bucket=bucket, Key="k", VersionId=m)
    expected.append(("ObjectRemoved:Delete", m))
    v = s3.put_object(Bucket=bucket, Key="k", Body=b"2")["VersionId"]
    expected.append(("ObjectCreated:Put", v))
    s3.delete_object_tagging(Bucket=bucket, Key="k")
    expected.append(("ObjectTagging:Delete", v))
    v = s3.put_object(Bucket=bucket, Key="k", Body=b"3")["VersionId"]
    expected.append(("ObjectCreated:Put", v))

    receiver.wait(lambda: len([r for r in receiver.records("hook", bucket) if r["s3"]["object"]["key"] == "k"]) >= len(expected),
                  message="every event of k")
    mine = [r for r in receiver.records("hook", bucket) if r["s3"]["object"]["key"] == "k"]
    assert [(r["eventName"], r["s3"]["object"]["versionId"]) for r in mine] == expected
    sequencers = [seq(r) for r in mine if "sequencer" in r["s3"]["object"]]
    assert len(sequencers) >= 6
    assert sequencers == sorted(sequencers) and len(set(sequencers)) == len(sequencers), sequencers


def run_lifecycle_pass(server, bucket):
    r = signed(server, "POST", "/" + bucket, "tessera-lifecycle=run")
    assert r.status_code == 200, r.text


def test_lifecycle_expiration_events(env, s3, receiver):
    plain = new_bucket(s3, "lc")
    versioned = new_bucket(s3, "lcv", versioned=True)
    for bucket in (plain, versioned):
        put_config(s3, bucket, [queue("hook", ["s3:LifecycleExpiration:*"], id="lc"),
                                queue("hook", ["s3:ObjectCreated:*"], id="created")])
        s3.put_object(Bucket=bucket, Key="old/a b", Body=b"expire me")
        s3.put_object(Bucket=bucket, Key="keep", Body=b"stay")
        s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [
            {"ID": "expire", "Filter": {"Prefix": "old/"}, "Status": "Enabled", "Expiration": {"Days": 1}}]})
    # Days=1 is due at the second lifecycle midnight after creation at the latest (4 s with two-second days)
    deadline = time.time() + WAIT
    while True:
        for bucket in (plain, versioned):
            run_lifecycle_pass(env.server, bucket)
        gone = [b for b in (plain, versioned)
                if not s3.list_objects_v2(Bucket=b, Prefix="old/").get("KeyCount")]
        if len(gone) == 2:
            break
        assert time.time() < deadline, "the objects did not expire"
        time.sleep(0.5)

    record = receiver.wait_key("hook", plain, "old/a+b", "LifecycleExpiration:Delete")
    obj = check_record(record, plain, "LifecycleExpiration:Delete", "old/a+b", config_id="lc", version="2.3")
    assert "size" not in obj and "eTag" not in obj and "versionId" not in obj

    record = receiver.wait_key("hook", versioned, "old/a+b", "LifecycleExpiration:DeleteMarkerCreated")
    obj = check_record(record, versioned, "LifecycleExpiration:DeleteMarkerCreated", "old/a+b", config_id="lc", version="2.3")
    markers = s3.list_object_versions(Bucket=versioned, Prefix="old/")["DeleteMarkers"]
    assert obj["versionId"] == markers[0]["VersionId"]
    for bucket in (plain, versioned):
        assert [r["eventName"] for r in receiver.records("hook", bucket) if r["s3"]["object"]["key"] == "keep"] == ["ObjectCreated:Put"]


# =====================================================================================================================
# 3. Retries
# =====================================================================================================================


def test_failing_receiver_gets_the_events_in_order_once_it_recovers(s3, receiver):
    bucket = new_bucket(s3, "retry")
    put_config(s3, bucket, [queue("flaky", ALL_EVENTS, id="flaky")])
    receiver.fail("flaky", seconds=2.5)  # events only: the test event went through
    s3.put_object(Bucket=bucket, Key="k1", Body=b"1")
    s3.put_object(Bucket=bucket, Key="k2", Body=b"2")
    s3.put_object_tagging(Bucket=bucket, Key="k1", Tagging={"TagSet": [{"Key": "a", "Value": "b"}]})
    s3.delete_object(Bucket=bucket, Key="k2")
    records = receiver.wait_records("flaky", bucket, 4)
    assert [(r["eventName"], r["s3"]["object"]["key"]) for r in records] == [
        ("ObjectCreated:Put", "k1"), ("ObjectCreated:Put", "k2"), ("ObjectTagging:Put", "k1"), ("ObjectRemoved:Delete", "k2")]
    attempts = receiver.attempts("flaky", bucket)
    failed = [(p, r) for p, r in attempts if p["status"] != 200]
    # the first change was retried (1 s, then 2 s later) and nothing after it was sent before it went through
    assert len(failed) >= 2, [(p["status"], r["s3"]["object"]["key"]) for p, r in attempts]
    assert all(r["s3"]["object"]["key"] == "k1" and r["eventName"] == "ObjectCreated:Put" for p, r in failed)
    assert attempts[len(failed)][1]["eventName"] == "ObjectCreated:Put" and attempts[len(failed)][0]["status"] == 200
    gaps = [b[0]["at"] - a[0]["at"] for a, b in zip(attempts[:len(failed) + 1], attempts[1:len(failed) + 1])]
    assert gaps[0] >= 0.9, gaps
    if len(gaps) > 1:
        assert gaps[1] >= 1.8, gaps
    assert seq(records[0]) < seq(records[1]) < seq(records[3])


# =====================================================================================================================
# 4. A server killed right after acknowledged writes
# =====================================================================================================================


def test_every_acknowledged_change_is_delivered_after_a_kill(receiver):
    data_dir = tempfile.mkdtemp(prefix="tessera-notifications-crash-")
    add_target(data_dir, "crash", receiver.url("crash"))
    srv = start_server(data_dir)
    try:
        s3 = make_client(srv)
        bucket = new_bucket(s3, "crash", versioned=True)
        put_config(s3, bucket, [queue("crash", ALL_EVENTS, id="crash")])
        receiver.slow("crash", 0.03)  # deliveries lag behind the writes: some are pending when the server dies
        expected = {}
        for i in range(10):
            for k in range(4):
                key = "key %d" % k
                v = s3.put_object(Bucket=bucket, Key=key, Body=b"%d" % i)["VersionId"]
                expected.setdefault(key, []).append(("ObjectCreated:Put", v))
                if i % 3 == 1:
                    s3.put_object_tagging(Bucket=bucket, Key=key, Tagging={"TagSet": [{"Key": "i", "Value": str(i)}]})
                    expected[key].append(("ObjectTagging:Put", v))
                if i % 4 == 3:
                    m = s3.delete_object(Bucket=bucket, Key=key)["VersionId"]
                    expected[key].append(("ObjectRemoved:DeleteMarkerCreated", m))
        srv.proc.send_signal(signal.SIGKILL)
        srv.proc.wait()
        total = sum(len(v) for v in expected.values())
        delivered_before = len(receiver.records("crash", bucket))
        assert delivered_before < total, "every event was out before the kill: the test proves nothing"
        print("crash: %d of %d events delivered before the kill" % (delivered_before, total))

        receiver.slow("crash", 0)
        srv = start_server(data_dir)

        def complete():
            got = {}
            for r in receiver.records("crash", bucket):
                got.setdefault(r["s3"]["object"]["key"], set()).add((r["eventName"], r["s3"]["object"]["versionId"]))
            return all(set(events) <= got.get(key.replace(" ", "+"), set()) for key, events in expected.items())

        receiver.wait(complete, message="every acknowledged change's event after the restart")
        records = receiver.records("crash", bucket)
        for key, events in expected.items():
            mine = [r for r in records if r["s3"]["object"]["key"] == key.replace(" ", "+")]
            # at least once: a delivery under way at the kill may come twice, but right after itself
            collapsed = []
            for r in mine:
                item = (r["eventName"], r["s3"]["object"]["versionId"], r["s3"]["object"].get("sequencer"))
                if not collapsed or collapsed[-1] != item:
                    collapsed.append(item)
            assert [(name, version) for name, version, _ in collapsed] == events, key
            sequencers = [int(s, 16) for _, _, s in collapsed if s is not None]
            assert sequencers == sorted(sequencers) and len(set(sequencers)) == len(sequencers)
        duplicates = len(records) - total
        assert 0 <= duplicates <= 1, "only the delivery under way at the kill may come again: %d duplicates" % duplicates
    finally:
        receiver.slow("crash", 0)
        srv.proc.kill()
        srv.proc.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


# =====================================================================================================================
# 5. Dead letters (started by the module fixture: every event to `dead` fails)
# =====================================================================================================================


def dead_letters(server, bucket):
    r = signed(server, "GET", "/" + bucket, "tessera-notifications=dead-letters")
    assert r.status_code == 200, r.text
    return r.json()


def test_dead_letters_after_the_last_attempt(env, receiver):
    bucket = env.dead_bucket
    # 1+2+4+8+16 s of backoff from the first attempt; the fixture started it before the first test
    letters = receiver.wait(lambda: dead_letters(env.server, bucket), timeout=max(5, env.dead_armed_at + 40 - time.time()),
                            message="the first dead letter")
    receiver.recover("dead")
    [letter] = letters
    assert letter["target"] == "dead"
    assert letter["event"] == "s3:ObjectCreated:Put"
    assert letter["key"] == "doomed"
    assert letter["attempts"] == MAX_ATTEMPTS
    assert "500" in letter["lastError"], letter
    message = json.loads(letter["message"])
    assert message["Records"][0]["s3"]["object"]["key"] == "doomed"
    assert message["Records"][0]["s3"]["configurationId"] == "doomed"

    # the receiver saw every attempt, spaced by the backoff, and nothing of the next change before the last one
    attempts = receiver.attempts("dead", bucket)
    doomed = [p["at"] for p, r in attempts if r["s3"]["object"]["key"] == "doomed"]
    assert len(doomed) == MAX_ATTEMPTS, doomed
    gaps = [b - a for a, b in zip(doomed, doomed[1:])]
    for gap, expected in zip(gaps, BACKOFF):
        assert expected * 0.9 <= gap <= expected + 3, gaps
    first_queued = [p["at"] for p, r in attempts if r["s3"]["object"]["key"] == "queued"]
    assert all(t >= doomed[-1] for t in first_queued)

    # the bucket's later changes go on once the receiver is back
    receiver.wait_key("dead", bucket, "queued", "ObjectCreated:Put", timeout=10)
    assert [r["s3"]["object"]["key"] for r in receiver.records("dead", bucket)] == ["queued"]

    # the tessera CLI lists it, as JSON and as text
    out = tessera("notifications", "dead-letters", "s3://%s" % bucket, "--json", server=env.server).stdout
    [listed] = json.loads(out)
    assert (listed["seq"], listed["key"], listed["attempts"], listed["target"]) == (letter["seq"], "doomed", MAX_ATTEMPTS, "dead")
    text = tessera("notifications", "dead-letters", "s3://%s" % bucket, server=env.server).stdout
    assert "s3:ObjectCreated:Put doomed" in text and "dead" in text and "%d attempts" % MAX_ATTEMPTS in text, text
    # a bucket with none
    other = new_bucket(env.s3)
    assert "no dead letters" in tessera("notifications", "dead-letters", "s3://%s" % other, server=env.server).stdout
