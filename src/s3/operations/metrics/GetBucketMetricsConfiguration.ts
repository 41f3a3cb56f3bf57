import { renderMetricsConfiguration } from '../../xml/shapes/MetricsConfiguration.js';
import { s3Arn, type Operation } from '../Operation.js';

/** GET /{Bucket}?metrics&id=ID — the configuration as stored; 404 NoSuchConfiguration when the bucket has none of that id. */
export const GetBucketMetricsConfiguration: Operation<'bucket'> = {
  name: 'GetBucketMetricsConfiguration',
  route: { method: 'GET', target: 'bucket', query: ['metrics', 'id'] },
  actions: (request) => [{ action: 's3:GetMetricsConfiguration', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const configuration = await ctx.services.metrics.get(ctx.bucket, ctx.request.query.get('id'));
    return { status: 200, body: renderMetricsConfiguration(configuration) };
  },
};
