"""Object listings through boto3 paginators (which ask for encoding-type=url and decode it) and the aws CLI."""
import json

import pytest
from botocore.exceptions import ClientError


def put_all(s3, bucket, keys):
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=key.encode("utf-8"))


def keys_of(pages):
    return [c["Key"] for p in pages for c in p.get("Contents", [])]


def prefixes_of(pages):
    return [c["Prefix"] for p in pages for c in p.get("CommonPrefixes", [])]


def utf8_sorted(keys):
    return sorted(keys, key=lambda k: k.encode("utf-8"))


def test_list_objects_v2_paginator(s3, bucket):
    keys = ["k/%03d" % i for i in range(17)] + ["top"]
    put_all(s3, bucket, keys)
    pages = list(s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, PaginationConfig={"PageSize": 5}))
    assert len(pages) == 4
    assert keys_of(pages) == keys
    assert [p["KeyCount"] for p in pages] == [5, 5, 5, 3]
    rolled = list(s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Delimiter="/", PaginationConfig={"PageSize": 1}))
    assert prefixes_of(rolled) == ["k/"]
    assert keys_of(rolled) == ["top"]


def test_delimiter_prefix_pages_v1_and_v2(s3, bucket):
    put_all(s3, bucket, ["asdf", "boo/bar", "boo/baz/xyzzy", "cquux/thud", "cquux/bla"])
    r = s3.list_objects(Bucket=bucket, Delimiter="/", MaxKeys=1)
    assert (r["IsTruncated"], r["NextMarker"], [c["Key"] for c in r["Contents"]]) == (True, "asdf", ["asdf"])
    r = s3.list_objects(Bucket=bucket, Delimiter="/", MaxKeys=1, Marker=r["NextMarker"])
    assert (r["IsTruncated"], r["NextMarker"], [c["Prefix"] for c in r["CommonPrefixes"]]) == (True, "boo/", ["boo/"])
    r = s3.list_objects(Bucket=bucket, Delimiter="/", MaxKeys=1, Marker=r["NextMarker"])
    assert (r["IsTruncated"], "NextMarker" in r, [c["Prefix"] for c in r["CommonPrefixes"]]) == (False, False, ["cquux/"])
    v1 = list(s3.get_paginator("list_objects").paginate(Bucket=bucket, Delimiter="/", Prefix="boo/", PaginationConfig={"PageSize": 1}))
    assert keys_of(v1) == ["boo/bar"] and prefixes_of(v1) == ["boo/baz/"]
    v2 = s3.list_objects_v2(Bucket=bucket, Delimiter="/", MaxKeys=2)
    assert v2["KeyCount"] == 2 and v2["IsTruncated"]
    v2 = s3.list_objects_v2(Bucket=bucket, Delimiter="/", MaxKeys=2, ContinuationToken=v2["NextContinuationToken"])
    assert [c["Prefix"] for c in v2["CommonPrefixes"]] == ["cquux/"] and not v2["IsTruncated"]


def test_special_keys_survive_url_encoding(s3, bucket):
    # boto3 asks for encoding-type=url on its own and decodes the answer: keys XML cannot carry come back intact
    keys = ["a b", "c+d", "e%20f", "ctl\x01x", "tab\tkey", "日本/語", "a//b", "../x", "q?x=1&y", "emoji\U0001F600"]
    put_all(s3, bucket, keys)
    listed = keys_of(s3.get_paginator("list_objects_v2").paginate(Bucket=bucket))
    assert listed == utf8_sorted(keys)
    v1 = keys_of(s3.get_paginator("list_objects").paginate(Bucket=bucket))
    assert v1 == utf8_sorted(keys)
    raw = s3.list_objects_v2(Bucket=bucket, EncodingType="url", Prefix="c")
    assert [c["Key"] for c in raw["Contents"]] == ["c%2Bd", "ctl%01x"]


def test_encoding_basic_as_s3_tests_expects(s3, bucket):
    put_all(s3, bucket, ["foo+1/bar", "foo/bar/xyzzy", "quux ab/thud", "asdf+b"])
    r = s3.list_objects_v2(Bucket=bucket, Delimiter="/", EncodingType="url")
    assert r["Delimiter"] == "/"
    assert [c["Key"] for c in r["Contents"]] == ["asdf%2Bb"]
    assert [c["Prefix"] for c in r["CommonPrefixes"]] == ["foo%2B1/", "foo/", "quux%20ab/"]


