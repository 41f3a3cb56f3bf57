import { s3Arn, type Operation } from '../Operation.js';

/**
 * DELETE /{Bucket}?replication — remove the configuration and stop replicating (204, also when there was none).
 * AWS authorizes it as s3:PutReplicationConfiguration.
 */
export const DeleteBucketReplication: Operation<'bucket'> = {
  name: 'DeleteBucketReplication',
  route: { method: 'DELETE', target: 'bucket', query: ['replication'] },
  actions: (request) => [{ action: 's3:PutReplicationConfiguration', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    await ctx.services.replication.deleteConfiguration(ctx.bucket);
    return { status: 204 };
  },
};
