import { s3Arn, type Operation } from '../Operation.js';

/** Tessera's own: DELETE /{Bucket}?tessera-audit — back to every data event, without tags (204). Needs s3:PutBucketLogging. */
export const DeleteBucketAuditConfiguration: Operation<'bucket'> = {
  name: 'TesseraDeleteBucketAuditConfiguration',
  route: { method: 'DELETE', target: 'bucket', query: ['tessera-audit'] },
  actions: (request) => [{ action: 's3:PutBucketLogging', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    await ctx.services.audit.delete(ctx.bucket);
    return { status: 204 };
  },
};
