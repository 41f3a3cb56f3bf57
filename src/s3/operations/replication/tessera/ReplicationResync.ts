import { S3Error } from '../../../../errors/S3Error.js';
import { s3Arn, type Operation } from '../../Operation.js';
import { jsonResponse } from '../../lifecycle/tessera/jsonResponse.js';

/**
 * Tessera's own (not an AWS operation): POST /{Bucket}?tessera-replication=resync — queue every existing version for
 * replication (`tessera replication resync`); what a destination already holds is not written again. Needs
 * s3:PutReplicationConfiguration; 404 ReplicationConfigurationNotFoundError when the bucket is not replicated.
 */
export const ReplicationResync: Operation<'bucket'> = {
  name: 'TesseraReplicationResync',
  route: { method: 'POST', target: 'bucket', queryValues: { 'tessera-replication': 'resync' } },
  actions: (request) => [{ action: 's3:PutReplicationConfiguration', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    if ((await ctx.services.replication.getConfiguration(ctx.bucket)) === undefined) {
      throw new S3Error('ReplicationConfigurationNotFoundError', { details: { BucketName: ctx.bucket.name } });
    }
    return jsonResponse({ bucket: ctx.bucket.name, queued: await ctx.services.replication.resync(ctx.bucket.name) });
  },
};
