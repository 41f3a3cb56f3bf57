import { S3Error } from '../../../errors/S3Error.js';
import { renderLifecycleConfiguration } from '../../xml/shapes/LifecycleConfiguration.js';
import { s3Arn, type Operation } from '../Operation.js';
import { TRANSITION_MINIMUM_SIZE_HEADER } from './PutBucketLifecycleConfiguration.js';

/**
 * GET /{Bucket}?lifecycle — the rules as stored, in order, with x-amz-transition-default-minimum-object-size; 404
 * NoSuchLifecycleConfiguration when the bucket has none.
 */
export const GetBucketLifecycleConfiguration: Operation<'bucket'> = {
  name: 'GetBucketLifecycleConfiguration',
  route: { method: 'GET', target: 'bucket', query: ['lifecycle'] },
  actions: (request) => [{ action: 's3:GetLifecycleConfiguration', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const stored = await ctx.services.lifecycle.getConfiguration(ctx.bucket);
    if (stored === undefined) throw new S3Error('NoSuchLifecycleConfiguration', { details: { BucketName: ctx.bucket.name } });
    return {
      status: 200,
      headers: { [TRANSITION_MINIMUM_SIZE_HEADER]: stored.transitionMinimumSize },
      body: renderLifecycleConfiguration(stored.configuration),
    };
  },
};
