import { S3Error } from '../../../errors/S3Error.js';
import { s3Arn, type Operation } from '../Operation.js';
import { requireOwnerAccount } from './bucketOwner.js';

/** GET /{Bucket}?policy — the bucket policy as it was put (JSON); 404 NoSuchBucketPolicy when there is none. */
export const GetBucketPolicy: Operation<'bucket'> = {
  name: 'GetBucketPolicy',
  route: { method: 'GET', target: 'bucket', query: ['policy'] },
  actions: (request) => [{ action: 's3:GetBucketPolicy', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const bucket = requireOwnerAccount(ctx.bucket, ctx.principal);
    const { policy } = await ctx.services.access.bucketAccess(bucket.name);
    if (policy === undefined) throw new S3Error('NoSuchBucketPolicy', { details: { BucketName: bucket.name } });
    return { status: 200, headers: { 'Content-Type': 'application/json' }, body: Buffer.from(policy, 'utf8') };
  },
};
