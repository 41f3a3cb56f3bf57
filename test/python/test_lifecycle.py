"""Bucket lifecycle through boto3, raw signed requests, the aws CLI and `tessera lifecycle`: configurations as S3
keeps them (every filter form and action, V1's rule-level Prefix, x-amz-transition-default-minimum-object-size),
S3's codes and messages for configurations it refuses, the x-amz-expiration and x-amz-abort-* headers, IAM
permissions, and passes that really run — on servers started with TESSERA_LIFECYCLE_DAY_SECONDS=2, where a
lifecycle day lasts two seconds: expiration (tag filters, versioned buckets, NewerNoncurrentVersions, expired delete
markers), transitions and RestoreObject, aborted uploads, and a server killed in the middle of a pass."""
import base64
import datetime
import email.utils
import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.parse
import uuid
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest
import requests
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from conftest import ACCESS_KEY, ROOT, SECRET_KEY, make_client, start_server

S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"
DAY = 2  # seconds in a lifecycle day on the servers this file starts
KIB = 1024
UTC = datetime.timezone.utc


# ---- helpers ----


def signed(server, method, path, query="", body=b"", headers=None, content_md5=True, access_key=ACCESS_KEY,
           secret_key=SECRET_KEY):
    """A request signed with SigV4 by botocore, sent as given (no client-side validation of the body)."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    hdrs = dict(headers or {})
    if body and content_md5:
        hdrs["Content-MD5"] = base64.b64encode(hashlib.md5(body).digest()).decode()
    url = server.endpoint + path + ("?" + query if query else "")
    request = AWSRequest(method=method, url=url, data=body, headers=hdrs)
    S3SigV4Auth(Credentials(access_key, secret_key), "s3", "us-east-1").add_auth(request)
    prepared = request.prepare()
    return requests.request(method, prepared.url, headers=dict(prepared.headers), data=body, timeout=60)


def xml_error(response):
    """(status, Code, Message, {other fields}) of an XML error answer."""
    root = ET.fromstring(response.content)
    fields = {child.tag.split("}")[-1]: child.text for child in root}
    return response.status_code, fields.get("Code"), fields.get("Message"), fields


def put_lifecycle_xml(server, bucket, document, headers=None, content_md5=True):
    return signed(server, "PUT", "/" + bucket, "lifecycle", document, headers=headers, content_md5=content_md5)


def lifecycle_doc(*rules):
    return '<LifecycleConfiguration xmlns="%s">%s</LifecycleConfiguration>' % (S3_NS, "".join(rules))


def client_error(excinfo):
    r = excinfo.value.response
    return r["ResponseMetadata"]["HTTPStatusCode"], r["Error"]["Code"], r["Error"].get("Message")


def get_rules(s3, bucket):
    return s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]


def http_date(text):
    """An HTTP date (RFC 7231) as an aware datetime; fails on anything else."""
    assert re.match(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$", text), text
    return email.utils.parsedate_to_datetime(text)


EXPIRATION = re.compile(r'^expiry-date="([^"]+)", rule-id="([^"]+)"$')


def expiration_of(response):
    """(expiry date, rule id) from an x-amz-expiration header, or None when the response has none."""
    value = response["ResponseMetadata"]["HTTPHeaders"].get("x-amz-expiration")
    if value is None:
        return None
    m = EXPIRATION.match(value)
    assert m, value
    return http_date(m.group(1)), m.group(2)


def next_midnight_after(moment, days):
    """The midnight UTC after `moment` + `days` (the creation time had a fraction of a second LastModified drops, so
    a sum that falls exactly on midnight still rounds up)."""
    t = moment + datetime.timedelta(days=days)
    return datetime.datetime(t.year, t.month, t.day, tzinfo=UTC) + datetime.timedelta(days=1)


def wait_until(condition, timeout=30, interval=0.3, between=None, message="condition"):
    """Poll `condition` (calling `between` before each look) until it is truthy; fail after `timeout` seconds."""
    deadline = time.time() + timeout
    while True:
        if between is not None:
            between()
        value = condition()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError("timed out after %ss waiting for %s" % (timeout, message))
        time.sleep(interval)


def keys_of(s3, bucket, prefix=""):
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", []))


def versions_of(s3, bucket, key):
    """(versions, delete markers) of one key, newest first, as (VersionId, IsLatest) pairs."""
    r = s3.list_object_versions(Bucket=bucket, Prefix=key)
    versions = [(v["VersionId"], v["IsLatest"]) for v in r.get("Versions", []) if v["Key"] == key]
    markers = [(m["VersionId"], m["IsLatest"]) for m in r.get("DeleteMarkers", []) if m["Key"] == key]
    return versions, markers


def tag_string(tags):
    return "&".join("%s=%s" % kv for kv in tags.items())


def run_pass(server, bucket):
    """POST /{bucket}?tessera-lifecycle=run: a pass now (after any in progress); its record."""
    r = signed(server, "POST", "/" + bucket, "tessera-lifecycle=run")
    assert r.status_code == 200, r.text
    return r.json()


def pass_records(server, bucket, max_records=1000):
    r = signed(server, "GET", "/" + bucket, "tessera-lifecycle=passes&max=%d" % max_records)
    assert r.status_code == 200, r.text
    return r.json()


def tally_total(records, rule_id, action=None):
    """Objects a rule acted on (one action, or all) over every pass record."""
    total = 0
    for record in records:
        t = record["tally"].get(rule_id)
        if t is not None:
            total += t["objects"] if action is None else t["actions"].get(action, 0)
    return total


def tessera_cli(server, *args, check=True):
    env = dict(os.environ)
    env.update({"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "TESSERA_ENDPOINT": server.endpoint})
    proc = subprocess.run(["node", os.path.join(ROOT, "dist/src/cli/main.js"), "lifecycle", *args],
                          env=env, capture_output=True, text=True, timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError("tessera lifecycle %s failed (%d): %s" % (" ".join(args), proc.returncode, proc.stderr))
    return proc


def stop(srv):
    if srv.proc.poll() is None:
        srv.proc.terminate()
        try:
            srv.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            srv.proc.kill()
            srv.proc.wait()


def new_bucket_name(prefix="lc"):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:16])


# ---- a server with two-second lifecycle days ----


@pytest.fixture(scope="module")
def clock_server():
    data_dir = tempfile.mkdtemp(prefix="tessera-lifecycle-")
    srv = start_server(data_dir, {"TESSERA_LIFECYCLE_DAY_SECONDS": str(DAY)})
    yield srv
    stop(srv)
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def cs3(clock_server):
    return make_client(clock_server)


@pytest.fixture
def cbucket(cs3):
    """A bucket on the two-second-day server; its lifecycle configuration goes at the end (no more passes over it)."""
    name = new_bucket_name("clk")
    cs3.create_bucket(Bucket=name)
    yield name
    try:
        cs3.delete_bucket_lifecycle(Bucket=name)
    except ClientError:
        pass


# =====================================================================================================================
# 1. Round trips
# =====================================================================================================================

ROUND_TRIP_RULES = [
    {"ID": "everything", "Filter": {}, "Status": "Enabled", "Expiration": {"Days": 365}},
    {"Filter": {"Prefix": "logs/"}, "Status": "Enabled",
     "Expiration": {"Date": datetime.datetime(2030, 1, 1, tzinfo=UTC)}},
    {"ID": "tagged", "Filter": {"Tag": {"Key": "class", "Value": "temp"}}, "Status": "Enabled",
     "Expiration": {"Days": 30}},
    {"ID": "big", "Filter": {"ObjectSizeGreaterThan": 1048576}, "Status": "Enabled",
     "Transitions": [{"Days": 1, "StorageClass": "GLACIER"}]},
    {"ID": "small", "Filter": {"ObjectSizeLessThan": 1024}, "Status": "Disabled",
     "NoncurrentVersionExpiration": {"NoncurrentDays": 7, "NewerNoncurrentVersions": 2}},
    {"ID": "and", "Filter": {"And": {"Prefix": "docs/", "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}],
                                     "ObjectSizeGreaterThan": 10, "ObjectSizeLessThan": 100000}},
     "Status": "Enabled",
     "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}, {"Days": 90, "StorageClass": "GLACIER"}],
     "Expiration": {"Days": 400},
     "NoncurrentVersionTransitions": [{"NoncurrentDays": 30, "StorageClass": "STANDARD_IA", "NewerNoncurrentVersions": 1}],
     "NoncurrentVersionExpiration": {"NoncurrentDays": 60, "NewerNoncurrentVersions": 3}},
    {"ID": "markers and uploads", "Filter": {"Prefix": "tmp/"}, "Status": "Enabled",
     "Expiration": {"ExpiredObjectDeleteMarker": True},
     "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 3}},
    {"ID": "and-tags-only", "Filter": {"And": {"Tags": [{"Key": "x", "Value": ""}, {"Key": "y", "Value": "z"}]}},
     "Status": "Enabled", "Transitions": [{"Date": datetime.datetime(2031, 6, 1, tzinfo=UTC), "StorageClass": "DEEP_ARCHIVE"}]},
]


def test_round_trip_every_filter_form_and_action(s3, bucket):
    put = s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": ROUND_TRIP_RULES},
                                                TransitionDefaultMinimumObjectSize="varies_by_storage_class")
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert put["TransitionDefaultMinimumObjectSize"] == "varies_by_storage_class"

    got = s3.get_bucket_lifecycle_configuration(Bucket=bucket)
    assert got["TransitionDefaultMinimumObjectSize"] == "varies_by_storage_class"
    assert got["ResponseMetadata"]["HTTPHeaders"]["x-amz-transition-default-minimum-object-size"] == "varies_by_storage_class"
    rules = got["Rules"]
    assert len(rules) == len(ROUND_TRIP_RULES)
    # the rule sent without an ID got one, unique and stable
    generated = rules[1]["ID"]
    assert generated and len(generated) <= 255
    assert generated not in [r["ID"] for r in ROUND_TRIP_RULES if "ID" in r]
    assert get_rules(s3, bucket)[1]["ID"] == generated
    expected = [dict(r) for r in ROUND_TRIP_RULES]
    expected[1]["ID"] = generated
    assert rules == expected  # every field, in the order sent


def test_default_transition_minimum_object_size(s3, bucket):
    put = s3.put_bucket_lifecycle_configuration(
        Bucket=bucket, LifecycleConfiguration={"Rules": [{"ID": "r", "Filter": {}, "Status": "Enabled", "Expiration": {"Days": 1}}]})
    assert put["TransitionDefaultMinimumObjectSize"] == "all_storage_classes_128K"
    assert s3.get_bucket_lifecycle_configuration(Bucket=bucket)["TransitionDefaultMinimumObjectSize"] == "all_storage_classes_128K"
    # an explicit value replaces it with the configuration
    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket, TransitionDefaultMinimumObjectSize="varies_by_storage_class",
        LifecycleConfiguration={"Rules": [{"ID": "r", "Filter": {}, "Status": "Enabled", "Expiration": {"Days": 1}}]})
    assert s3.get_bucket_lifecycle_configuration(Bucket=bucket)["TransitionDefaultMinimumObjectSize"] == "varies_by_storage_class"


def test_rules_come_back_in_the_order_sent(s3, bucket):
    ids = ["zeta", "alpha", "mid", "0-first?", "Beta"]
    rules = [{"ID": i, "Filter": {"Prefix": "%s/" % n}, "Status": "Enabled", "Expiration": {"Days": n + 1}}
             for n, i in enumerate(ids)]
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
    assert [r["ID"] for r in get_rules(s3, bucket)] == ids
    # a second PUT replaces the whole configuration
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules[::-1][:2]})
    assert [r["ID"] for r in get_rules(s3, bucket)] == ["Beta", "0-first?"]


def test_v1_rule_level_prefix(server, s3, bucket):
    doc = lifecycle_doc(
        "<Rule><ID>v1-logs</ID><Prefix>logs/</Prefix><Status>Enabled</Status><Expiration><Days>3</Days></Expiration></Rule>",
        "<Rule><ID>v1-all-uploads</ID><Prefix></Prefix><Status>Disabled</Status>"
        "<AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>")
    r = put_lifecycle_xml(server, bucket, doc)
    assert r.status_code == 200, r.text
    rules = get_rules(s3, bucket)
    assert rules == [
        {"ID": "v1-logs", "Prefix": "logs/", "Status": "Enabled", "Expiration": {"Days": 3}},
        {"ID": "v1-all-uploads", "Prefix": "", "Status": "Disabled",
         "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2}},
    ]
    # answered as sent: the Prefix is the rule's, there is no Filter
    raw = signed(server, "GET", "/" + bucket, "lifecycle")
    rule = ET.fromstring(raw.content).find("{%s}Rule" % S3_NS)
    assert rule.find("{%s}Prefix" % S3_NS).text == "logs/"
    assert rule.find("{%s}Filter" % S3_NS) is None


def test_v1_and_v2_do_not_mix(server, s3, bucket):
    v2_then_v1 = lifecycle_doc(
        "<Rule><ID>a</ID><Filter><Prefix>a/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
        "<Rule><ID>b</ID><Prefix>b/</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>")
    assert xml_error(put_lifecycle_xml(server, bucket, v2_then_v1))[:3] == (
        400, "InvalidRequest", "Base level prefix cannot be used in Lifecycle V2, prefixes are only supported in the Filter.")
    v1_then_v2 = lifecycle_doc(
        "<Rule><ID>b</ID><Prefix>b/</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
        "<Rule><ID>a</ID><Filter><Prefix>a/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>")
    assert xml_error(put_lifecycle_xml(server, bucket, v1_then_v2))[:3] == (
        400, "InvalidRequest", "Filter element can only be used in Lifecycle V2.")
    with pytest.raises(ClientError) as e:
        get_rules(s3, bucket)
    assert client_error(e)[:2] == (404, "NoSuchLifecycleConfiguration")


def test_no_such_lifecycle_configuration(s3, bucket):
    with pytest.raises(ClientError) as e:
        s3.get_bucket_lifecycle_configuration(Bucket=bucket)
    assert client_error(e)[:2] == (404, "NoSuchLifecycleConfiguration")
    assert e.value.response["Error"].get("BucketName") == bucket

    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket, LifecycleConfiguration={"Rules": [{"ID": "r", "Filter": {}, "Status": "Enabled", "Expiration": {"Days": 1}}]})
    assert [r["ID"] for r in get_rules(s3, bucket)] == ["r"]
    deleted = s3.delete_bucket_lifecycle(Bucket=bucket)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as e:
        s3.get_bucket_lifecycle_configuration(Bucket=bucket)
    assert client_error(e)[:2] == (404, "NoSuchLifecycleConfiguration")
    # deleting again is still 204
    assert s3.delete_bucket_lifecycle(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 204


def test_no_such_bucket(s3):
    missing = new_bucket_name("missing")
    for call in (lambda: s3.get_bucket_lifecycle_configuration(Bucket=missing),
                 lambda: s3.put_bucket_lifecycle_configuration(
                     Bucket=missing,
                     LifecycleConfiguration={"Rules": [{"ID": "r", "Filter": {}, "Status": "Enabled", "Expiration": {"Days": 1}}]}),
                 lambda: s3.delete_bucket_lifecycle(Bucket=missing)):
        with pytest.raises(ClientError) as e:
            call()
        assert client_error(e)[:2] == (404, "NoSuchBucket")


def test_a_bucket_created_again_has_no_rules(s3):
    name = new_bucket_name("again")
    s3.create_bucket(Bucket=name)
    s3.put_bucket_lifecycle_configuration(
        Bucket=name, LifecycleConfiguration={"Rules": [{"ID": "r", "Filter": {}, "Status": "Enabled", "Expiration": {"Days": 1}}]})
    assert expiration_of(s3.put_object(Bucket=name, Key="k", Body=b"x")) is not None
    s3.delete_object(Bucket=name, Key="k")
    s3.delete_bucket(Bucket=name)
    s3.create_bucket(Bucket=name)
    try:
        with pytest.raises(ClientError) as e:
            s3.get_bucket_lifecycle_configuration(Bucket=name)
        assert client_error(e)[:2] == (404, "NoSuchLifecycleConfiguration")
        assert expiration_of(s3.put_object(Bucket=name, Key="k", Body=b"x")) is None
    finally:
        s3.delete_object(Bucket=name, Key="k")
        s3.delete_bucket(Bucket=name)


def test_aws_cli_round_trip(aws, bucket, tmp_path):
    config = {"Rules": [
        {"ID": "cli-expire", "Filter": {"And": {"Prefix": "cli/", "Tags": [{"Key": "k", "Value": "v"}]}},
         "Status": "Enabled", "Expiration": {"Days": 10}},
        {"ID": "cli-noncurrent", "Filter": {"Prefix": "old/"}, "Status": "Enabled",
         "NoncurrentVersionExpiration": {"NoncurrentDays": 5, "NewerNoncurrentVersions": 4},
         "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}},
    ]}
    path = tmp_path / "lifecycle.json"
    path.write_text(json.dumps(config))
    aws("s3api", "put-bucket-lifecycle-configuration", "--bucket", bucket, "--lifecycle-configuration", "file://%s" % path)
    out = json.loads(aws("s3api", "get-bucket-lifecycle-configuration", "--bucket", bucket).stdout)
    assert out["Rules"] == config["Rules"]
    assert out["TransitionDefaultMinimumObjectSize"] == "all_storage_classes_128K"

    aws("s3api", "delete-bucket-lifecycle", "--bucket", bucket)
    missing = aws("s3api", "get-bucket-lifecycle-configuration", "--bucket", bucket, check=False)
    assert missing.returncode != 0
    assert "NoSuchLifecycleConfiguration" in missing.stderr


# =====================================================================================================================
# 2. Validation: S3's code and message, and a refused configuration changes nothing
# =====================================================================================================================

GOOD_RULE = "<Status>Enabled</Status><Expiration><Days>1</Days></Expiration>"


def rule(body, rule_id="r"):
    return "<Rule>%s%s</Rule>" % ("" if rule_id is None else "<ID>%s</ID>" % rule_id, body)


def tag(key, value):
    return "<Tag><Key>%s</Key><Value>%s</Value></Tag>" % (key, value)


INVALID = [
    # (id, document, code, message, argument name, argument value)
    ("two conditions outside And",
     lifecycle_doc(rule("<Filter><Prefix>a/</Prefix>%s</Filter>%s" % (tag("k", "v"), GOOD_RULE))),
     "MalformedXML", None, None, None),
    ("two tags outside And",
     lifecycle_doc(rule("<Filter>%s%s</Filter>%s" % (tag("k", "v"), tag("l", "w"), GOOD_RULE))),
     "MalformedXML", None, None, None),
    ("prefix and size outside And",
     lifecycle_doc(rule("<Filter><Prefix>a/</Prefix><ObjectSizeGreaterThan>5</ObjectSizeGreaterThan></Filter>%s" % GOOD_RULE)),
     "MalformedXML", None, None, None),
    ("And with one condition",
     lifecycle_doc(rule("<Filter><And><Prefix>a/</Prefix></And></Filter>%s" % GOOD_RULE)),
     "MalformedXML", None, None, None),
    ("duplicate tag keys",
     lifecycle_doc(rule("<Filter><And><Prefix>a/</Prefix>%s%s</And></Filter>%s" % (tag("k", "1"), tag("k", "2"), GOOD_RULE))),
     "InvalidRequest", "Duplicate Tag Keys are not allowed.", None, None),
    ("status lowercase",
     lifecycle_doc(rule("<Filter></Filter><Status>enabled</Status><Expiration><Days>1</Days></Expiration>")),
     "MalformedXML", None, None, None),
    ("status unknown",
     lifecycle_doc(rule("<Filter></Filter><Status>Active</Status><Expiration><Days>1</Days></Expiration>")),
     "MalformedXML", None, None, None),
    ("status missing",
     lifecycle_doc(rule("<Filter></Filter><Expiration><Days>1</Days></Expiration>")),
     "MalformedXML", None, None, None),
    ("expiration days 0",
     lifecycle_doc(rule("<Filter></Filter><Status>Enabled</Status><Expiration><Days>0</Days></Expiration>")),
     "InvalidArgument", "'Days' for Expiration action must be a positive integer", "Days", "0"),
    ("expiration days negative",
     lifecycle_doc(rule("<Filter></Filter><Status>Enabled</Status><Expiration><Days>-3</Days></Expiration>")),
     "InvalidArgument", "'Days' for Expiration action must be a positive integer", "Days", "-3"),
    ("noncurrent days 0",
     lifecycle_doc(rule("<Filter></Filter><Status>Enabled</Status>"
                        "<NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays></NoncurrentVersionExpiration>")),
     "InvalidArgument", "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer", "NoncurrentDays", "0"),
    ("abort days 0",
     lifecycle_doc(rule("<Filter></Filter><Status>Enabled</Status>"
                        "<AbortIncompleteMultipartUpload><DaysAfterInitiation>0</DaysAfterInitiation></AbortIncompleteMultipartUpload>")),
     "InvalidArgument", "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer",
     "DaysAfterInitiation", "0"),
    ("date not at midnight",
     lifecycle_doc(rule("<Filter></Filter><Status>Enabled</Status><Expiration><Date>2030-01-01T12:00:00Z</Date></Expiration>")),
     "InvalidArgument", "'Date' must be at midnight GMT", "Date", "Tue Jan 01 04:00:00 PST 2030"),
    ("date a second past midnight",
     lifecycle_doc(rule("<Filter></Filter><Status>Enabled</Status><Expiration><Date>2030-01-01T00:00:01Z</Date></Expiration>")),
     "InvalidArgument", "'Date' must be at midnight GMT", "Date", None),
    ("date not a date",
     lifecycle_doc(rule("<Filter></Filter><Status>Enabled</Status><Expiration><Date>tomorrow</Date></Expiration>")),
     "MalformedXML", None, None, None),
    ("days and date",
     lifecycle_doc(rule("<Filter></Filter><Status>Enabled</Status>"
                        "<Expiration><Days>1</Days><Date>2030-01-01T00:00:00Z</Date></Expiration>")),
     "MalformedXML", None, None, None),
    ("empty expiration",
     lifecycle_doc(rule("<Filter></Filter><Status>Enabled</Status><Expiration></Expiration>")),
     "MalformedXML", None, None, None),
    ("no action",
     lifecycle_doc(rule("<Filter><Prefix>a/</Prefix></Filter><Status>Enabled</Status>")),
     "InvalidRequest", "At least one action needs to be specified in a rule", None, None),
    ("no rules",
     lifecycle_doc(),
     "InvalidRequest", "At least one lifecycle rule must be specified.", None, None),
    ("duplicate ids",
     lifecycle_doc(rule("<Filter><Prefix>a/</Prefix></Filter>" + GOOD_RULE, "same"),
                   rule("<Filter><Prefix>b/</Prefix></Filter>" + GOOD_RULE, "same")),
     "InvalidArgument", "Rule ID must be unique. Found same ID for more than one rule", "ID", "same"),
    ("id of 256 characters",
     lifecycle_doc(rule("<Filter></Filter>" + GOOD_RULE, "i" * 256)),
     "InvalidArgument", "ID length should not exceed allowed limit of 255", "ID", "i" * 256),
    ("1001 rules",
     lifecycle_doc(*[rule("<Filter><Prefix>p%d/</Prefix></Filter>%s" % (n, GOOD_RULE), "rule-%d" % n) for n in range(1001)]),
     "InvalidRequest", "The number of lifecycle rules must not exceed the allowed limit of 1000 rules.", None, None),
    ("abort with a tag",
     lifecycle_doc(rule("<Filter>%s</Filter><Status>Enabled</Status>"
                        "<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>"
                        % tag("k", "v"))),
     "InvalidRequest", "AbortIncompleteMultipartUpload cannot be specified with Tags.", None, None),
    ("abort with tags in And",
     lifecycle_doc(rule("<Filter><And><Prefix>a/</Prefix>%s</And></Filter><Status>Enabled</Status>"
                        "<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>"
                        % tag("k", "v"))),
     "InvalidRequest", "AbortIncompleteMultipartUpload cannot be specified with Tags.", None, None),
    ("abort with a size",
     lifecycle_doc(rule("<Filter><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan></Filter><Status>Enabled</Status>"
                        "<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>")),
     "InvalidRequest", "AbortIncompleteMultipartUpload cannot be specified with Object Size.", None, None),
    ("expired delete marker with a tag",
     lifecycle_doc(rule("<Filter>%s</Filter><Status>Enabled</Status>"
                        "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>" % tag("k", "v"))),
     "InvalidRequest", "ExpiredObjectDeleteMarker cannot be specified with Tags.", None, None),
    ("tag key of 129 characters",
     lifecycle_doc(rule("<Filter>%s</Filter>%s" % (tag("k" * 129, "v"), GOOD_RULE))),
     "InvalidTag", "The TagKey you have provided is invalid", None, None),
    ("tag value of 257 characters",
     lifecycle_doc(rule("<Filter>%s</Filter>%s" % (tag("k", "v" * 257), GOOD_RULE))),
     "InvalidTag", "The TagValue you have provided is invalid", None, None),
    ("size range reversed",
     lifecycle_doc(rule("<Filter><And><ObjectSizeGreaterThan>100</ObjectSizeGreaterThan>"
                        "<ObjectSizeLessThan>100</ObjectSizeLessThan></And></Filter>" + GOOD_RULE)),
     "InvalidRequest", "'ObjectSizeLessThan' has to be a value greater than 'ObjectSizeGreaterThan'.", None, None),
    ("transition to STANDARD_IA before 30 days",
     lifecycle_doc(rule("<Filter></Filter><Status>Enabled</Status>"
                        "<Transition><Days>10</Days><StorageClass>STANDARD_IA</StorageClass></Transition>")),
     "InvalidArgument", "'Days' in Transition action must be greater than or equal to 30 for storageClass 'STANDARD_IA'",
     "Days", "10"),
    ("transition to STANDARD",
     lifecycle_doc(rule("<Filter></Filter><Status>Enabled</Status>"
                        "<Transition><Days>10</Days><StorageClass>STANDARD</StorageClass></Transition>")),
     "InvalidArgument", "Invalid target Storage class for Transition action", "StorageClass", "STANDARD"),
    ("expiration not after transition",
     lifecycle_doc(rule("<Filter></Filter><Status>Enabled</Status><Expiration><Days>5</Days></Expiration>"
                        "<Transition><Days>5</Days><StorageClass>GLACIER</StorageClass></Transition>")),
     "InvalidArgument",
     "'Days' in the Expiration action for filter '(prefix=)' must be greater than 'Days' in the Transition action",
     "Days", "5"),
    ("V1 prefixes that overlap",
     lifecycle_doc("<Rule><ID>a</ID><Prefix>logs/</Prefix>%s</Rule>" % GOOD_RULE,
                   "<Rule><ID>b</ID><Prefix>logs/old/</Prefix>%s</Rule>" % GOOD_RULE),
     "InvalidRequest", "Found overlapping prefixes 'logs/' and 'logs/old/' for same action type 'Expiration'", None, None),
    ("unknown element",
     lifecycle_doc(rule("<Filter></Filter>%s<Colour>blue</Colour>" % GOOD_RULE)),
     "MalformedXML", None, None, None),
    ("not XML",
     "this is not a lifecycle configuration",
     "MalformedXML", None, None, None),
]


@pytest.fixture
def configured_bucket(s3, bucket):
    """A bucket with a configuration that every refused PUT must leave as it is."""
    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket, TransitionDefaultMinimumObjectSize="varies_by_storage_class",
        LifecycleConfiguration={"Rules": [
            {"ID": "before", "Filter": {"Prefix": "keep/"}, "Status": "Enabled", "Expiration": {"Days": 9}}]})
    return bucket


def assert_unchanged(s3, bucket):
    got = s3.get_bucket_lifecycle_configuration(Bucket=bucket)
    assert got["Rules"] == [{"ID": "before", "Filter": {"Prefix": "keep/"}, "Status": "Enabled", "Expiration": {"Days": 9}}]
    assert got["TransitionDefaultMinimumObjectSize"] == "varies_by_storage_class"


@pytest.mark.parametrize("document,code,message,argument_name,argument_value",
                         [case[1:] for case in INVALID], ids=[case[0] for case in INVALID])
def test_refused_configuration(server, s3, configured_bucket, document, code, message, argument_name, argument_value):
    response = put_lifecycle_xml(server, configured_bucket, document)
    status, got_code, got_message, fields = xml_error(response)
    assert (status, got_code) == (400, code), response.text
    if message is not None:
        assert got_message == message
    if argument_name is not None:
        assert fields.get("ArgumentName") == argument_name
    if argument_value is not None:
        assert fields.get("ArgumentValue") == argument_value
    assert_unchanged(s3, configured_bucket)


def test_refused_requests(server, s3, configured_bucket):
    good = lifecycle_doc(rule("<Filter></Filter>" + GOOD_RULE, "new"))
    # AWS requires Content-MD5 (or an x-amz-checksum-*)
    r = put_lifecycle_xml(server, configured_bucket, good, content_md5=False)
    assert xml_error(r)[:3] == (400, "InvalidRequest", "Missing required header for this request: Content-MD5 OR x-amz-checksum-*")
    # a Content-MD5 that does not match
    r = signed(server, "PUT", "/" + configured_bucket, "lifecycle", good,
               headers={"Content-MD5": base64.b64encode(hashlib.md5(b"other").digest()).decode()}, content_md5=False)
    assert xml_error(r)[:2] == (400, "BadDigest")
    # an unknown x-amz-transition-default-minimum-object-size
    r = put_lifecycle_xml(server, configured_bucket, good, headers={"x-amz-transition-default-minimum-object-size": "tiny"})
    assert xml_error(r)[:3] == (400, "InvalidRequest", "Invalid TransitionDefaultMinimumObjectSize found: tiny")
    assert_unchanged(s3, configured_bucket)


def test_limits_that_are_accepted(server, s3, bucket):
    """The largest values each limit allows pass: an ID of 255 characters, 1000 rules, a tag key of 128 characters and
    a value of 256, a Date at midnight UTC."""
    doc = lifecycle_doc(
        rule("<Filter><And><Prefix>x/</Prefix>%s</And></Filter>%s" % (tag("k" * 128, "v" * 256), GOOD_RULE), "i" * 255),
        rule("<Filter></Filter><Status>Enabled</Status><Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration>", "date"))
    r = put_lifecycle_xml(server, bucket, doc)
    assert r.status_code == 200, r.text
    rules = get_rules(s3, bucket)
    assert rules[0]["ID"] == "i" * 255
    assert rules[0]["Filter"]["And"]["Tags"] == [{"Key": "k" * 128, "Value": "v" * 256}]
    assert rules[1]["Expiration"]["Date"] == datetime.datetime(2030, 1, 1, tzinfo=UTC)

    doc = lifecycle_doc(*[rule("<Filter><Prefix>p%d/</Prefix></Filter>%s" % (n, GOOD_RULE), None) for n in range(1000)])
    r = put_lifecycle_xml(server, bucket, doc)
    assert r.status_code == 200, r.text
    rules = get_rules(s3, bucket)
    assert len(rules) == 1000
    assert [r["Filter"]["Prefix"] for r in rules] == ["p%d/" % n for n in range(1000)]
    assert len({r["ID"] for r in rules}) == 1000


# =====================================================================================================================
# 3. Headers: x-amz-expiration, x-amz-abort-date / x-amz-abort-rule-id
# =====================================================================================================================


def test_expiration_header(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [
        {"ID": "expire temp", "Filter": {"Tag": {"Key": "class", "Value": "temp"}}, "Status": "Enabled",
         "Expiration": {"Days": 3}},
        {"ID": "never-applies", "Filter": {"Prefix": "elsewhere/"}, "Status": "Enabled", "Expiration": {"Days": 1}},
    ]})

    put = s3.put_object(Bucket=bucket, Key="temp", Body=b"temporary", Tagging="class=temp&owner=me")
    found = expiration_of(put)
    assert found is not None, "PutObject of an object the rule expires has no x-amz-expiration"
    date, rule_id = found
    assert rule_id == "expire temp"
    head = s3.head_object(Bucket=bucket, Key="temp")
    assert date == next_midnight_after(head["LastModified"], 3)
    assert (date.hour, date.minute, date.second) == (0, 0, 0)
    assert expiration_of(head) == (date, "expire temp")
    assert head["Expiration"] == head["ResponseMetadata"]["HTTPHeaders"]["x-amz-expiration"]
    assert expiration_of(s3.get_object(Bucket=bucket, Key="temp")) == (date, "expire temp")

    # CopyObject: the copy keeps the tags (COPY) and gets its own date; with other tags it has none
    copied = s3.copy_object(Bucket=bucket, Key="copy", CopySource={"Bucket": bucket, "Key": "temp"})
    copy_found = expiration_of(copied)
    assert copy_found is not None, "CopyObject of an object the rule expires has no x-amz-expiration"
    assert copy_found[1] == "expire temp"
    assert copy_found[0] == next_midnight_after(s3.head_object(Bucket=bucket, Key="copy")["LastModified"], 3)
    replaced = s3.copy_object(Bucket=bucket, Key="copy-kept", CopySource={"Bucket": bucket, "Key": "temp"},
                              TaggingDirective="REPLACE", Tagging="class=keep")
    assert expiration_of(replaced) is None
    assert expiration_of(s3.head_object(Bucket=bucket, Key="copy-kept")) is None
    retagged = s3.copy_object(Bucket=bucket, Key="copy-temp", CopySource={"Bucket": bucket, "Key": "copy-kept"},
                              TaggingDirective="REPLACE", Tagging="class=temp")
    assert expiration_of(retagged) is not None and expiration_of(retagged)[1] == "expire temp"

    # not matched by the tag filter: no header anywhere
    for tagging in ("class=keep", "other=temp", ""):
        key = "kept-" + (tagging or "untagged")
        assert expiration_of(s3.put_object(Bucket=bucket, Key=key, Body=b"x", Tagging=tagging)) is None
        assert expiration_of(s3.head_object(Bucket=bucket, Key=key)) is None
        assert expiration_of(s3.get_object(Bucket=bucket, Key=key)) is None

    # re-tagging changes what HEAD says
    s3.put_object_tagging(Bucket=bucket, Key="kept-untagged", Tagging={"TagSet": [{"Key": "class", "Value": "temp"}]})
    assert expiration_of(s3.head_object(Bucket=bucket, Key="kept-untagged"))[1] == "expire temp"

    # a request that names a version (even the current one) gets none
    version_id = put["VersionId"]
    assert expiration_of(s3.head_object(Bucket=bucket, Key="temp", VersionId=version_id)) is None
    assert expiration_of(s3.get_object(Bucket=bucket, Key="temp", VersionId=version_id)) is None

    # CompleteMultipartUpload of an object the rule expires
    upload = s3.create_multipart_upload(Bucket=bucket, Key="multi", Tagging="class=temp")
    part = s3.upload_part(Bucket=bucket, Key="multi", UploadId=upload["UploadId"], PartNumber=1, Body=b"part")
    done = s3.complete_multipart_upload(Bucket=bucket, Key="multi", UploadId=upload["UploadId"],
                                        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert expiration_of(done) is not None and expiration_of(done)[1] == "expire temp"


def test_expiration_header_picks_the_earliest_rule(s3, bucket):
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [
        {"ID": "late", "Filter": {}, "Status": "Enabled", "Expiration": {"Days": 30}},
        {"ID": "early", "Filter": {"Prefix": "soon/"}, "Status": "Enabled", "Expiration": {"Days": 2}},
        {"ID": "disabled", "Filter": {"Prefix": "soon/"}, "Status": "Disabled", "Expiration": {"Days": 1}},
        {"ID": "far", "Filter": {"Prefix": "far/"}, "Status": "Enabled",
         "Expiration": {"Date": datetime.datetime(2999, 1, 1, tzinfo=UTC)}},
        {"ID": "past", "Filter": {"Prefix": "past/"}, "Status": "Enabled",
         "Expiration": {"Date": datetime.datetime(2020, 1, 1, tzinfo=UTC)}},
    ]})
    r = s3.put_object(Bucket=bucket, Key="soon/x", Body=b"x")
    assert expiration_of(r)[1] == "early"
    assert expiration_of(r)[0] == next_midnight_after(s3.head_object(Bucket=bucket, Key="soon/x")["LastModified"], 2)
    assert expiration_of(s3.put_object(Bucket=bucket, Key="later/x", Body=b"x"))[1] == "late"
    # a Date rule against a Days rule: the earlier date names the rule
    assert expiration_of(s3.put_object(Bucket=bucket, Key="far/x", Body=b"x"))[1] == "late"
    r = s3.put_object(Bucket=bucket, Key="past/x", Body=b"x")
    assert expiration_of(r) == (datetime.datetime(2020, 1, 1, tzinfo=UTC), "past")
    # no configuration: no header
    s3.delete_bucket_lifecycle(Bucket=bucket)
    assert expiration_of(s3.head_object(Bucket=bucket, Key="soon/x")) is None


def test_abort_headers(s3, bucket):
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [
        {"ID": "abort-uploads", "Filter": {"Prefix": "uploads/"}, "Status": "Enabled",
         "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2}},
    ]})
    created = s3.create_multipart_upload(Bucket=bucket, Key="uploads/big")
    headers = created["ResponseMetadata"]["HTTPHeaders"]
    assert created["AbortRuleId"] == "abort-uploads"
    abort_date = http_date(headers["x-amz-abort-date"])
    assert created["AbortDate"] == abort_date
    initiated = [u for u in s3.list_multipart_uploads(Bucket=bucket)["Uploads"] if u["UploadId"] == created["UploadId"]][0]["Initiated"]
    assert abort_date == next_midnight_after(initiated, 2)

    listed = s3.list_parts(Bucket=bucket, Key="uploads/big", UploadId=created["UploadId"])
    assert listed["AbortRuleId"] == "abort-uploads"
    assert listed["AbortDate"] == abort_date

    outside = s3.create_multipart_upload(Bucket=bucket, Key="elsewhere/big")
    assert "AbortDate" not in outside and "AbortRuleId" not in outside
    assert "x-amz-abort-date" not in outside["ResponseMetadata"]["HTTPHeaders"]
    listed = s3.list_parts(Bucket=bucket, Key="elsewhere/big", UploadId=outside["UploadId"])
    assert "AbortDate" not in listed and "AbortRuleId" not in listed
    for u in (created, outside):
        s3.abort_multipart_upload(Bucket=bucket, Key=u["Key"], UploadId=u["UploadId"])


# =====================================================================================================================
# 4. Policy
# =====================================================================================================================


def iam_client(server):
    return boto3.client("iam", endpoint_url=server.endpoint, aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=SECRET_KEY, region_name="us-east-1", config=Config(retries={"max_attempts": 1}))


def denied(call):
    with pytest.raises(ClientError) as e:
        call()
    assert client_error(e)[:2] == (403, "AccessDenied")


def test_lifecycle_permissions(server, s3, bucket):
    iam = iam_client(server)
    name = "lc-" + uuid.uuid4().hex[:8]
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    user = make_client(server, access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
    arn = "arn:aws:s3:::%s" % bucket

    def allow(*actions):
        iam.put_user_policy(UserName=name, PolicyName="lifecycle", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["s3:ListBucket", *actions], "Resource": [arn, arn + "/*"]}]}))

    config = {"Rules": [{"ID": "user-rule", "Filter": {}, "Status": "Enabled", "Expiration": {"Days": 7}}]}
    allow()
    user.list_objects_v2(Bucket=bucket)  # the user works, just not on lifecycle
    denied(lambda: user.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration=config))
    denied(lambda: user.get_bucket_lifecycle_configuration(Bucket=bucket))
    denied(lambda: user.delete_bucket_lifecycle(Bucket=bucket))
    with pytest.raises(ClientError) as e:  # the denied PUT stored nothing
        s3.get_bucket_lifecycle_configuration(Bucket=bucket)
    assert client_error(e)[1] == "NoSuchLifecycleConfiguration"
    # Tessera's tools ask for the same permissions
    r = signed(server, "GET", "/" + bucket, "tessera-lifecycle=passes", access_key=key["AccessKeyId"],
               secret_key=key["SecretAccessKey"])
    assert xml_error(r)[:2] == (403, "AccessDenied")

    # s3:GetLifecycleConfiguration alone reads, and does not write
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration=config)
    allow("s3:GetLifecycleConfiguration")
    assert [r["ID"] for r in user.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]] == ["user-rule"]
    denied(lambda: user.put_bucket_lifecycle_configuration(
        Bucket=bucket, LifecycleConfiguration={"Rules": [{"ID": "other", "Filter": {}, "Status": "Enabled", "Expiration": {"Days": 1}}]}))
    denied(lambda: user.delete_bucket_lifecycle(Bucket=bucket))
    assert [r["ID"] for r in get_rules(s3, bucket)] == ["user-rule"]

    # with s3:PutLifecycleConfiguration too: PUT and DELETE (AWS authorizes DeleteBucketLifecycle as a put)
    allow("s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration")
    user.put_bucket_lifecycle_configuration(
        Bucket=bucket, LifecycleConfiguration={"Rules": [{"ID": "by-user", "Filter": {}, "Status": "Enabled", "Expiration": {"Days": 1}}]})
    assert [r["ID"] for r in user.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]] == ["by-user"]
    assert user.delete_bucket_lifecycle(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as e:
        s3.get_bucket_lifecycle_configuration(Bucket=bucket)
    assert client_error(e)[1] == "NoSuchLifecycleConfiguration"

    # an explicit Deny wins over the Allow
    iam.put_user_policy(UserName=name, PolicyName="no-lifecycle-writes", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "s3:PutLifecycleConfiguration", "Resource": arn}]}))
    denied(lambda: user.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration=config))


# =====================================================================================================================
# 5. Expiration with the test clock, unversioned bucket
# =====================================================================================================================


def test_tag_filtered_expiration_unversioned(clock_server, cs3, cbucket):
    cs3.put_bucket_lifecycle_configuration(Bucket=cbucket, LifecycleConfiguration={"Rules": [
        {"ID": "raw-photos", "Filter": {"And": {"Prefix": "photos/", "Tags": [{"Key": "phototype", "Value": "raw"}]}},
         "Status": "Enabled", "Expiration": {"Days": 1}},
        {"ID": "sized", "Filter": {"And": {"Prefix": "sized/", "ObjectSizeGreaterThan": 10, "ObjectSizeLessThan": 20}},
         "Status": "Enabled", "Expiration": {"Days": 1}},
        {"ID": "disabled", "Filter": {}, "Status": "Disabled", "Expiration": {"Days": 1}},
    ]})
    objects = {  # key: (tags, body)
        "photos/a.raw": ({"phototype": "raw"}, b"a"),
        "photos/b.raw": ({"phototype": "raw", "camera": "x100"}, b"b"),  # more tags than the rule names
        "photos/\u00fc space+plus%&=?.raw": ({"phototype": "raw"}, b"u"),
        "photos/c.jpg": ({"phototype": "finished"}, b"c"),
        "photos/d": ({}, b"d"),
        "photos/e": ({"PhotoType": "raw"}, b"e"),  # tag keys are case-sensitive
        "photos/saved": ({"phototype": "raw"}, b"saved"),
        "photos/overwritten": ({"phototype": "raw"}, b"old"),
        "photos/untagged": ({"phototype": "raw"}, b"untagged"),
        "photos/later": ({"phototype": "finished"}, b"later"),
        "other/f.raw": ({"phototype": "raw"}, b"f"),
        "photo/g.raw": ({"phototype": "raw"}, b"g"),
        "sized/10": ({}, b"x" * 10),  # sizes are exclusive bounds
        "sized/11": ({}, b"x" * 11),
        "sized/19": ({}, b"x" * 19),
        "sized/20": ({}, b"x" * 20),
    }
    for key, (tags, body) in objects.items():
        cs3.put_object(Bucket=cbucket, Key=key, Body=body, Tagging=tag_string(tags))
    # changed before any pass can judge them (they are due two to four seconds after creation): they stay
    cs3.put_object_tagging(Bucket=cbucket, Key="photos/saved", Tagging={"TagSet": [{"Key": "phototype", "Value": "finished"}]})
    cs3.put_object(Bucket=cbucket, Key="photos/overwritten", Body=b"new")
    cs3.delete_object_tagging(Bucket=cbucket, Key="photos/untagged")
    created = time.time()
    expired = {"photos/a.raw", "photos/b.raw", "photos/\u00fc space+plus%&=?.raw", "sized/11", "sized/19"}
    survivors = sorted(set(objects) - expired)

    # passes until every object is past due and a pass has run since
    def after_due_pass():
        run_pass(clock_server, cbucket)
        return time.time() > created + 2 * DAY + 0.5 and "photos/a.raw" not in keys_of(cs3, cbucket)

    wait_until(after_due_pass, message="the raw photos to expire")
    assert keys_of(cs3, cbucket) == survivors
    assert cs3.get_object(Bucket=cbucket, Key="photos/overwritten")["Body"].read() == b"new"

    # tagging another object raw puts it in scope (it is past due already)
    cs3.put_object_tagging(Bucket=cbucket, Key="photos/later", Tagging={"TagSet": [{"Key": "phototype", "Value": "raw"}]})
    wait_until(lambda: "photos/later" not in keys_of(cs3, cbucket), between=lambda: run_pass(clock_server, cbucket),
               message="photos/later to expire once tagged raw")
    assert keys_of(cs3, cbucket) == sorted(set(survivors) - {"photos/later"})
    for key in ("photos/c.jpg", "photos/saved", "photos/untagged", "other/f.raw", "photo/g.raw", "sized/10", "sized/20"):
        assert cs3.get_object(Bucket=cbucket, Key=key)["Body"].read() == objects[key][1]
    # the pass records count each expiration once
    records = pass_records(clock_server, cbucket)
    assert tally_total(records, "raw-photos", "expire") == 4
    assert tally_total(records, "raw-photos") == 4
    assert tally_total(records, "sized", "expire") == 2
    assert tally_total(records, "disabled") == 0
    assert all(r.get("finishedAt") for r in records)


# =====================================================================================================================
# 6. Expiration with the test clock, versioned bucket
# =====================================================================================================================


def test_versioned_expiration(clock_server, cs3, cbucket):
    cs3.put_bucket_versioning(Bucket=cbucket, VersioningConfiguration={"Status": "Enabled"})
    cs3.put_bucket_lifecycle_configuration(Bucket=cbucket, LifecycleConfiguration={"Rules": [
        {"ID": "expire-current", "Filter": {"Prefix": "cur/"}, "Status": "Enabled", "Expiration": {"Days": 1}},
        {"ID": "noncurrent", "Filter": {"Prefix": "nc/"}, "Status": "Enabled",
         "NoncurrentVersionExpiration": {"NoncurrentDays": 1, "NewerNoncurrentVersions": 2}},
        {"ID": "markers", "Filter": {"Prefix": "dm/"}, "Status": "Enabled", "Expiration": {"ExpiredObjectDeleteMarker": True}},
        # the usual clean-up rule: noncurrent versions go, then the delete marker left alone
        {"ID": "cleanup", "Filter": {"Prefix": "both/"}, "Status": "Enabled",
         "NoncurrentVersionExpiration": {"NoncurrentDays": 1}, "Expiration": {"ExpiredObjectDeleteMarker": True}},
    ]})
    current = cs3.put_object(Bucket=cbucket, Key="cur/obj", Body=b"current")["VersionId"]
    nc = [cs3.put_object(Bucket=cbucket, Key="nc/obj", Body=b"v%d" % i)["VersionId"] for i in range(1, 6)]
    gone = cs3.put_object(Bucket=cbucket, Key="dm/gone", Body=b"x")["VersionId"]
    cs3.delete_object(Bucket=cbucket, Key="dm/gone")
    cs3.delete_object(Bucket=cbucket, Key="dm/gone", VersionId=gone)  # the marker is all that is left
    kept = cs3.put_object(Bucket=cbucket, Key="dm/kept", Body=b"x")["VersionId"]
    kept_marker = cs3.delete_object(Bucket=cbucket, Key="dm/kept")["VersionId"]
    cs3.put_object(Bucket=cbucket, Key="both/obj", Body=b"1")
    cs3.put_object(Bucket=cbucket, Key="both/obj", Body=b"2")
    cs3.delete_object(Bucket=cbucket, Key="both/obj")
    created = time.time()

    def done():
        versions, markers = versions_of(cs3, cbucket, "cur/obj")
        nc_versions, _ = versions_of(cs3, cbucket, "nc/obj")
        gone_versions, gone_markers = versions_of(cs3, cbucket, "dm/gone")
        return (time.time() > created + 2 * DAY + 0.5 and len(markers) >= 1 and len(nc_versions) <= 3
                and not gone_versions and not gone_markers and versions_of(cs3, cbucket, "both/obj") == ([], []))

    wait_until(done, between=lambda: run_pass(clock_server, cbucket), message="the versioned rules to act")
    # two more passes change nothing more (the marker keeps its noncurrent version; no second marker)
    run_pass(clock_server, cbucket)
    time.sleep(DAY)
    run_pass(clock_server, cbucket)

    versions, markers = versions_of(cs3, cbucket, "cur/obj")
    assert versions == [(current, False)], "the expired current version must stay as a noncurrent version"
    assert len(markers) == 1 and markers[0][1] is True, "expected exactly one delete marker, got %r" % markers
    with pytest.raises(ClientError) as e:
        cs3.head_object(Bucket=cbucket, Key="cur/obj")
    assert client_error(e)[0] == 404
    assert cs3.get_object(Bucket=cbucket, Key="cur/obj", VersionId=current)["Body"].read() == b"current"

    nc_versions, nc_markers = versions_of(cs3, cbucket, "nc/obj")
    assert nc_versions == [(nc[4], True), (nc[3], False), (nc[2], False)], "NewerNoncurrentVersions=2 keeps the two newest noncurrent"
    assert nc_markers == []

    assert versions_of(cs3, cbucket, "dm/gone") == ([], [])
    assert versions_of(cs3, cbucket, "dm/kept") == ([(kept, False)], [(kept_marker, True)])

    records = pass_records(clock_server, cbucket)
    assert tally_total(records, "expire-current", "expire") == 1
    assert tally_total(records, "noncurrent", "expire-noncurrent") == 2
    assert tally_total(records, "markers", "remove-delete-marker") == 1
    assert tally_total(records, "cleanup", "expire-noncurrent") == 2
    assert tally_total(records, "cleanup", "remove-delete-marker") == 1


def test_suspended_versioning_expiration_replaces_the_null_version(clock_server, cs3, cbucket):
    """In a suspended bucket, expiring the current (null) version writes a null delete marker in its place."""
    cs3.put_bucket_versioning(Bucket=cbucket, VersioningConfiguration={"Status": "Enabled"})
    older = cs3.put_object(Bucket=cbucket, Key="s/obj", Body=b"older")["VersionId"]
    cs3.put_bucket_versioning(Bucket=cbucket, VersioningConfiguration={"Status": "Suspended"})
    cs3.put_object(Bucket=cbucket, Key="s/obj", Body=b"null version")
    cs3.put_bucket_lifecycle_configuration(Bucket=cbucket, LifecycleConfiguration={"Rules": [
        {"ID": "expire", "Filter": {"Prefix": "s/"}, "Status": "Enabled", "Expiration": {"Days": 1}}]})
    wait_until(lambda: versions_of(cs3, cbucket, "s/obj")[1], between=lambda: run_pass(clock_server, cbucket),
               message="a delete marker")
    versions, markers = versions_of(cs3, cbucket, "s/obj")
    assert markers == [("null", True)]
    assert versions == [(older, False)]


# =====================================================================================================================
# 7. Transitions and RestoreObject
# =====================================================================================================================


def test_transition_and_restore(clock_server, cs3, cbucket):
    cs3.put_bucket_versioning(Bucket=cbucket, VersioningConfiguration={"Status": "Enabled"})
    cs3.put_bucket_lifecycle_configuration(Bucket=cbucket, LifecycleConfiguration={"Rules": [
        {"ID": "to-glacier", "Filter": {"Prefix": "cold/"}, "Status": "Enabled",
         "Transitions": [{"Days": 1, "StorageClass": "GLACIER"}]},
        # STANDARD_IA needs 30 days; a Date in the past is due at once
        {"ID": "to-ia", "Filter": {"Prefix": "warm/"}, "Status": "Enabled",
         "Transitions": [{"Date": datetime.datetime(2020, 1, 1, tzinfo=UTC), "StorageClass": "STANDARD_IA"}]},
        {"ID": "history", "Filter": {"Prefix": "history/"}, "Status": "Enabled",
         "NoncurrentVersionTransitions": [{"NoncurrentDays": 1, "StorageClass": "GLACIER"}]},
    ]})
    big = os.urandom(200 * KIB)
    small = b"small object"
    put = cs3.put_object(Bucket=cbucket, Key="cold/big", Body=big, Metadata={"origin": "camera"},
                         ContentType="image/x-raw", Tagging="phototype=raw&year=2024")
    cs3.put_object(Bucket=cbucket, Key="cold/small", Body=small)
    # a multipart object: several pieces move to the tier
    parts = [os.urandom(5 * 1024 * KIB), os.urandom(3 * KIB)]
    upload = cs3.create_multipart_upload(Bucket=cbucket, Key="cold/multi")
    etags = [cs3.upload_part(Bucket=cbucket, Key="cold/multi", UploadId=upload["UploadId"], PartNumber=n + 1, Body=part)["ETag"]
             for n, part in enumerate(parts)]
    cs3.complete_multipart_upload(Bucket=cbucket, Key="cold/multi", UploadId=upload["UploadId"], MultipartUpload={
        "Parts": [{"PartNumber": n + 1, "ETag": etag} for n, etag in enumerate(etags)]})
    warm = os.urandom(150 * KIB)
    cs3.put_object(Bucket=cbucket, Key="warm/big", Body=warm)
    history_old = os.urandom(130 * KIB)
    old_version = cs3.put_object(Bucket=cbucket, Key="history/doc", Body=history_old)["VersionId"]
    new_version = cs3.put_object(Bucket=cbucket, Key="history/doc", Body=b"current text" * 20000)["VersionId"]
    created = time.time()

    def storage_class(key, **kwargs):
        return cs3.head_object(Bucket=cbucket, Key=key, **kwargs).get("StorageClass", "STANDARD")

    wait_until(lambda: time.time() > created + 2 * DAY + 0.5 and storage_class("cold/big") == "GLACIER"
               and storage_class("history/doc", VersionId=old_version) == "GLACIER",
               between=lambda: run_pass(clock_server, cbucket), message="cold/big to reach GLACIER")
    head = cs3.head_object(Bucket=cbucket, Key="cold/big")
    assert head["StorageClass"] == "GLACIER"
    assert head["VersionId"] == put["VersionId"]
    assert head["ETag"] == put["ETag"]
    assert head["ContentLength"] == len(big)
    assert head["ContentType"] == "image/x-raw"
    assert head["Metadata"] == {"origin": "camera"}
    assert "Restore" not in head
    tags = cs3.get_object_tagging(Bucket=cbucket, Key="cold/big")
    assert {t["Key"]: t["Value"] for t in tags["TagSet"]} == {"phototype": "raw", "year": "2024"}
    assert tags["VersionId"] == put["VersionId"]
    assert versions_of(cs3, cbucket, "cold/big") == ([(put["VersionId"], True)], [])
    listed = cs3.list_objects_v2(Bucket=cbucket, Prefix="cold/big")["Contents"][0]
    assert listed["StorageClass"] == "GLACIER"
    assert storage_class("cold/multi") == "GLACIER"

    # objects under 128 KiB stay (x-amz-transition-default-minimum-object-size all_storage_classes_128K)
    assert storage_class("cold/small") == "STANDARD"
    assert cs3.get_object(Bucket=cbucket, Key="cold/small")["Body"].read() == small
    # STANDARD_IA is still readable
    assert storage_class("warm/big") == "STANDARD_IA"
    assert cs3.get_object(Bucket=cbucket, Key="warm/big")["Body"].read() == warm
    # a noncurrent version moved; the current one did not
    assert storage_class("history/doc") == "STANDARD"
    assert cs3.get_object(Bucket=cbucket, Key="history/doc")["VersionId"] == new_version

    # an archived object cannot be read until it is restored (nor a range of it, nor a named version)
    for kwargs in ({"Key": "cold/big"}, {"Key": "cold/big", "Range": "bytes=0-9"},
                   {"Key": "cold/big", "VersionId": put["VersionId"]}, {"Key": "history/doc", "VersionId": old_version}):
        with pytest.raises(ClientError) as e:
            cs3.get_object(Bucket=cbucket, **kwargs)
        assert client_error(e)[:2] == (403, "InvalidObjectState"), kwargs
        assert e.value.response["Error"].get("StorageClass") == "GLACIER"

    first = cs3.restore_object(Bucket=cbucket, Key="cold/big", RestoreRequest={"Days": 10})
    assert first["ResponseMetadata"]["HTTPStatusCode"] == 202
    again = cs3.restore_object(Bucket=cbucket, Key="cold/big", RestoreRequest={"Days": 10})
    assert again["ResponseMetadata"]["HTTPStatusCode"] == 200
    head = cs3.head_object(Bucket=cbucket, Key="cold/big")
    assert head["StorageClass"] == "GLACIER"
    m = re.match(r'^ongoing-request="false", expiry-date="([^"]+)"$', head["Restore"])
    assert m, head["Restore"]
    expiry = http_date(m.group(1))
    assert expiry.timestamp() % DAY == 0  # a lifecycle midnight
    assert time.time() + 9 * DAY < expiry.timestamp() <= time.time() + 11 * DAY + 1
    got = cs3.get_object(Bucket=cbucket, Key="cold/big")
    assert got["Body"].read() == big
    assert got["VersionId"] == put["VersionId"]
    assert got["Restore"] == head["Restore"]
    assert cs3.get_object(Bucket=cbucket, Key="cold/big", Range="bytes=100-199")["Body"].read() == big[100:200]

    # a named noncurrent version
    restored = cs3.restore_object(Bucket=cbucket, Key="history/doc", VersionId=old_version, RestoreRequest={"Days": 10})
    assert restored["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert cs3.get_object(Bucket=cbucket, Key="history/doc", VersionId=old_version)["Body"].read() == history_old

    # a restore lasts its days: a one-day restore of the multipart object ends two to four seconds later
    assert cs3.restore_object(Bucket=cbucket, Key="cold/multi", RestoreRequest={"Days": 1})["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert cs3.get_object(Bucket=cbucket, Key="cold/multi")["Body"].read() == b"".join(parts)

    def multi_unreadable():
        try:
            cs3.get_object(Bucket=cbucket, Key="cold/multi")["Body"].read()
            return False
        except ClientError as e:
            assert e.response["Error"]["Code"] == "InvalidObjectState"
            return True

    wait_until(multi_unreadable, interval=0.5, message="the one-day restore to end")
    assert "Restore" not in cs3.head_object(Bucket=cbucket, Key="cold/multi")
    assert cs3.restore_object(Bucket=cbucket, Key="cold/multi", RestoreRequest={"Days": 1})["ResponseMetadata"]["HTTPStatusCode"] == 202

    with pytest.raises(ClientError) as e:
        cs3.restore_object(Bucket=cbucket, Key="cold/none", RestoreRequest={"Days": 1})
    assert client_error(e)[:2] == (404, "NoSuchKey")
    # RestoreObject of an object that is not archived
    for key in ("cold/small", "warm/big"):
        with pytest.raises(ClientError) as e:
            cs3.restore_object(Bucket=cbucket, Key=key, RestoreRequest={"Days": 1})
        assert client_error(e)[:2] == (403, "InvalidObjectState"), key

    records = pass_records(clock_server, cbucket)
    assert tally_total(records, "to-glacier", "transition:GLACIER") == 2
    assert tally_total(records, "to-ia", "transition:STANDARD_IA") == 1
    assert tally_total(records, "history", "transition:GLACIER") == 1


def archived_object(clock_server, cs3, bucket, key, body):
    """An object lifecycle moved to GLACIER (a rule with a past Date is due at once; small objects may go)."""
    cs3.put_bucket_lifecycle_configuration(
        Bucket=bucket, TransitionDefaultMinimumObjectSize="varies_by_storage_class",
        LifecycleConfiguration={"Rules": [{"ID": "all-to-glacier", "Filter": {}, "Status": "Enabled", "Transitions": [
            {"Date": datetime.datetime(2020, 1, 1, tzinfo=UTC), "StorageClass": "GLACIER"}]}]})
    cs3.put_object(Bucket=bucket, Key=key, Body=body)
    wait_until(lambda: cs3.head_object(Bucket=bucket, Key=key).get("StorageClass") == "GLACIER",
               between=lambda: run_pass(clock_server, bucket), message="%s to reach GLACIER" % key)


def test_small_objects_go_to_glacier_when_sizes_vary_by_class(clock_server, cs3, cbucket):
    archived_object(clock_server, cs3, cbucket, "tiny", b"tiny")
    with pytest.raises(ClientError) as e:
        cs3.get_object(Bucket=cbucket, Key="tiny")
    assert client_error(e)[:2] == (403, "InvalidObjectState")
    assert cs3.restore_object(Bucket=cbucket, Key="tiny", RestoreRequest={"Days": 5})["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert cs3.get_object(Bucket=cbucket, Key="tiny")["Body"].read() == b"tiny"


# =====================================================================================================================
# 8. tessera lifecycle explain | preview | run | passes
# =====================================================================================================================


def test_cli(server, s3, bucket):
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [
        {"ID": "raw-photos", "Filter": {"And": {"Prefix": "photos/", "Tags": [{"Key": "phototype", "Value": "raw"}]}},
         "Status": "Enabled", "Expiration": {"Days": 5}},
        {"ID": "logs", "Filter": {"Prefix": "logs/"}, "Status": "Enabled", "Expiration": {"Days": 30}},
        {"ID": "old-tmp", "Filter": {"Prefix": "tmp/"}, "Status": "Enabled",
         "Expiration": {"Date": datetime.datetime(2020, 1, 1, tzinfo=UTC)}},
    ]})
    s3.put_object(Bucket=bucket, Key="photos/a.raw", Body=b"0123456789", Tagging="phototype=raw")
    s3.put_object(Bucket=bucket, Key="photos/b.jpg", Body=b"jpeg", Tagging="phototype=finished")
    s3.put_object(Bucket=bucket, Key="tmp/x", Body=b"xxx")
    s3.put_object(Bucket=bucket, Key="tmp/y", Body=b"yyyy")

    # explain: every rule, whether it applies and why
    out = tessera_cli(server, "explain", "s3://%s/photos/b.jpg" % bucket).stdout
    assert "rule raw-photos [Enabled]: does not apply" in out
    assert 'no  tag phototype is "finished", the rule wants "raw"' in out
    assert "rule logs [Enabled]: does not apply" in out
    assert 'no  key "photos/b.jpg" does not start with "logs/"' in out
    assert "now: nothing is due" in out
    out = tessera_cli(server, "explain", "s3://%s/tmp/x" % bucket).stdout
    assert "rule old-tmp [Enabled]: applies" in out
    assert 'yes key "tmp/x" starts with "tmp/"' in out
    assert "now: expire (delete) (rule old-tmp)" in out
    doc = json.loads(tessera_cli(server, "explain", "s3://%s/photos/a.raw" % bucket, "--json").stdout)
    assert doc["bucket"] == bucket and doc["key"] == "photos/a.raw" and doc["configured"] is True
    explanation = doc["versions"][0]["explanation"]
    assert [(r["ruleId"], r["matched"]) for r in explanation["rules"]] == [("raw-photos", True), ("logs", False), ("old-tmp", False)]
    assert "due" not in explanation["evaluation"]
    assert [(u["ruleId"], u["action"]["kind"]) for u in explanation["evaluation"]["upcoming"]] == [("raw-photos", "expireCurrent")]
    missing = tessera_cli(server, "explain", "s3://%s/no/such/key" % bucket, check=False)
    assert missing.returncode != 0 and "NoSuchKey" in missing.stderr

    # preview: what each rule does within N days, changing nothing
    now = json.loads(tessera_cli(server, "preview", "s3://%s" % bucket, "--days", "3", "--json").stdout)
    assert now["configured"] is True
    assert now["tally"] == {"old-tmp": {"objects": 2, "bytes": 7, "actions": {"expire": 2}}}
    text = tessera_cli(server, "preview", "s3://%s" % bucket, "--days", "7").stdout
    assert "rule raw-photos: 1 object(s), 10 byte(s)" in text
    assert "rule old-tmp: 2 object(s), 7 byte(s)" in text
    assert "rule logs" not in text
    assert keys_of(s3, bucket) == ["photos/a.raw", "photos/b.jpg", "tmp/x", "tmp/y"]

    # run: a pass now, and its record
    out = tessera_cli(server, "run", "s3://%s" % bucket).stdout
    assert re.match(r"^pass \d+ on %s \(cli\): evaluated \S+, finished \S+$" % re.escape(bucket), out.splitlines()[0]), out
    assert "  rule old-tmp: 2 object(s), 7 byte(s)" in out
    assert "    expire: 2" in out
    assert keys_of(s3, bucket) == ["photos/a.raw", "photos/b.jpg"]

    # passes: the records, newest first, with the tally
    records = json.loads(tessera_cli(server, "passes", "s3://%s" % bucket, "--json").stdout)
    assert len(records) >= 1
    newest = records[0]
    assert newest["bucket"] == bucket and newest["trigger"] == "cli" and newest["finishedAt"]
    assert newest["tally"] == {"old-tmp": {"objects": 2, "bytes": 7, "actions": {"expire": 2}}}
    assert newest["cursor"] == {"phase": "done"}
    text = tessera_cli(server, "passes", "s3://%s" % bucket).stdout
    assert "pass %d on %s (cli)" % (newest["id"], bucket) in text
    assert "rule old-tmp: 2 object(s), 7 byte(s)" in text
    # a second run finds nothing more to do
    assert "  nothing" in tessera_cli(server, "run", "s3://%s" % bucket).stdout

    # no configuration
    s3.delete_bucket_lifecycle(Bucket=bucket)
    failed = tessera_cli(server, "run", "s3://%s" % bucket, check=False)
    assert failed.returncode != 0 and "NoSuchLifecycleConfiguration" in failed.stderr


# =====================================================================================================================
# 9. AbortIncompleteMultipartUpload in a pass
# =====================================================================================================================


def test_abort_incomplete_multipart_upload(clock_server, cs3, cbucket):
    cs3.put_bucket_lifecycle_configuration(Bucket=cbucket, LifecycleConfiguration={"Rules": [
        {"ID": "abort-old", "Filter": {"Prefix": "up/"}, "Status": "Enabled",
         "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}]})
    old = cs3.create_multipart_upload(Bucket=cbucket, Key="up/old")
    before = time.time()
    cs3.upload_part(Bucket=cbucket, Key="up/old", UploadId=old["UploadId"], PartNumber=1, Body=b"part one")
    other = cs3.create_multipart_upload(Bucket=cbucket, Key="keep/other")
    assert old["AbortRuleId"] == "abort-old"
    abort_at = old["AbortDate"].timestamp()
    assert abort_at % DAY == 0
    assert before - 1 + DAY <= abort_at <= before + 2 * DAY + 1
    assert "AbortDate" not in other

    def uploads():
        return {u["Key"] for u in cs3.list_multipart_uploads(Bucket=cbucket).get("Uploads", [])}

    wait_until(lambda: "up/old" not in uploads(), between=lambda: run_pass(clock_server, cbucket),
               message="the old upload to be aborted")
    assert time.time() >= abort_at
    assert uploads() == {"keep/other"}
    with pytest.raises(ClientError) as e:
        cs3.list_parts(Bucket=cbucket, Key="up/old", UploadId=old["UploadId"])
    assert client_error(e)[:2] == (404, "NoSuchUpload")
    # the upload the rule does not cover still completes
    part = cs3.upload_part(Bucket=cbucket, Key="keep/other", UploadId=other["UploadId"], PartNumber=1, Body=b"kept")
    cs3.complete_multipart_upload(Bucket=cbucket, Key="keep/other", UploadId=other["UploadId"],
                                  MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert cs3.get_object(Bucket=cbucket, Key="keep/other")["Body"].read() == b"kept"
    assert tally_total(pass_records(clock_server, cbucket), "abort-old", "abort-upload") == 1


# =====================================================================================================================
# 10. Crash safety: kill -9 during a pass, restart, every due object acted on exactly once
# =====================================================================================================================

CRASH_DUE = 3000
CRASH_DUE_VERSIONED = 3000
CRASH_KEEP = 20


class QuickClient:
    """Requests for filling a bucket and watching a pass closely: SigV4 with UNSIGNED-PAYLOAD over one keep-alive
    connection per thread, without botocore's per-request work (which, not the server, would bound the rate)."""

    def __init__(self, endpoint):
        self.host = urllib.parse.urlsplit(endpoint).netloc
        self.local = threading.local()

    def request(self, method, path, query=(), body=b""):
        """(status, body bytes). `query` is a list of (name, value)."""
        amz_date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        path = urllib.parse.quote(path, safe="/~")
        canonical_query = "&".join("%s=%s" % (urllib.parse.quote(k, safe="-_.~"), urllib.parse.quote(v, safe="-_.~"))
                                   for k, v in sorted(query))
        signed_headers = "host;x-amz-content-sha256;x-amz-date"
        canonical = "\n".join([method, path, canonical_query, "host:%s\nx-amz-content-sha256:UNSIGNED-PAYLOAD\nx-amz-date:%s\n" % (
            self.host, amz_date), signed_headers, "UNSIGNED-PAYLOAD"])
        scope = "%s/us-east-1/s3/aws4_request" % amz_date[:8]
        to_sign = "AWS4-HMAC-SHA256\n%s\n%s\n%s" % (amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest())
        k = ("AWS4" + SECRET_KEY).encode()
        for part in (amz_date[:8], "us-east-1", "s3", "aws4_request"):
            k = hmac.new(k, part.encode(), hashlib.sha256).digest()
        signature = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
        headers = {
            "Host": self.host, "x-amz-date": amz_date, "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
            "Authorization": "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
                ACCESS_KEY, scope, signed_headers, signature),
        }
        if getattr(self.local, "connection", None) is None:
            self.local.connection = http.client.HTTPConnection(self.host, timeout=60)
        try:
            self.local.connection.request(method, path + ("?" + canonical_query if query else ""), body=body, headers=headers)
            response = self.local.connection.getresponse()
            return response.status, response.read()
        except (http.client.HTTPException, OSError):
            self.local.connection = None
            raise

    def put(self, bucket, key, body):
        status, text = self.request("PUT", "/%s/%s" % (bucket, key), body=body)
        assert status == 200, text

    def latest_pass(self, bucket):
        status, text = self.request("GET", "/" + bucket, [("tessera-lifecycle", "passes"), ("max", "1")])
        assert status == 200, text
        records = json.loads(text)
        return records[0] if records else None


