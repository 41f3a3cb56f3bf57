"""Bucket metrics configurations (PutBucketMetricsConfiguration and its siblings; docs/metrics.md) with boto3, the aws
CLI v1 and raw signed requests against a real Tessera process.

Covered: every filter form round-trips; S3's codes for a body Id that is not the query id, a bad id, refused
filters; NoSuchConfiguration; delete; the 1,000-configuration limit; listing 250 in pages of 100; access denied for an
IAM user without the actions; the configurations going with their bucket."""
import json
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

from conftest import ACCESS_KEY, SECRET_KEY, make_client

S3_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
AP_ARN = "arn:aws:s3:eu-west-1:123456789012:accesspoint/finance-reports"

FORMS = [
    {"Id": "EntireBucket"},
    {"Id": "prefix", "Filter": {"Prefix": "logs/"}},
    {"Id": "empty-prefix", "Filter": {"Prefix": ""}},
    {"Id": "tag", "Filter": {"Tag": {"Key": "env", "Value": "prod"}}},
    {"Id": "access_point", "Filter": {"AccessPointArn": AP_ARN}},
    {"Id": "and.prefix.tags", "Filter": {"And": {"Prefix": "docs/", "Tags": [
        {"Key": "priority", "Value": "high"}, {"Key": "class", "Value": "blue"}]}}},
    {"Id": "and-all", "Filter": {"And": {"Prefix": "x", "Tags": [{"Key": "k", "Value": ""}], "AccessPointArn": AP_ARN}}},
]


# ---- helpers ----


