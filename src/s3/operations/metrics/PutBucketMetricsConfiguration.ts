import { S3Error } from '../../../errors/S3Error.js';
import { parseMetricsConfiguration } from '../../xml/shapes/MetricsConfiguration.js';
import { s3Arn, type Operation } from '../Operation.js';

const MAX_METRICS_BODY_BYTES = 64 * 1024;

/**
 * PUT /{Bucket}?metrics&id=ID — store the bucket's metrics configuration of that id, replacing one of the same id.
 * The body's Id must be the query's (MalformedXML otherwise); a new id on a bucket that has 1,000 is
 * TooManyConfigurations. Answers 200. See docs/metrics.md.
 */
export const PutBucketMetricsConfiguration: Operation<'bucket'> = {
  name: 'PutBucketMetricsConfiguration',
  route: { method: 'PUT', target: 'bucket', query: ['metrics'] },
  actions: (request) => [{ action: 's3:PutMetricsConfiguration', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const body = await ctx.body.readAll(MAX_METRICS_BODY_BYTES);
    if (body.length === 0) throw new S3Error('MissingRequestBodyError');
    await ctx.services.metrics.put(ctx.bucket, ctx.request.query.get('id'), parseMetricsConfiguration(body));
    return { status: 200 };
  },
};