def fill(srv, bucket, keys, body=b"x"):
    quick = QuickClient(srv.endpoint)
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda k: quick.put(bucket, k, body), keys))


def all_keys(s3, bucket, prefix):
    return [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
            for o in page.get("Contents", [])]


def all_versions(s3, bucket, prefix):
    versions, markers = [], []
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
        versions += page.get("Versions", [])
        markers += page.get("DeleteMarkers", [])
    return versions, markers


def kill_during_pass(srv, bucket, timeout=30):
    """Start a pass over the bucket and kill -9 the server once the pass has committed part of its work but not all.
    Returns the last record seen before the kill."""
    def run():
        try:
            signed(srv, "POST", "/" + bucket, "tessera-lifecycle=run")
        except requests.RequestException:
            pass  # the server is killed under it

    quick = QuickClient(srv.endpoint)
    runner = threading.Thread(target=run, daemon=True)
    runner.start()
    deadline = time.time() + timeout
    while time.time() < deadline:
        record = quick.latest_pass(bucket)
        if record is not None and record.get("finishedAt") is None and record["tally"]:
            srv.proc.send_signal(signal.SIGKILL)
            srv.proc.wait()
            return record
        if record is not None and record.get("finishedAt") is not None:
            srv.proc.send_signal(signal.SIGKILL)
            srv.proc.wait()
            raise AssertionError("the pass finished before it could be interrupted: %r" % record["tally"])
    raise AssertionError("no pass started within %ss" % timeout)


