import { s3Arn, type Operation } from '../Operation.js';
import { requireOwnerAccount } from './bucketOwner.js';

/** DELETE /{Bucket}?policy — remove the bucket policy; 204 whether or not there was one (as AWS). */
export const DeleteBucketPolicy: Operation<'bucket'> = {
  name: 'DeleteBucketPolicy',
  route: { method: 'DELETE', target: 'bucket', query: ['policy'] },
  actions: (request) => [{ action: 's3:DeleteBucketPolicy', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const bucket = requireOwnerAccount(ctx.bucket, ctx.principal);
    await ctx.services.access.setBucketPolicy(bucket.name, undefined);
    return { status: 204 };
  },
};
