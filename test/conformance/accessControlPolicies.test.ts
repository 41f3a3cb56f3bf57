import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetObjectCommand,
  PutBucketPolicyCommand,
  PutObjectTaggingCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { S3Client } from '@aws-sdk/client-s3';
import { bucketName } from '../support/names.js';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { assertDenied, putPolicy, putTagged, tagsOf } from './accessControlSupport.js';

/**
 * The three tag policies of the S3 user guide ("Tagging and access control policies"), verbatim, as BUCKET policies
 * naming another account's root user: cross-account access, where the bucket policy alone decides for a root user.
 */
let server: TestServer;
let alt: S3Client;
let altAccount: string;
let third: S3Client;

before(async () => {
  server = await startTestServer();
  const a = await server.createAccount('alt');
  altAccount = a.accountId;
  alt = server.client(a);
  third = server.client(await server.createAccount('third'));
});
after(async () => server.stop());

async function newBucket(): Promise<string> {
  const bucket = bucketName('acp');
  await server.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

function tagging(tags: Record<string, string>): { TagSet: { Key: string; Value: string }[] } {
  return { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
}

function putTags(client: S3Client, bucket: string, key: string, tags: Record<string, string>): Promise<unknown> {
  return client.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: tagging(tags) }));
}

void describe('documented policy 1: GetObject only where s3:ExistingObjectTag/security = public', () => {
  let bucket: string;
  before(async () => {
    bucket = await newBucket();
    await putPolicy(server.s3, bucket, {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${altAccount}:root` },
          Action: 's3:GetObject',
          Resource: `arn:aws:s3:::${bucket}/*`,
          Condition: { StringEquals: { 's3:ExistingObjectTag/security': 'public' } },
        },
      ],
    });
    await putTagged(server.s3, bucket, 'public.txt', 'security=public');
    await putTagged(server.s3, bucket, 'private.txt', 'security=private');
    await putTagged(server.s3, bucket, 'untagged.txt');
  });

  void it('allows the named account to read an object tagged security=public', async () => {
    const out = await alt.send(new GetObjectCommand({ Bucket: bucket, Key: 'public.txt' }));
    assert.equal(await out.Body?.transformToString(), 'public.txt');
  });

  void it('denies objects with another value or no tag', async () => {
    await assertDenied(alt.send(new GetObjectCommand({ Bucket: bucket, Key: 'private.txt' })));
    await assertDenied(alt.send(new GetObjectCommand({ Bucket: bucket, Key: 'untagged.txt' })));
  });

  void it('denies an account the policy does not name, and actions it does not allow', async () => {
    await assertDenied(third.send(new GetObjectCommand({ Bucket: bucket, Key: 'public.txt' })));
    await assertDenied(putTags(alt, bucket, 'public.txt', { security: 'public' }));
  });

  void it('follows the tags as they change', async () => {
    await putTags(server.s3, bucket, 'untagged.txt', { security: 'public' });
    await alt.send(new GetObjectCommand({ Bucket: bucket, Key: 'untagged.txt' }));
    await putTags(server.s3, bucket, 'untagged.txt', {});
    await assertDenied(alt.send(new GetObjectCommand({ Bucket: bucket, Key: 'untagged.txt' })));
  });
});

void describe('documented policy 2: PutObjectTagging only with tag keys Owner / CreationDate', () => {
  let bucket: string;
  before(async () => {
    bucket = await newBucket();
    await putPolicy(server.s3, bucket, {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${altAccount}:root` },
          Action: ['s3:PutObjectTagging'],
          Resource: [`arn:aws:s3:::${bucket}/*`],
          Condition: {
            'ForAllValues:StringLike': { 's3:RequestObjectTagKeys': ['Owner', 'CreationDate'] },
            'ForAnyValue:StringLike': { 's3:RequestObjectTagKeys': ['Owner', 'CreationDate'] },
          },
        },
      ],
    });
    await putTagged(server.s3, bucket, 'doc.txt', 'Start=1');
  });

  void it('allows tag sets whose keys are all Owner or CreationDate', async () => {
    await putTags(alt, bucket, 'doc.txt', { Owner: 'alice' });
    assert.deepEqual(await tagsOf(server.s3, bucket, 'doc.txt'), { Owner: 'alice' });
    await putTags(alt, bucket, 'doc.txt', { Owner: 'bob', CreationDate: '2024-01-01' });
    assert.deepEqual(await tagsOf(server.s3, bucket, 'doc.txt'), { Owner: 'bob', CreationDate: '2024-01-01' });
  });

  void it('denies any other key, and (ForAnyValue) the empty tag set — changing nothing', async () => {
    await assertDenied(putTags(alt, bucket, 'doc.txt', { Owner: 'eve', Project: 'x' }));
    await assertDenied(putTags(alt, bucket, 'doc.txt', { Project: 'x' }));
    await assertDenied(putTags(alt, bucket, 'doc.txt', {}));
    assert.deepEqual(await tagsOf(server.s3, bucket, 'doc.txt'), { Owner: 'bob', CreationDate: '2024-01-01' });
  });
});

void describe('documented policy 3: PutObjectTagging only when s3:RequestObjectTag/Project = X', () => {
  let bucket: string;
  before(async () => {
    bucket = await newBucket();
    await putPolicy(server.s3, bucket, {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: altAccount },
          Action: ['s3:PutObjectTagging'],
          Resource: [`arn:aws:s3:::${bucket}/*`],
          Condition: { StringEquals: { 's3:RequestObjectTag/Project': 'X' } },
        },
      ],
    });
    await putTagged(server.s3, bucket, 'doc.txt');
  });

  void it('allows a tag set with Project=X', async () => {
    await putTags(alt, bucket, 'doc.txt', { Project: 'X', Other: '1' });
    assert.deepEqual(await tagsOf(server.s3, bucket, 'doc.txt'), { Project: 'X', Other: '1' });
  });

  void it('denies another value, no Project tag, or an empty set, and changes nothing', async () => {
    await assertDenied(putTags(alt, bucket, 'doc.txt', { Project: 'Y' }));
    await assertDenied(putTags(alt, bucket, 'doc.txt', { Other: '2' }));
    await assertDenied(putTags(alt, bucket, 'doc.txt', {}));
    assert.deepEqual(await tagsOf(server.s3, bucket, 'doc.txt'), { Project: 'X', Other: '1' });
  });
});

void describe('bucket policy management', () => {
  void it('stores the policy as sent; NoSuchBucketPolicy after delete; status tells whether it is public', async () => {
    const bucket = await newBucket();
    await assert.rejects(server.s3.send(new GetBucketPolicyCommand({ Bucket: bucket })), (e: unknown) => e instanceof S3ServiceException && e.name === 'NoSuchBucketPolicy');
    const status0 = await server.s3.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }));
    assert.equal(status0.PolicyStatus?.IsPublic, false);
    const text = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }],
    });
    await server.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: text }));
    const got = await server.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    assert.equal(got.Policy, text);
    const status = await server.s3.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }));
    assert.equal(status.PolicyStatus?.IsPublic, true);
    await server.s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    await assert.rejects(server.s3.send(new GetBucketPolicyCommand({ Bucket: bucket })), (e: unknown) => e instanceof S3ServiceException && e.name === 'NoSuchBucketPolicy');
  });

  void it('rejects an invalid policy with MalformedPolicy naming the statement', async () => {
    const bucket = await newBucket();
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Fine', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` },
        { Sid: 'Bad', Effect: 'Allow', Principal: '*', Action: 's3:NoSuchAction', Resource: `arn:aws:s3:::${bucket}/*` },
      ],
    };
    await assert.rejects(server.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) })), (e: unknown) => {
      assert.ok(e instanceof S3ServiceException);
      assert.equal(e.name, 'MalformedPolicy');
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.match(e.message, /Bad/);
      return true;
    });
    await assert.rejects(server.s3.send(new GetBucketPolicyCommand({ Bucket: bucket })), (e: unknown) => e instanceof S3ServiceException && e.name === 'NoSuchBucketPolicy');
  });

  void it('an explicit Deny binds the owner, who is never locked out of the policy itself', async () => {
    const bucket = await newBucket();
    await putTagged(server.s3, bucket, 'k');
    await putPolicy(server.s3, bucket, {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Deny', Principal: '*', Action: ['s3:GetObject', 's3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:DeleteBucketPolicy'], Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] },
      ],
    });
    await assertDenied(server.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })));
    await server.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    await server.s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    await server.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
  });

  void it('another account cannot manage the policy, even when a policy allows it (405)', async () => {
    const bucket = await newBucket();
    await assertDenied(alt.send(new GetBucketPolicyCommand({ Bucket: bucket })));
    await putPolicy(server.s3, bucket, {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: altAccount }, Action: 's3:GetBucketPolicy', Resource: `arn:aws:s3:::${bucket}` }],
    });
    await assert.rejects(alt.send(new GetBucketPolicyCommand({ Bucket: bucket })), (e: unknown) => e instanceof S3ServiceException && e.$metadata.httpStatusCode === 405);
  });
});
