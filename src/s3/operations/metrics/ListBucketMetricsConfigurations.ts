import { renderListMetricsConfigurationsResult } from '../../xml/shapes/MetricsConfiguration.js';
import { s3Arn, type Operation } from '../Operation.js';

/**
 * GET /{Bucket}?metrics (no id) — the bucket's configurations, up to 100 a page in id order; `continuation-token`
 * continues a truncated listing. AWS authorizes it as s3:GetMetricsConfiguration.
 */
export const ListBucketMetricsConfigurations: Operation<'bucket'> = {
  name: 'ListBucketMetricsConfigurations',
  route: { method: 'GET', target: 'bucket', query: ['metrics'] },
  actions: (request) => [{ action: 's3:GetMetricsConfiguration', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const page = await ctx.services.metrics.list(ctx.bucket, ctx.request.query.get('continuation-token'));
    return { status: 200, body: renderListMetricsConfigurationsResult(page) };
  },
};
