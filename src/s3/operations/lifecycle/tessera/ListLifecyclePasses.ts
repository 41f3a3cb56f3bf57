import { S3Error } from '../../../../errors/S3Error.js';
import { s3Arn, type Operation } from '../../Operation.js';
import { jsonResponse, TOOL_PARAM } from './jsonResponse.js';

/**
 * Tessera's own (not an AWS operation): GET /{Bucket}?tessera-lifecycle=passes[&max=N] — the bucket's lifecycle pass
 * records, newest first (default 20, at most 1000): when each evaluated, how far it got, and per rule the objects and
 * bytes acted on, with errors. Needs s3:GetLifecycleConfiguration.
 */
export const ListLifecyclePasses: Operation<'bucket'> = {
  name: 'TesseraListLifecyclePasses',
  route: { method: 'GET', target: 'bucket', queryValues: { [TOOL_PARAM]: 'passes' } },
  actions: (request) => [{ action: 's3:GetLifecycleConfiguration', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const text = ctx.request.query.get('max') ?? '20';
    const max = /^\d{1,4}$/.test(text) ? Number(text) : 0;
    if (max < 1 || max > 1000) {
      throw new S3Error('InvalidArgument', { message: 'max must be a whole number from 1 to 1000', details: { ArgumentName: 'max', ArgumentValue: text } });
    }
    return jsonResponse(await ctx.services.lifecycle.passRecords(ctx.bucket.name, max));
  },
};
