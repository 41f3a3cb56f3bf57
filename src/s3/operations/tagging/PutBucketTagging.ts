import { validateTagSet } from '../../../core/tags/TagSet.js';
import { S3Error } from '../../../errors/S3Error.js';
import { s3Arn, type Operation } from '../Operation.js';
import { readTaggingBody } from './taggingBody.js';

/**
 * PUT /?tagging — replace the bucket's tag set (up to 50 tags); an empty TagSet removes it. Answers 204, as AWS does.
 * Like AWS, requires Content-MD5 or an x-amz-checksum-* value.
 */
export const PutBucketTagging: Operation<'bucket'> = {
  name: 'PutBucketTagging',
  route: { method: 'PUT', target: 'bucket', query: ['tagging'] },
  actions: (request) => [{ action: 's3:PutBucketTagging', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const bucket = ctx.bucket;
    const tags = validateTagSet(await readTaggingBody(ctx, { checksumRequired: true }), 'bucket');
    if ((await ctx.services.tags.replaceBucketTags(bucket.name, tags)) === 'missing') {
      throw new S3Error('NoSuchBucket', { details: { BucketName: bucket.name } });
    }
    return { status: 204 };
  },
};
