import { s3Arn, type Operation } from '../Operation.js';

/**
 * DELETE /{Bucket}?lifecycle — remove the bucket's lifecycle configuration (204, also when it had none). AWS
 * authorizes it as s3:PutLifecycleConfiguration.
 */
export const DeleteBucketLifecycle: Operation<'bucket'> = {
  name: 'DeleteBucketLifecycle',
  route: { method: 'DELETE', target: 'bucket', query: ['lifecycle'] },
  actions: (request) => [{ action: 's3:PutLifecycleConfiguration', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    await ctx.services.lifecycle.deleteConfiguration(ctx.bucket);
    return { status: 204 };
  },
};
