import { jsonResponse } from '../../lifecycle/tessera/jsonResponse.js';
import { s3Arn, type Operation } from '../../Operation.js';

/**
 * Tessera's own (not an AWS operation): GET /{Bucket}?tessera-stats[&by-tag=KEY] — the bucket's storage figures
 * (objects, versions, delete markers and their bytes) and, with by-tag, its current objects by the values of one tag
 * key (`tessera stats`; docs/metrics.md, "Storage figures"). Needs s3:ListBucket: it tells what listing the bucket
 * would.
 */
export const StorageStats: Operation<'bucket'> = {
  name: 'TesseraStorageStats',
  route: { method: 'GET', target: 'bucket', query: ['tessera-stats'], optionalQuery: ['by-tag'] },
  actions: (request) => [{ action: 's3:ListBucket', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    return jsonResponse(await ctx.services.stats.report(ctx.bucket.name, ctx.request.query.get('by-tag')));
  },
};