def signed(server, method, path, query="", body=b""):
    """A request signed with SigV4 by botocore, sent as given (no client-side validation)."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    url = server.endpoint + path + ("?" + query if query else "")
    request = AWSRequest(method=method, url=url, data=body, headers={})
    S3SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "s3", "us-east-1").add_auth(request)
    prepared = request.prepare()
    return requests.request(method, prepared.url, headers=dict(prepared.headers), data=body, timeout=60)


def xml_error(response):
    root = ET.fromstring(response.content)
    fields = {child.tag.split("}")[-1]: child.text for child in root}
    return response.status_code, fields.get("Code"), fields.get("Message"), fields


def error_of(excinfo):
    response = excinfo.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"], response["Error"].get("Message")


def put(s3, bucket, configuration, id=None):
    return s3.put_bucket_metrics_configuration(
        Bucket=bucket, Id=configuration["Id"] if id is None else id, MetricsConfiguration=configuration)


def configured(s3, bucket):
    ids = []
    token = None
    while True:
        page = s3.list_bucket_metrics_configurations(Bucket=bucket, **({"ContinuationToken": token} if token else {}))
        ids += [c["Id"] for c in page.get("MetricsConfigurationList", [])]
        if not page.get("IsTruncated"):
            return ids
        token = page["NextContinuationToken"]


def metrics_doc(id, inner=""):
    return '<MetricsConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">%s%s</MetricsConfiguration>' % (
        "" if id is None else "<Id>%s</Id>" % id, inner)


# ---- round trips ----


def test_round_trip_every_filter_form(s3, bucket):
    for configuration in FORMS:
        assert put(s3, bucket, configuration)["ResponseMetadata"]["HTTPStatusCode"] == 200
    for configuration in FORMS:
        got = s3.get_bucket_metrics_configuration(Bucket=bucket, Id=configuration["Id"])
        assert got["MetricsConfiguration"] == configuration
    listed = s3.list_bucket_metrics_configurations(Bucket=bucket)
    assert listed["IsTruncated"] is False
    assert "NextContinuationToken" not in listed
    assert listed["MetricsConfigurationList"] == sorted(FORMS, key=lambda c: c["Id"])


def test_put_replaces_whole(s3, bucket):
    put(s3, bucket, {"Id": "m", "Filter": {"And": {"Prefix": "p", "Tags": [{"Key": "a", "Value": "1"}]}}})
    put(s3, bucket, {"Id": "m", "Filter": {"Tag": {"Key": "b", "Value": "2"}}})
    assert s3.get_bucket_metrics_configuration(Bucket=bucket, Id="m")["MetricsConfiguration"] == {
        "Id": "m", "Filter": {"Tag": {"Key": "b", "Value": "2"}}}
    assert configured(s3, bucket) == ["m"]


def test_wire_documents(server, s3, bucket):
    """The XML itself: Get answers the MetricsConfiguration document, List the ListMetricsConfigurationsResult."""
    put(s3, bucket, {"Id": "and", "Filter": {"And": {"Prefix": "d/", "Tags": [{"Key": "k", "Value": "v"}]}}})
    got = signed(server, "GET", "/" + bucket, "metrics&id=and")
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(got.content)
    assert root.tag == S3_NS + "MetricsConfiguration"
    assert [child.tag for child in root] == [S3_NS + "Id", S3_NS + "Filter"]
    listed = ET.fromstring(signed(server, "GET", "/" + bucket, "metrics").content)
    assert listed.tag == S3_NS + "ListMetricsConfigurationsResult"
    assert listed.find(S3_NS + "IsTruncated").text == "false"
    assert [c.find(S3_NS + "Id").text for c in listed.findall(S3_NS + "MetricsConfiguration")] == ["and"]


def test_aws_cli_round_trip(aws, bucket):
    configuration = {"Id": "cli", "Filter": {"And": {"Prefix": "reports/", "Tags": [{"Key": "team", "Value": "data"}]}}}
    aws("s3api", "put-bucket-metrics-configuration", "--bucket", bucket, "--id", "cli",
        "--metrics-configuration", json.dumps(configuration))
    got = json.loads(aws("s3api", "get-bucket-metrics-configuration", "--bucket", bucket, "--id", "cli").stdout)
    assert got["MetricsConfiguration"] == configuration
    aws("s3api", "put-bucket-metrics-configuration", "--bucket", bucket, "--id", "all",
        "--metrics-configuration", "Id=all")
    listed = json.loads(aws("s3api", "list-bucket-metrics-configurations", "--bucket", bucket).stdout)
    assert [c["Id"] for c in listed["MetricsConfigurationList"]] == ["all", "cli"]
    aws("s3api", "delete-bucket-metrics-configuration", "--bucket", bucket, "--id", "cli")
    missing = aws("s3api", "get-bucket-metrics-configuration", "--bucket", bucket, "--id", "cli", check=False)
    assert missing.returncode != 0
    assert "NoSuchConfiguration" in missing.stderr
    mismatch = aws("s3api", "put-bucket-metrics-configuration", "--bucket", bucket, "--id", "one",
                   "--metrics-configuration", '{"Id": "other"}', check=False)
    assert mismatch.returncode != 0
    assert "MalformedXML" in mismatch.stderr


# ---- refused ----


@pytest.mark.parametrize("query_id,configuration,code", [
    ("query", {"Id": "body"}, "MalformedXML"),
    ("Case", {"Id": "case"}, "MalformedXML"),
    ("has space", {"Id": "has space"}, "InvalidArgument"),
    ("slash/id", {"Id": "slash/id"}, "InvalidArgument"),
    ("x" * 65, {"Id": "x" * 65}, "InvalidArgument"),
    ("f", {"Id": "f", "Filter": {"And": {"Tags": [{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}]}}}, "InvalidRequest"),
    ("f", {"Id": "f", "Filter": {"And": {"Prefix": "only-one"}}}, "MalformedXML"),
    ("f", {"Id": "f", "Filter": {"Prefix": "a", "Tag": {"Key": "k", "Value": "v"}}}, "MalformedXML"),
    ("f", {"Id": "f", "Filter": {"Tag": {"Key": "k" * 129, "Value": "v"}}}, "InvalidTag"),
    ("f", {"Id": "f", "Filter": {"AccessPointArn": "arn:aws:s3:::not-an-access-point"}}, "InvalidArgument"),
])
def test_refused_configurations(s3, bucket, query_id, configuration, code):
    with pytest.raises(ClientError) as e:
        put(s3, bucket, configuration, id=query_id)
    status, got_code, _ = error_of(e)
    assert (status, got_code) == (400, code)
    assert configured(s3, bucket) == []


def test_refused_requests(server, bucket):
    # no id on PUT or DELETE (clients always send one): InvalidArgument naming the parameter
    for method, body in (("PUT", metrics_doc("a")), ("DELETE", b"")):
        r = signed(server, method, "/" + bucket, "metrics", body)
        status, code, _, fields = xml_error(r)
        assert (status, code, fields.get("ArgumentName")) == (400, "InvalidArgument", "id")
    # an empty body; a body that is not the document
    assert xml_error(signed(server, "PUT", "/" + bucket, "metrics&id=a"))[:2] == (400, "MissingRequestBodyError")
    assert xml_error(signed(server, "PUT", "/" + bucket, "metrics&id=a", "<Other/>"))[:2] == (400, "MalformedXML")
    assert xml_error(signed(server, "PUT", "/" + bucket, "metrics&id=a", metrics_doc(None)))[:2] == (400, "MalformedXML")
    assert xml_error(signed(server, "PUT", "/" + bucket, "metrics&id=a", metrics_doc("a", "<Filter/>")))[:2] == (400, "MalformedXML")
    # a continuation token Tessera did not make
    status, code, _, fields = xml_error(signed(server, "GET", "/" + bucket, "metrics&continuation-token=bm9wZQ%3D%3D"))
    assert (status, code, fields.get("ArgumentName")) == (400, "InvalidArgument", "continuation-token")


def test_no_such_configuration_and_delete(s3, bucket):
    with pytest.raises(ClientError) as e:
        s3.get_bucket_metrics_configuration(Bucket=bucket, Id="missing")
    assert error_of(e) == (404, "NoSuchConfiguration", "The specified configuration does not exist.")
    put(s3, bucket, {"Id": "m"})
    answer = s3.delete_bucket_metrics_configuration(Bucket=bucket, Id="m")
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as e:
        s3.delete_bucket_metrics_configuration(Bucket=bucket, Id="m")
    assert error_of(e)[:2] == (404, "NoSuchConfiguration")
    assert configured(s3, bucket) == []


def test_no_such_bucket(s3):
    with pytest.raises(ClientError) as e:
        s3.list_bucket_metrics_configurations(Bucket="py-absent-" + uuid.uuid4().hex[:8])
    assert error_of(e)[:2] == (404, "NoSuchBucket")


# ---- limits and listing ----


def test_a_thousand_and_one(s3, bucket):
    ids = ["c%04d" % i for i in range(1000)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda id: put(s3, bucket, {"Id": id}), ids))
    with pytest.raises(ClientError) as e:
        put(s3, bucket, {"Id": "one-more"})
    status, code, message = error_of(e)
    assert (status, code) == (400, "TooManyConfigurations")
    assert "1,000" in message
    put(s3, bucket, {"Id": "c0500", "Filter": {"Prefix": "still/replaceable"}})
    s3.delete_bucket_metrics_configuration(Bucket=bucket, Id="c0000")
    put(s3, bucket, {"Id": "one-more"})
    assert len(configured(s3, bucket)) == 1000


def test_pagination_over_250(s3, bucket):
    ids = ["id-%03d" % i for i in range(250)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda id: put(s3, bucket, {"Id": id, "Filter": {"Tag": {"Key": "n", "Value": id}}}), reversed(ids)))
    pages = []
    seen = []
    token = None
    while True:
        page = s3.list_bucket_metrics_configurations(Bucket=bucket, **({"ContinuationToken": token} if token else {}))
        if token:
            assert page["ContinuationToken"] == token
        items = page.get("MetricsConfigurationList", [])
        pages.append((len(items), page["IsTruncated"]))
        seen += [c["Id"] for c in items]
        for c in items:
            assert c["Filter"] == {"Tag": {"Key": "n", "Value": c["Id"]}}
        if not page["IsTruncated"]:
            assert "NextContinuationToken" not in page
            break
        token = page["NextContinuationToken"]
    assert pages == [(100, True), (100, True), (50, False)]
    assert seen == ids


# ---- permissions and the bucket's lifetime ----


def test_access_denied_without_the_actions(server, s3, bucket):
    iam = boto3.client("iam", endpoint_url=server.endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                       region_name="us-east-1", config=Config(retries={"max_attempts": 1}))
    name = "mc-" + uuid.uuid4().hex[:8]
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    user = make_client(server, access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
    arn = "arn:aws:s3:::%s" % bucket

    def allow(*actions):
        iam.put_user_policy(UserName=name, PolicyName="metrics", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["s3:ListBucket", *actions], "Resource": [arn]}]}))

    def denied(call):
        with pytest.raises(ClientError) as e:
            call()
        assert error_of(e)[:2] == (403, "AccessDenied")

    put(s3, bucket, {"Id": "m"})
    allow()
    user.list_objects_v2(Bucket=bucket)  # the user works, just not on metrics configurations
    denied(lambda: put(user, bucket, {"Id": "u"}))
    denied(lambda: user.get_bucket_metrics_configuration(Bucket=bucket, Id="m"))
    denied(lambda: user.list_bucket_metrics_configurations(Bucket=bucket))
    denied(lambda: user.delete_bucket_metrics_configuration(Bucket=bucket, Id="m"))
    assert configured(s3, bucket) == ["m"]

    allow("s3:GetMetricsConfiguration")
    assert user.get_bucket_metrics_configuration(Bucket=bucket, Id="m")["MetricsConfiguration"] == {"Id": "m"}
    assert [c["Id"] for c in user.list_bucket_metrics_configurations(Bucket=bucket)["MetricsConfigurationList"]] == ["m"]
    denied(lambda: put(user, bucket, {"Id": "u"}))
    denied(lambda: user.delete_bucket_metrics_configuration(Bucket=bucket, Id="m"))

    allow("s3:PutMetricsConfiguration")
    put(user, bucket, {"Id": "u"})
    user.delete_bucket_metrics_configuration(Bucket=bucket, Id="m")
    assert configured(s3, bucket) == ["u"]


def test_configurations_go_with_the_bucket(s3):
    name = "py-mc-" + uuid.uuid4().hex[:12]
    s3.create_bucket(Bucket=name)
    put(s3, name, {"Id": "a", "Filter": {"Prefix": "p"}})
    put(s3, name, {"Id": "b"})
    s3.delete_bucket(Bucket=name)
    with pytest.raises(ClientError) as e:
        s3.get_bucket_metrics_configuration(Bucket=name, Id="a")
    assert error_of(e)[:2] == (404, "NoSuchBucket")
    s3.create_bucket(Bucket=name)
    try:
        assert configured(s3, name) == []
        with pytest.raises(ClientError) as e:
            s3.get_bucket_metrics_configuration(Bucket=name, Id="a")
        assert error_of(e)[:2] == (404, "NoSuchConfiguration")
    finally:
        s3.delete_bucket(Bucket=name)
