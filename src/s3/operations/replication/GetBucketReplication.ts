import { S3Error } from '../../../errors/S3Error.js';
import { renderReplicationConfiguration } from '../../xml/shapes/ReplicationConfiguration.js';
import { s3Arn, type Operation } from '../Operation.js';

/** GET /{Bucket}?replication — the configuration as stored; 404 ReplicationConfigurationNotFoundError when none. */
export const GetBucketReplication: Operation<'bucket'> = {
  name: 'GetBucketReplication',
  route: { method: 'GET', target: 'bucket', query: ['replication'] },
  actions: (request) => [{ action: 's3:GetReplicationConfiguration', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const configuration = await ctx.services.replication.getConfiguration(ctx.bucket);
    if (configuration === undefined) throw new S3Error('ReplicationConfigurationNotFoundError', { details: { BucketName: ctx.bucket.name } });
    return { status: 200, body: renderReplicationConfiguration(configuration) };
  },
};