def test_kill_during_pass_acts_exactly_once():
    data_dir = tempfile.mkdtemp(prefix="tessera-lifecycle-crash-")
    env = {"TESSERA_LIFECYCLE_DAY_SECONDS": str(DAY)}
    srv = start_server(data_dir, env)
    try:
        s3 = make_client(srv, max_pool_connections=16)
        plain, versioned = new_bucket_name("crash-u"), new_bucket_name("crash-v")
        s3.create_bucket(Bucket=plain)
        s3.create_bucket(Bucket=versioned)
        s3.put_bucket_versioning(Bucket=versioned, VersioningConfiguration={"Status": "Enabled"})
        due_plain = ["due/%05d" % i for i in range(CRASH_DUE)]
        due_versioned = ["due/%05d" % i for i in range(CRASH_DUE_VERSIONED)]
        keep = ["keep/%03d" % i for i in range(CRASH_KEEP)]
        fill(srv, plain, due_plain + keep)
        fill(srv, versioned, due_versioned + keep)
        # Days=1 is due at most two lifecycle days after creation: once the newest object is past due, the rule
        # arrives, and the first pass finds every object due
        time.sleep(2 * DAY + 0.2)
        config = {"Rules": [{"ID": "crash", "Filter": {"Prefix": "due/"}, "Status": "Enabled", "Expiration": {"Days": 1}}]}

        # ---- unversioned: objects deleted ----
        s3.put_bucket_lifecycle_configuration(Bucket=plain, LifecycleConfiguration=config)
        interrupted = kill_during_pass(srv, plain)
        assert 0 < interrupted["tally"]["crash"]["objects"] < CRASH_DUE
        srv = start_server(data_dir, env)
        s3 = make_client(srv, max_pool_connections=16)
        wait_until(lambda: not all_keys(s3, plain, "due/"), interval=0.5, message="every due object to go")
        wait_until(lambda: all(r.get("finishedAt") for r in pass_records(srv, plain)), message="the passes to finish")
        assert all_keys(s3, plain, "") == keep
        for key in keep[:3]:
            assert s3.get_object(Bucket=plain, Key=key)["Body"].read() == b"x"
        records = pass_records(srv, plain)
        assert any(r["id"] == interrupted["id"] for r in records)
        resumed = [r for r in records if r["id"] == interrupted["id"]][0]
        assert resumed["evaluatedAt"] == interrupted["evaluatedAt"], "a resumed pass keeps its evaluation time"
        assert tally_total(records, "crash", "expire") == CRASH_DUE, "each due object deleted exactly once"

        # ---- versioned: one delete marker per key ----
        s3.put_bucket_lifecycle_configuration(Bucket=versioned, LifecycleConfiguration=config)
        interrupted = kill_during_pass(srv, versioned)
        assert 0 < interrupted["tally"]["crash"]["objects"] < CRASH_DUE_VERSIONED
        srv = start_server(data_dir, env)
        s3 = make_client(srv, max_pool_connections=16)
        wait_until(lambda: not all_keys(s3, versioned, "due/"), interval=0.5, message="every due key to be deleted")
        wait_until(lambda: all(r.get("finishedAt") for r in pass_records(srv, versioned)), message="the passes to finish")
        # a later pass must not add a second marker
        run_pass(srv, versioned)
        versions, markers = all_versions(s3, versioned, "")
        marker_keys = [m["Key"] for m in markers]
        assert len(marker_keys) == len(set(marker_keys)), "a key got more than one delete marker"
        assert sorted(marker_keys) == due_versioned
        assert all(m["IsLatest"] for m in markers)
        assert sorted(v["Key"] for v in versions) == sorted(due_versioned + keep), "every version stays"
        assert all(v["IsLatest"] == v["Key"].startswith("keep/") for v in versions)
        records = pass_records(srv, versioned)
        assert tally_total(records, "crash", "expire") == CRASH_DUE_VERSIONED, "each key expired exactly once"
    finally:
        srv.proc.kill()
        srv.proc.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


