import { s3Arn, type Operation } from '../../Operation.js';
import { jsonResponse } from '../../lifecycle/tessera/jsonResponse.js';

/**
 * Tessera's own (not an AWS operation): GET /{Bucket}?tessera-replication=status — pending changes, the oldest one's
 * age, and delivery failures with their reasons (`tessera replication status`). Needs s3:GetReplicationConfiguration.
 */
export const ReplicationStatus: Operation<'bucket'> = {
  name: 'TesseraReplicationStatus',
  route: { method: 'GET', target: 'bucket', queryValues: { 'tessera-replication': 'status' } },
  actions: (request) => [{ action: 's3:GetReplicationConfiguration', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    return jsonResponse(await ctx.services.replication.backlog(ctx.bucket.name));
  },
};
