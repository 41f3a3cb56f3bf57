import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, PutObjectTaggingCommand, type S3Client } from '@aws-sdk/client-s3';
import { bucketName } from '../support/names.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../support/testServer.js';
import { DOCUMENTED_POLICIES, queryCall, type Credentials } from './iamSupport.js';

const ACCOUNT = '000000000000';

function s3ErrorName(err: unknown): string {
  return (err as { name?: string }).name ?? String(err);
}

/**
 * The request path remembers resolved keys, identity policies (compiled) and existing object tags; every IAM write
 * and every tag write must be seen by the very next request. Each test warms the caches with repeated requests
 * first, then changes something and expects the next request to follow.
 */
void describe('IAM changes take effect on the next request (cached credentials, policies and tags)', () => {
  let t: TestServer;
  let bucket: string;
  const iam = (creds: Credentials, params: Record<string, string>) => queryCall(t.endpoint, 'iam', creds, params);

  async function newUserWithKey(name: string): Promise<Credentials> {
    assert.equal((await iam(ROOT_KEY, { Action: 'CreateUser', UserName: name })).status, 200);
    const key = await iam(ROOT_KEY, { Action: 'CreateAccessKey', UserName: name });
    assert.equal(key.status, 200, key.body);
    return { accessKeyId: key.text('AccessKeyId') ?? '', secretAccessKey: key.text('SecretAccessKey') ?? '' };
  }

  async function reads(s3: S3Client, key = 'doc'): Promise<string> {
    try {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      await got.Body?.transformToString();
      return 'ok';
    } catch (err) {
      return s3ErrorName(err);
    }
  }

  async function warm(s3: S3Client, expected: string): Promise<void> {
    for (let i = 0; i < 3; i++) assert.equal(await reads(s3), expected);
  }

  before(async () => {
    t = await startTestServer();
    bucket = bucketName();
    await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'doc', Body: 'hello', Tagging: 'security=public' }));
  });
  after(async () => {
    await t.stop();
  });

  void it('inline policy put, replaced and deleted', async () => {
    const key = await newUserWithKey('inline-user');
    const s3 = t.client(key);
    await warm(s3, 'AccessDenied');
    await iam(ROOT_KEY, { Action: 'PutUserPolicy', UserName: 'inline-user', PolicyName: 'p', PolicyDocument: DOCUMENTED_POLICIES.existingTagPublic(bucket) });
    await warm(s3, 'ok');
    const deny = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:GetObject', Resource: '*' }] });
    await iam(ROOT_KEY, { Action: 'PutUserPolicy', UserName: 'inline-user', PolicyName: 'p', PolicyDocument: deny });
    await warm(s3, 'AccessDenied');
    await iam(ROOT_KEY, { Action: 'PutUserPolicy', UserName: 'inline-user', PolicyName: 'p', PolicyDocument: DOCUMENTED_POLICIES.existingTagPublic(bucket) });
    await warm(s3, 'ok');
    assert.equal((await iam(ROOT_KEY, { Action: 'DeleteUserPolicy', UserName: 'inline-user', PolicyName: 'p' })).status, 200);
    assert.equal(await reads(s3), 'AccessDenied');
  });

  void it('managed policy attached, detached and attached again', async () => {
    const key = await newUserWithKey('managed-user');
    const s3 = t.client(key);
    const created = await iam(ROOT_KEY, { Action: 'CreatePolicy', PolicyName: 'read-public', PolicyDocument: DOCUMENTED_POLICIES.existingTagPublic(bucket) });
    assert.equal(created.status, 200, created.body);
    const arn = created.text('Arn') ?? '';
    assert.equal(arn, `arn:aws:iam::${ACCOUNT}:policy/read-public`);
    await warm(s3, 'AccessDenied');
    await iam(ROOT_KEY, { Action: 'AttachUserPolicy', UserName: 'managed-user', PolicyArn: arn });
    await warm(s3, 'ok');
    await iam(ROOT_KEY, { Action: 'DetachUserPolicy', UserName: 'managed-user', PolicyArn: arn });
    assert.equal(await reads(s3), 'AccessDenied');
    await iam(ROOT_KEY, { Action: 'AttachUserPolicy', UserName: 'managed-user', PolicyArn: arn });
    await warm(s3, 'ok');
  });

  void it('existing object tags: a tag change by someone else is seen by the next tag-conditioned read', async () => {
    const key = await newUserWithKey('tag-reader');
    const s3 = t.client(key);
    await iam(ROOT_KEY, { Action: 'PutUserPolicy', UserName: 'tag-reader', PolicyName: 'p', PolicyDocument: DOCUMENTED_POLICIES.existingTagPublic(bucket) });
    await warm(s3, 'ok');
    await t.s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'doc', Tagging: { TagSet: [{ Key: 'security', Value: 'private' }] } }));
    assert.equal(await reads(s3), 'AccessDenied');
    await t.s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'doc', Tagging: { TagSet: [{ Key: 'security', Value: 'public' }] } }));
    assert.equal(await reads(s3), 'ok');
    // a new object version with other tags replaces the cached one
    await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'doc', Body: 'hello again', Tagging: 'security=private' }));
    assert.equal(await reads(s3), 'AccessDenied');
    await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'doc', Body: 'hello', Tagging: 'security=public' }));
    assert.equal(await reads(s3), 'ok');
  });

  void it('access keys: deactivated and deleted keys are refused on the next request', async () => {
    const key = await newUserWithKey('key-user');
    const s3 = t.client(key);
    await iam(ROOT_KEY, { Action: 'PutUserPolicy', UserName: 'key-user', PolicyName: 'p', PolicyDocument: DOCUMENTED_POLICIES.existingTagPublic(bucket) });
    await warm(s3, 'ok');
    await iam(ROOT_KEY, { Action: 'UpdateAccessKey', UserName: 'key-user', AccessKeyId: key.accessKeyId, Status: 'Inactive' });
    assert.equal(await reads(s3), 'InvalidAccessKeyId');
    await iam(ROOT_KEY, { Action: 'UpdateAccessKey', UserName: 'key-user', AccessKeyId: key.accessKeyId, Status: 'Active' });
    await warm(s3, 'ok');
    assert.equal((await iam(ROOT_KEY, { Action: 'DeleteAccessKey', UserName: 'key-user', AccessKeyId: key.accessKeyId })).status, 200);
    assert.equal(await reads(s3), 'InvalidAccessKeyId');
  });

  void it('a user deleted and created again under the same name gets only its new policies', async () => {
    const key = await newUserWithKey('reborn');
    const s3 = t.client(key);
    await iam(ROOT_KEY, { Action: 'PutUserPolicy', UserName: 'reborn', PolicyName: 'p', PolicyDocument: DOCUMENTED_POLICIES.existingTagPublic(bucket) });
    await warm(s3, 'ok');
    await iam(ROOT_KEY, { Action: 'DeleteUserPolicy', UserName: 'reborn', PolicyName: 'p' });
    await iam(ROOT_KEY, { Action: 'DeleteAccessKey', UserName: 'reborn', AccessKeyId: key.accessKeyId });
    assert.equal((await iam(ROOT_KEY, { Action: 'DeleteUser', UserName: 'reborn' })).status, 200);
    assert.equal(await reads(s3), 'InvalidAccessKeyId');
    const again = t.client(await newUserWithKey('reborn'));
    assert.equal(await reads(again), 'AccessDenied');
  });
});
