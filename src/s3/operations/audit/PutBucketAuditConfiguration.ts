import { parseAuditConfiguration } from '../../../core/audit/validateAuditConfiguration.js';
import { S3Error } from '../../../errors/S3Error.js';
import { s3Arn, type Operation } from '../Operation.js';

const MAX_BODY_BYTES = 64 * 1024;

/**
 * Tessera's own (not an AWS operation): PUT /{Bucket}?tessera-audit with a JSON document — which of the bucket's
 * data events the audit log writes and whether with the object's tags (`tessera audit set`, docs/audit-log.md).
 * Needs s3:PutBucketLogging, the permission of S3's other request log.
 */
export const PutBucketAuditConfiguration: Operation<'bucket'> = {
  name: 'TesseraPutBucketAuditConfiguration',
  route: { method: 'PUT', target: 'bucket', query: ['tessera-audit'] },
  actions: (request) => [{ action: 's3:PutBucketLogging', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const body = await ctx.body.readAll(MAX_BODY_BYTES);
    if (body.length === 0) throw new S3Error('MissingRequestBodyError');
    await ctx.services.audit.put(ctx.bucket, parseAuditConfiguration(body));
    return { status: 200 };
  },
};
