import { CreateBucketCommand, PutBucketVersioningCommand, type S3Client } from '@aws-sdk/client-s3';
import { bucketName } from './names.js';

/** Create a fresh bucket (name from `prefix`), with versioning Enabled or Suspended when asked. */
export async function createTestBucket(s3: S3Client, prefix: string, versioning?: 'Enabled' | 'Suspended'): Promise<string> {
  const bucket = bucketName(prefix);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  if (versioning !== undefined) {
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: versioning } }));
  }
  return bucket;
}