def test_bad_parameters(s3, bucket):
    def add_query(extra):
        def hook(params, **kwargs):
            params["url"] += ("&" if "?" in params["url"] else "?") + extra
        return hook

    hook = add_query("max-keys=blah")
    s3.meta.events.register("before-call.s3.ListObjects", hook)
    try:
        with pytest.raises(ClientError) as e:
            s3.list_objects(Bucket=bucket)
        assert e.value.response["Error"]["Code"] == "InvalidArgument"
    finally:
        s3.meta.events.unregister("before-call.s3.ListObjects", hook)
    with pytest.raises(ClientError) as e:
        s3.list_objects_v2(Bucket=bucket, ContinuationToken="forged")
    assert e.value.response["Error"]["Code"] == "InvalidArgument"
    r = s3.list_objects_v2(Bucket=bucket, MaxKeys=0)
    assert r["IsTruncated"] is False and r["KeyCount"] == 0


def test_fetch_owner_and_entry_fields(s3, bucket):
    put = s3.put_object(Bucket=bucket, Key="o", Body=b"hello", ChecksumAlgorithm="SHA1")
    plain = s3.list_objects_v2(Bucket=bucket)["Contents"][0]
    assert "Owner" not in plain
    assert plain["ETag"] == put["ETag"] and plain["Size"] == 5 and plain["StorageClass"] == "STANDARD"
    assert plain["ChecksumAlgorithm"] == ["SHA1"]
    owned = s3.list_objects_v2(Bucket=bucket, FetchOwner=True)["Contents"][0]
    assert len(owned["Owner"]["ID"]) == 64
    assert "Owner" in s3.list_objects(Bucket=bucket)["Contents"][0]


def test_list_object_versions_paginator(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    written = []
    for key in ["x", "y", "x", "dir/z", "y"]:
        written.append((key, s3.put_object(Bucket=bucket, Key=key, Body=b"v")["VersionId"]))
    marker = s3.delete_object(Bucket=bucket, Key="x")["VersionId"]

    full = s3.list_object_versions(Bucket=bucket)
    assert [(v["Key"], v["IsLatest"]) for v in full["Versions"]] == [
        ("dir/z", True), ("x", False), ("x", False), ("y", True), ("y", False)]
    assert [(d["Key"], d["VersionId"], d["IsLatest"]) for d in full["DeleteMarkers"]] == [("x", marker, True)]

    pages = list(s3.get_paginator("list_object_versions").paginate(Bucket=bucket, PaginationConfig={"PageSize": 2}))
    assert len(pages) == 3
    paged = [(v["Key"], v["VersionId"]) for p in pages for v in p.get("Versions", []) + p.get("DeleteMarkers", [])]
    assert sorted(paged) == sorted([(k, v) for k, v in written] + [("x", marker)])
    rolled = s3.list_object_versions(Bucket=bucket, Delimiter="/")
    assert [c["Prefix"] for c in rolled["CommonPrefixes"]] == ["dir/"]
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["dir/z", "y"]


def test_cli_ls_and_list_objects_v2(aws, s3, bucket):
    put_all(s3, bucket, ["docs/a.txt", "docs/b.txt", "img/c.png", "readme.md", "sp ace.txt"])
    ls = aws("s3", "ls", "s3://%s/" % bucket).stdout
    assert "PRE docs/" in ls and "PRE img/" in ls and "readme.md" in ls and "sp ace.txt" in ls
    recursive = aws("s3", "ls", "--recursive", "s3://%s/" % bucket).stdout
    assert [line.split()[-1] for line in recursive.splitlines()][:4] == ["docs/a.txt", "docs/b.txt", "img/c.png", "readme.md"]
    out = json.loads(aws("s3api", "list-objects-v2", "--bucket", bucket, "--prefix", "docs/", "--page-size", "1").stdout)
    assert [c["Key"] for c in out["Contents"]] == ["docs/a.txt", "docs/b.txt"]
    out = json.loads(aws("s3api", "list-objects-v2", "--bucket", bucket, "--max-items", "2").stdout)
    assert [c["Key"] for c in out["Contents"]] == ["docs/a.txt", "docs/b.txt"]
    rest = json.loads(aws("s3api", "list-objects-v2", "--bucket", bucket, "--starting-token", out["NextToken"]).stdout)
    assert [c["Key"] for c in rest["Contents"]] == ["img/c.png", "readme.md", "sp ace.txt"]
