import { S3Error } from '../../../errors/S3Error.js';
import { s3Arn, type Operation } from '../Operation.js';
import { requestedAcl } from './aclBody.js';

/** PUT /{Bucket}?acl — replace the bucket's ACL: x-amz-acl, x-amz-grant-* headers, or an AccessControlPolicy body. */
export const PutBucketAcl: Operation<'bucket'> = {
  name: 'PutBucketAcl',
  route: { method: 'PUT', target: 'bucket', query: ['acl'] },
  actions: (request) => [{ action: 's3:PutBucketAcl', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const bucket = ctx.bucket;
    const grants = await requestedAcl(ctx, bucket.ownerAccountId, bucket.ownerAccountId);
    if ((await ctx.services.access.setBucketAcl(bucket.name, grants)) === 'missing') {
      throw new S3Error('NoSuchBucket', { details: { BucketName: bucket.name } });
    }
    return { status: 200 };
  },
};