# =====================================================================================================================
# 11. Copies of archived objects
# =====================================================================================================================


def test_copy_of_an_archived_object_needs_a_restore(clock_server, cs3, cbucket):
    """S3 refuses to copy an object in GLACIER that is not restored (403 InvalidObjectState), whole or as a part."""
    body = os.urandom(4 * KIB)
    archived_object(clock_server, cs3, cbucket, "archived", body)
    with pytest.raises(ClientError) as e:
        cs3.copy_object(Bucket=cbucket, Key="copy", CopySource={"Bucket": cbucket, "Key": "archived"})
    assert client_error(e)[:2] == (403, "InvalidObjectState")
    upload = cs3.create_multipart_upload(Bucket=cbucket, Key="part-copy")
    with pytest.raises(ClientError) as e:
        cs3.upload_part_copy(Bucket=cbucket, Key="part-copy", UploadId=upload["UploadId"], PartNumber=1,
                             CopySource={"Bucket": cbucket, "Key": "archived"})
    assert client_error(e)[:2] == (403, "InvalidObjectState")
    cs3.abort_multipart_upload(Bucket=cbucket, Key="part-copy", UploadId=upload["UploadId"])
    assert keys_of(cs3, cbucket) == ["archived"]

    # once restored, the copy is an ordinary STANDARD object with the same bytes
    cs3.restore_object(Bucket=cbucket, Key="archived", RestoreRequest={"Days": 5})
    cs3.copy_object(Bucket=cbucket, Key="copy", CopySource={"Bucket": cbucket, "Key": "archived"})
    copy = cs3.get_object(Bucket=cbucket, Key="copy")
    assert copy["Body"].read() == body
    assert copy.get("StorageClass", "STANDARD") == "STANDARD"
