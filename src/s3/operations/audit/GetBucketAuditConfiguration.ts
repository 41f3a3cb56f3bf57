import { jsonResponse } from '../lifecycle/tessera/jsonResponse.js';
import { s3Arn, type Operation } from '../Operation.js';
import { auditConfigurationJson } from './auditConfigurationJson.js';

/** Tessera's own: GET /{Bucket}?tessera-audit — the bucket's audit configuration (404 NoSuchConfiguration when none). Needs s3:GetBucketLogging. */
export const GetBucketAuditConfiguration: Operation<'bucket'> = {
  name: 'TesseraGetBucketAuditConfiguration',
  route: { method: 'GET', target: 'bucket', query: ['tessera-audit'] },
  actions: (request) => [{ action: 's3:GetBucketLogging', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    return jsonResponse(auditConfigurationJson(await ctx.services.audit.get(ctx.bucket)));
  },
};
