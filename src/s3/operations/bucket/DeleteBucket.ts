import { s3Arn, type Operation } from '../Operation.js';

/** DELETE /{Bucket}: 204 once the bucket is gone; BucketNotEmpty while any version, delete marker or upload remains. */
export const DeleteBucket: Operation<'bucket'> = {
  name: 'DeleteBucket',
  route: { method: 'DELETE', target: 'bucket' },
  actions: (request) => [{ action: 's3:DeleteBucket', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    await ctx.services.buckets.delete(ctx.request.bucket ?? '');
    return { status: 204 };
  },
};
