import {
  GetObjectTaggingCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';

/** Helpers shared by the access-control conformance tests. */

/** A client that sends requests unsigned: anonymous access. */
export function anonymousClient(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
    signer: { sign: (request) => Promise.resolve(request) },
  });
}

/** Assert that a call is refused with 403 AccessDenied. */
export async function assertDenied(call: Promise<unknown>): Promise<void> {
  await assert.rejects(call, (err: unknown) => {
    assert.ok(err instanceof S3ServiceException, `expected an S3 error, got ${String(err)}`);
    assert.equal(err.$metadata.httpStatusCode, 403);
    assert.equal(err.name, 'AccessDenied');
    return true;
  });
}

export async function putPolicy(s3: S3Client, bucket: string, policy: object): Promise<void> {
  await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
}

export async function putTagged(s3: S3Client, bucket: string, key: string, tagging?: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key, ...(tagging === undefined ? {} : { Tagging: tagging }) }));
}

export async function tagsOf(s3: S3Client, bucket: string, key: string): Promise<Record<string, string>> {
  const out = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
  return Object.fromEntries((out.TagSet ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}
