import { S3Error } from '../../../../errors/S3Error.js';
import { s3Arn, type Operation } from '../../Operation.js';
import { jsonResponse, TOOL_PARAM } from './jsonResponse.js';

const MAX_DAYS = 36_500;

/**
 * Tessera's own (not an AWS operation): GET /{Bucket}?tessera-lifecycle=preview[&days=N] — per rule, the objects and
 * bytes each action would touch in the next N lifecycle days (default 0: what is due now), changing nothing. Needs
 * s3:GetLifecycleConfiguration and s3:ListBucket.
 */
export const PreviewLifecycle: Operation<'bucket'> = {
  name: 'TesseraPreviewLifecycle',
  route: { method: 'GET', target: 'bucket', queryValues: { [TOOL_PARAM]: 'preview' } },
  actions: (request) => [
    { action: 's3:GetLifecycleConfiguration', resource: s3Arn(request.bucket ?? '') },
    { action: 's3:ListBucket', resource: s3Arn(request.bucket ?? '') },
  ],
  async handle(ctx) {
    const text = ctx.request.query.get('days') ?? '0';
    const days = /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN;
    if (!(days >= 0 && days <= MAX_DAYS)) {
      throw new S3Error('InvalidArgument', { message: `days must be a whole number from 0 to ${MAX_DAYS}`, details: { ArgumentName: 'days', ArgumentValue: text } });
    }
    return jsonResponse(await ctx.services.lifecycle.preview(ctx.bucket, days));
  },
};
