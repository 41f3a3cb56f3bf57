import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateMultipartUploadCommand,
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutObjectCommand,
  RestoreObjectCommand,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import { createTestBucket } from '../support/buckets.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (err) {
    return err as { name: string; message: string; $metadata: { httpStatusCode?: number } };
  }
  assert.fail('expected the request to fail');
}

const DAY = 86_400_000;

/** The midnight (UTC) `days` days after `from`, rounded up, as AWS computes lifecycle dates. */
function dueAfter(from: Date, days: number): Date {
  return new Date(Math.ceil((from.getTime() + days * DAY) / DAY) * DAY);
}

describe('lifecycle through the AWS SDK v3', () => {
  let t: TestServer;
  let bucket: string;

  before(async () => {
    t = await startTestServer();
    bucket = await createTestBucket(t.s3, 'lifecycle');
  });
  after(() => t.stop());

  const rules: LifecycleRule[] = [
    {
      ID: 'raw-photos',
      Status: 'Enabled',
      Filter: { And: { Prefix: 'photos/', Tags: [{ Key: 'phototype', Value: 'raw' }] } },
      Transitions: [{ Days: 30, StorageClass: 'GLACIER' }],
      Expiration: { Days: 365 },
    },
    { ID: 'uploads', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
  ];

  it('GetBucketLifecycleConfiguration: NoSuchLifecycleConfiguration before any, then the rules as sent', async () => {
    const none = await failure(t.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })));
    assert.equal(none.name, 'NoSuchLifecycleConfiguration');
    assert.equal(none.$metadata.httpStatusCode, 404);
    const put = await t.s3.send(
      new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: rules }, TransitionDefaultMinimumObjectSize: 'varies_by_storage_class' }),
    );
    assert.equal(put.TransitionDefaultMinimumObjectSize, 'varies_by_storage_class');
    const got = await t.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    assert.deepEqual(got.Rules, rules);
    assert.equal(got.TransitionDefaultMinimumObjectSize, 'varies_by_storage_class');
  });

  it('x-amz-expiration on PutObject and HeadObject of a matching object, not on others', async () => {
    const put = await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'photos/a.raw', Body: 'x', Tagging: 'phototype=raw' }));
    const head = await t.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'photos/a.raw' }));
    const expected = `expiry-date="${dueAfter(head.LastModified!, 365).toUTCString()}", rule-id="raw-photos"`;
    assert.equal(put.Expiration, expected);
    assert.equal(head.Expiration, expected);
    await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'photos/b.jpg', Body: 'x', Tagging: 'phototype=finished' }));
    assert.equal((await t.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'photos/b.jpg' }))).Expiration, undefined);
  });

  it('x-amz-abort-date and x-amz-abort-rule-id on CreateMultipartUpload and ListParts', async () => {
    const created = await t.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'tmp/big' }));
    assert.equal(created.AbortRuleId, 'uploads');
    assert.ok(created.AbortDate instanceof Date && created.AbortDate.getTime() % DAY === 0);
    const parts = await t.s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'tmp/big', UploadId: created.UploadId }));
    assert.equal(parts.AbortRuleId, 'uploads');
    assert.equal(parts.AbortDate?.getTime(), created.AbortDate.getTime());
    const other = await t.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'keep/big' }));
    assert.equal(other.AbortDate, undefined);
  });

  it('an archived version needs RestoreObject before GET; another class refuses a restore', async () => {
    await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cold', Body: 'frozen', StorageClass: 'DEEP_ARCHIVE' }));
    const denied = await failure(t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cold' })));
    assert.equal(denied.name, 'InvalidObjectState');
    assert.equal(denied.$metadata.httpStatusCode, 403);
    assert.equal((await t.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'cold' }))).Restore, undefined);
    const first = await t.s3.send(new RestoreObjectCommand({ Bucket: bucket, Key: 'cold', RestoreRequest: { Days: 2, GlacierJobParameters: { Tier: 'Bulk' } } }));
    assert.equal(first.$metadata.httpStatusCode, 202);
    const again = await t.s3.send(new RestoreObjectCommand({ Bucket: bucket, Key: 'cold', RestoreRequest: { Days: 3 } }));
    assert.equal(again.$metadata.httpStatusCode, 200);
    const head = await t.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'cold' }));
    assert.match(head.Restore ?? '', /^ongoing-request="false", expiry-date="[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} 00:00:00 GMT"$/);
    assert.equal(await (await t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cold' }))).Body?.transformToString(), 'frozen');
    await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'warm', Body: 'x' }));
    const refused = await failure(t.s3.send(new RestoreObjectCommand({ Bucket: bucket, Key: 'warm', RestoreRequest: { Days: 1 } })));
    assert.equal(refused.name, 'InvalidObjectState');
  });

  it('DeleteBucketLifecycle removes the rules and their headers', async () => {
    await t.s3.send(new DeleteBucketLifecycleCommand({ Bucket: bucket }));
    assert.equal((await failure(t.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })))).name, 'NoSuchLifecycleConfiguration');
    assert.equal((await t.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'photos/a.raw' }))).Expiration, undefined);
  });
});
