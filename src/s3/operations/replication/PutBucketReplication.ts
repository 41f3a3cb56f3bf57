import { S3Error } from '../../../errors/S3Error.js';
import { header } from '../../../http/S3Request.js';
import { parseReplicationConfiguration } from '../../xml/shapes/ReplicationConfiguration.js';
import { s3Arn, type Operation } from '../Operation.js';

const MAX_REPLICATION_BODY_BYTES = 4 * 1024 * 1024;

/**
 * PUT /{Bucket}?replication — store the bucket's replication configuration (AWS's V2 schema, and the V1 rules with a
 * rule-level Prefix). The bucket must have versioning Enabled (InvalidRequest otherwise). Like AWS, requires
 * Content-MD5 or an x-amz-checksum-* value. Answers 200. See docs/replication.md.
 */
export const PutBucketReplication: Operation<'bucket'> = {
  name: 'PutBucketReplication',
  route: { method: 'PUT', target: 'bucket', query: ['replication'] },
  actions: (request) => [{ action: 's3:PutReplicationConfiguration', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    if (header(ctx.request, 'content-md5') === undefined && ctx.body.checksumAlgorithm === undefined) {
      throw new S3Error('InvalidRequest', { message: 'Missing required header for this request: Content-MD5 OR x-amz-checksum-*' });
    }
    const body = await ctx.body.readAll(MAX_REPLICATION_BODY_BYTES);
    if (body.length === 0) throw new S3Error('MissingRequestBodyError');
    await ctx.services.replication.putConfiguration(ctx.bucket, parseReplicationConfiguration(body));
    return { status: 200 };
  },
};
