import { S3Error } from '../../../../errors/S3Error.js';
import { jsonResponse } from '../../lifecycle/tessera/jsonResponse.js';
import { s3Arn, type Operation } from '../../Operation.js';

/**
 * Tessera's own (not an AWS operation): GET /{Bucket}?tessera-notifications=dead-letters[&max=N] — the deliveries
 * given up on, newest first, with the event each carried (`tessera notifications dead-letters`). Needs
 * s3:GetBucketNotification.
 */
export const ListDeadLetters: Operation<'bucket'> = {
  name: 'TesseraListNotificationDeadLetters',
  route: { method: 'GET', target: 'bucket', queryValues: { 'tessera-notifications': 'dead-letters' } },
  actions: (request) => [{ action: 's3:GetBucketNotification', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const text = ctx.request.query.get('max') ?? '100';
    const max = /^\d{1,4}$/.test(text) ? Number(text) : 0;
    if (max < 1 || max > 1000) {
      throw new S3Error('InvalidArgument', { message: 'max must be a whole number from 1 to 1000', details: { ArgumentName: 'max', ArgumentValue: text } });
    }
    return jsonResponse(await ctx.services.notifications.deadLetters(ctx.bucket.name, max));
  },
};
