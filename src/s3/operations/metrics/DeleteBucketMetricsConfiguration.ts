import { s3Arn, type Operation } from '../Operation.js';

/**
 * DELETE /{Bucket}?metrics&id=ID — remove the configuration of that id (204); 404 NoSuchConfiguration when the bucket
 * has none. AWS authorizes it as s3:PutMetricsConfiguration.
 */
export const DeleteBucketMetricsConfiguration: Operation<'bucket'> = {
  name: 'DeleteBucketMetricsConfiguration',
  route: { method: 'DELETE', target: 'bucket', query: ['metrics'] },
  actions: (request) => [{ action: 's3:PutMetricsConfiguration', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    await ctx.services.metrics.delete(ctx.bucket, ctx.request.query.get('id'));
    return { status: 204 };
  },
};
