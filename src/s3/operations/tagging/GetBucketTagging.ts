import { S3Error } from '../../../errors/S3Error.js';
import { renderTagging } from '../../xml/shapes/Tagging.js';
import { s3Arn, type Operation } from '../Operation.js';

/** GET /?tagging — the bucket's tag set sorted by key; 404 NoSuchTagSet when it has none. */
export const GetBucketTagging: Operation<'bucket'> = {
  name: 'GetBucketTagging',
  route: { method: 'GET', target: 'bucket', query: ['tagging'] },
  actions: (request) => [{ action: 's3:GetBucketTagging', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const bucket = ctx.bucket;
    const tags = await ctx.services.tags.getBucketTags(bucket.name);
    if (tags === undefined) throw new S3Error('NoSuchTagSet', { details: { BucketName: bucket.name } });
    return { status: 200, body: renderTagging(tags) };
  },
};
