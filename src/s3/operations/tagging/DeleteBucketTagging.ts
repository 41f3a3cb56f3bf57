import { S3Error } from '../../../errors/S3Error.js';
import { s3Arn, type Operation } from '../Operation.js';

/** DELETE /?tagging — remove the bucket's tag set (204, also when it had none). AWS authorizes it as s3:PutBucketTagging. */
export const DeleteBucketTagging: Operation<'bucket'> = {
  name: 'DeleteBucketTagging',
  route: { method: 'DELETE', target: 'bucket', query: ['tagging'] },
  actions: (request) => [{ action: 's3:PutBucketTagging', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const bucket = ctx.bucket;
    if ((await ctx.services.tags.deleteBucketTags(bucket.name)) === 'missing') {
      throw new S3Error('NoSuchBucket', { details: { BucketName: bucket.name } });
    }
    return { status: 204 };
  },
};
