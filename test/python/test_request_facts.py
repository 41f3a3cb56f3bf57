"""The same request facts reach every API's authorization: an IAM user whose policies are conditioned on
aws:SourceIp (the tests connect from 127.0.0.1) is allowed from inside the range and denied from outside it, on
S3, on S3 Control (CreateJob) and on IAM alike."""
import json
import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import make_client
from test_batch import ACCOUNT, control_client, iam_client, make_manifest, role_arn  # noqa: F401  (role_arn is a fixture)


def user_with_policy(server, cidr):
    iam = iam_client(server)
    name = "facts-" + uuid.uuid4().hex[:8]
    iam.create_user(UserName=name)
    condition = {"IpAddress": {"aws:SourceIp": cidr}}
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["s3:CreateJob", "iam:PassRole", "iam:ListUsers", "s3:GetObject", "s3:PutObject"],
             "Resource": "*", "Condition": condition},
        ],
    }
    iam.put_user_policy(UserName=name, PolicyName="by-source-ip", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def clients(server, key_id, secret):
    return control_client(server, key_id, secret), iam_client(server, key_id, secret), make_client(server, access_key=key_id, secret_key=secret)


def create_job(control, manifest, role, bucket):
    return control.create_job(
        AccountId=ACCOUNT,
        ConfirmationRequired=True,
        Operation={"S3PutObjectTagging": {"TagSet": [{"Key": "k", "Value": "v"}]}},
        Manifest={"Spec": {"Format": "S3BatchOperations_CSV_20180820", "Fields": ["Bucket", "Key"]}, "Location": manifest},
        Report={"Enabled": False},
        Priority=1,
        RoleArn=role,
        ClientRequestToken=uuid.uuid4().hex,
    )


@pytest.mark.parametrize("cidr, allowed", [("127.0.0.0/8", True), ("203.0.113.0/24", False)])
def test_source_ip_reaches_s3_control_iam_and_s3(server, s3, bucket, role_arn, cidr, allowed):  # noqa: F811
    s3.put_object(Bucket=bucket, Key="a", Body=b"x")
    manifest = make_manifest(s3, bucket, ["a"])
    control, iam, user_s3 = clients(server, *user_with_policy(server, cidr))
    if allowed:
        assert create_job(control, manifest, role_arn, bucket)["JobId"]
        assert "Users" in iam.list_users()
        assert user_s3.get_object(Bucket=bucket, Key="a")["Body"].read() == b"x"
    else:
        with pytest.raises(ClientError) as err:
            create_job(control, manifest, role_arn, bucket)
        assert err.value.response["Error"]["Code"] == "AccessDenied"
        with pytest.raises(ClientError) as err:
            iam.list_users()
        assert err.value.response["Error"]["Code"] == "AccessDenied"
        with pytest.raises(ClientError) as err:
            user_s3.get_object(Bucket=bucket, Key="a")
        assert err.value.response["Error"]["Code"] == "AccessDenied"
