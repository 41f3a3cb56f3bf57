"""IAM and STS through boto3 and the aws CLI, against the built server (same endpoint as S3)."""
import json
import os
import subprocess
import uuid

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import ACCESS_KEY, SECRET_KEY, make_client

ACCOUNT = "000000000000"


def client(server, service, access_key=ACCESS_KEY, secret_key=SECRET_KEY, token=None):
    return boto3.client(
        service,
        endpoint_url=server.endpoint,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        aws_session_token=token,
        region_name="us-east-1",
        config=Config(retries={"max_attempts": 1}),
    )


@pytest.fixture(scope="module")
def iam(server):
    return client(server, "iam")


@pytest.fixture(scope="module")
def sts(server):
    return client(server, "sts")


def name(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:8])


def code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def test_users_and_access_keys(iam):
    user = name("py-user")
    created = iam.create_user(UserName=user, Path="/py/", Tags=[{"Key": "team", "Value": "qa"}])["User"]
    assert created["Arn"] == "arn:aws:iam::%s:user/py/%s" % (ACCOUNT, user)
    assert created["UserId"].startswith("AIDA")
    assert iam.get_user(UserName=user)["User"]["Tags"] == [{"Key": "team", "Value": "qa"}]
    assert user in [u["UserName"] for u in iam.list_users(PathPrefix="/py/")["Users"]]
    with pytest.raises(ClientError) as e:
        iam.create_user(UserName=user)
    assert code(e) == "EntityAlreadyExists"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409

    key = iam.create_access_key(UserName=user)["AccessKey"]
    assert key["AccessKeyId"].startswith("AKIA") and len(key["SecretAccessKey"]) == 40
    iam.create_access_key(UserName=user)
    with pytest.raises(ClientError) as e:
        iam.create_access_key(UserName=user)
    assert code(e) == "LimitExceeded"
    keys = iam.list_access_keys(UserName=user)["AccessKeyMetadata"]
    assert len(keys) == 2 and all("SecretAccessKey" not in k for k in keys)
    with pytest.raises(ClientError) as e:
        iam.delete_user(UserName=user)
    assert code(e) == "DeleteConflict"
    for k in keys:
        iam.delete_access_key(UserName=user, AccessKeyId=k["AccessKeyId"])
    iam.delete_user(UserName=user)
    with pytest.raises(ClientError) as e:
        iam.get_user(UserName=user)
    assert code(e) == "NoSuchEntity"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_policies_and_inactive_key(server, iam, s3, bucket):
    user = name("py-reader")
    iam.create_user(UserName=user)
    key = iam.create_access_key(UserName=user)["AccessKey"]
    s3.put_object(Bucket=bucket, Key="public", Body=b"ok", Tagging="security=public")
    s3.put_object(Bucket=bucket, Key="private", Body=b"no", Tagging="security=private")
    document = {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::%s/*" % bucket,
            "Condition": {"StringEquals": {"s3:ExistingObjectTag/security": "public"}},
        }],
    }
    iam.put_user_policy(UserName=user, PolicyName="public", PolicyDocument=json.dumps(document))
    # boto3 decodes the URL-encoded document IAM returns
    assert iam.get_user_policy(UserName=user, PolicyName="public")["PolicyDocument"] == document
    assert iam.list_user_policies(UserName=user)["PolicyNames"] == ["public"]

    user_s3 = make_client(server, key["AccessKeyId"], key["SecretAccessKey"])
    assert user_s3.get_object(Bucket=bucket, Key="public")["Body"].read() == b"ok"
    with pytest.raises(ClientError) as e:
        user_s3.get_object(Bucket=bucket, Key="private")
    assert code(e) == "AccessDenied"

    iam.update_access_key(UserName=user, AccessKeyId=key["AccessKeyId"], Status="Inactive")
    with pytest.raises(ClientError) as e:
        user_s3.get_object(Bucket=bucket, Key="public")
    assert code(e) == "InvalidAccessKeyId"

    bad = {"Version": "2012-10-17", "Statement": [{"Sid": "Bad", "Effect": "Allow", "Action": "s3:Nope", "Resource": "*"}]}
    with pytest.raises(ClientError) as e:
        iam.put_user_policy(UserName=user, PolicyName="bad", PolicyDocument=json.dumps(bad))
    assert code(e) == "MalformedPolicyDocument"
    assert 'Sid "Bad"' in e.value.response["Error"]["Message"]


def test_managed_policies(iam):
    user = name("py-managed")
    iam.create_user(UserName=user)
    doc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]})
    policy = iam.create_policy(PolicyName=name("py-policy"), Path="/team/", PolicyDocument=doc, Description="list")["Policy"]
    assert policy["Arn"] == "arn:aws:iam::%s:policy/team/%s" % (ACCOUNT, policy["PolicyName"])
    assert policy["DefaultVersionId"] == "v1"
    iam.attach_user_policy(UserName=user, PolicyArn=policy["Arn"])
    assert iam.get_policy(PolicyArn=policy["Arn"])["Policy"]["AttachmentCount"] == 1
    assert [p["PolicyArn"] for p in iam.list_attached_user_policies(UserName=user)["AttachedPolicies"]] == [policy["Arn"]]
    assert iam.get_policy_version(PolicyArn=policy["Arn"], VersionId="v1")["PolicyVersion"]["Document"] == json.loads(doc)
    with pytest.raises(ClientError) as e:
        iam.delete_policy(PolicyArn=policy["Arn"])
    assert code(e) == "DeleteConflict"
    iam.detach_user_policy(UserName=user, PolicyArn=policy["Arn"])
    iam.delete_policy(PolicyArn=policy["Arn"])
    with pytest.raises(ClientError) as e:
        iam.get_policy(PolicyArn=policy["Arn"])
    assert code(e) == "NoSuchEntity"


def test_roles_and_assume_role(server, iam, sts):
    assert sts.get_caller_identity()["Arn"] == "arn:aws:iam::%s:root" % ACCOUNT
    role_name = name("py-role")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}]}
    role = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    assert role["AssumeRolePolicyDocument"] == trust
    iam.put_role_policy(RoleName=role_name, PolicyName="list", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}))
    assert iam.list_role_policies(RoleName=role_name)["PolicyNames"] == ["list"]
    assert role_name in [r["RoleName"] for r in iam.list_roles()["Roles"]]
    assert iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"] == []
    managed = iam.create_policy(PolicyName=name("py-role-policy"), PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))["Policy"]
    iam.attach_role_policy(RoleName=role_name, PolicyArn=managed["Arn"])
    assert [p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"]] == [managed["Arn"]]
    assert iam.get_role_policy(RoleName=role_name, PolicyName="list")["PolicyDocument"]["Statement"][0]["Action"] == "s3:ListAllMyBuckets"

    out = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="py-session", DurationSeconds=900)
    creds = out["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA")
    assert out["AssumedRoleUser"]["Arn"] == "arn:aws:sts::%s:assumed-role/%s/py-session" % (ACCOUNT, role_name)
    session_sts = client(server, "sts", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    assert session_sts.get_caller_identity()["Arn"] == out["AssumedRoleUser"]["Arn"]
    session_s3 = boto3.client(
        "s3", endpoint_url=server.endpoint, region_name="us-east-1",
        aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"], config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
    session_s3.list_buckets()
    no_token = make_client(server, creds["AccessKeyId"], creds["SecretAccessKey"])
    with pytest.raises(ClientError) as e:
        no_token.list_buckets()
    assert code(e) == "InvalidAccessKeyId"

    with pytest.raises(ClientError) as e:
        iam.delete_role(RoleName=role_name)
    assert code(e) == "DeleteConflict"
    iam.delete_role_policy(RoleName=role_name, PolicyName="list")
    with pytest.raises(ClientError) as e:
        iam.delete_role(RoleName=role_name)
    assert code(e) == "DeleteConflict"
    iam.detach_role_policy(RoleName=role_name, PolicyArn=managed["Arn"])
    iam.delete_role(RoleName=role_name)
    with pytest.raises(ClientError) as e:
        iam.get_role(RoleName=role_name)
    assert code(e) == "NoSuchEntity"
    # a session whose role is gone keeps authenticating but has no permissions left
    with pytest.raises(ClientError) as e:
        session_s3.list_buckets()
    assert code(e) == "AccessDenied"


@pytest.fixture
def aws_as(server, tmp_path):
    """Run the aws CLI with the given credentials (default: root)."""
    def run(*args, key=ACCESS_KEY, secret=SECRET_KEY, token=None, check=True):
        env = dict(os.environ)
        env.update({
            "AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret, "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": str(tmp_path / "cfg"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "creds"),
        })
        env.pop("AWS_SESSION_TOKEN", None)
        if token:
            env["AWS_SESSION_TOKEN"] = token
        proc = subprocess.run(["aws", "--endpoint-url", server.endpoint, "--output", "json", *args],
                              env=env, capture_output=True, text=True, timeout=300)
        if check and proc.returncode != 0:
            raise AssertionError("aws %s failed: %s" % (" ".join(args), proc.stderr))
        return proc
    return run


def test_cli_documented_policies(aws_as, s3, bucket, tmp_path):
    user = name("cli-user")
    created = json.loads(aws_as("iam", "create-user", "--user-name", user).stdout)
    assert created["User"]["UserName"] == user
    key = json.loads(aws_as("iam", "create-access-key", "--user-name", user).stdout)["AccessKey"]
    s3.put_object(Bucket=bucket, Key="doc", Body=b"x")

    # documented policy 2: only Owner / CreationDate keys, and not an empty tag set
    policy2 = tmp_path / "policy2.json"
    policy2.write_text(json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": ["s3:PutObjectTagging"],
            "Resource": ["arn:aws:s3:::%s/*" % bucket],
            "Condition": {
                "ForAllValues:StringLike": {"s3:RequestObjectTagKeys": ["Owner", "CreationDate"]},
                "ForAnyValue:StringLike": {"s3:RequestObjectTagKeys": ["Owner", "CreationDate"]},
            },
        }],
    }))
    aws_as("iam", "put-user-policy", "--user-name", user, "--policy-name", "tags", "--policy-document", "file://%s" % policy2)
    got = json.loads(aws_as("iam", "get-user-policy", "--user-name", user, "--policy-name", "tags").stdout)
    assert got["PolicyDocument"] == json.loads(policy2.read_text())

    as_user = dict(key=key["AccessKeyId"], secret=key["SecretAccessKey"])
    aws_as("s3api", "put-object-tagging", "--bucket", bucket, "--key", "doc",
           "--tagging", "TagSet=[{Key=Owner,Value=me}]", **as_user)
    denied = aws_as("s3api", "put-object-tagging", "--bucket", bucket, "--key", "doc",
                    "--tagging", "TagSet=[{Key=Secret,Value=x}]", check=False, **as_user)
    assert denied.returncode != 0 and "AccessDenied" in denied.stderr
    empty = aws_as("s3api", "put-object-tagging", "--bucket", bucket, "--key", "doc",
                   "--tagging", "TagSet=[]", check=False, **as_user)
    assert empty.returncode != 0 and "AccessDenied" in empty.stderr

    ident = json.loads(aws_as("sts", "get-caller-identity", **as_user).stdout)
    assert ident["Arn"] == "arn:aws:iam::%s:user/%s" % (ACCOUNT, user)


def test_cli_roles(aws_as, tmp_path):
    role = name("cli-role")
    trust = tmp_path / "trust.json"
    trust.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT}, "Action": "sts:AssumeRole"}]}))
    created = json.loads(aws_as("iam", "create-role", "--role-name", role, "--assume-role-policy-document", "file://%s" % trust).stdout)
    arn = created["Role"]["Arn"]
    out = json.loads(aws_as("sts", "assume-role", "--role-arn", arn, "--role-session-name", "cli").stdout)
    c = out["Credentials"]
    ident = json.loads(aws_as("sts", "get-caller-identity", key=c["AccessKeyId"], secret=c["SecretAccessKey"], token=c["SessionToken"]).stdout)
    assert ident["Arn"] == "arn:aws:sts::%s:assumed-role/%s/cli" % (ACCOUNT, role)
    bad = aws_as("iam", "create-role", "--role-name", name("bad"), "--assume-role-policy-document",
                 json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}), check=False)
    assert bad.returncode != 0 and "MalformedPolicyDocument" in bad.stderr
