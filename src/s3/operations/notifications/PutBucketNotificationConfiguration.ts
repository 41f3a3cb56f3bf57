import { S3Error } from '../../../errors/S3Error.js';
import { parseNotificationConfiguration } from '../../xml/shapes/NotificationConfiguration.js';
import { s3Arn, type Operation } from '../Operation.js';

const MAX_NOTIFICATION_BODY_BYTES = 1024 * 1024;

/**
 * PUT /{Bucket}?notification — replace the bucket's event notification configuration (an empty
 * `<NotificationConfiguration/>` removes it). Every destination ARN must name a registered target (`tessera targets
 * add`), and each receives s3:TestEvent before the configuration is stored, as on AWS. See docs/notifications.md.
 */
export const PutBucketNotificationConfiguration: Operation<'bucket'> = {
  name: 'PutBucketNotificationConfiguration',
  route: { method: 'PUT', target: 'bucket', query: ['notification'] },
  actions: (request) => [{ action: 's3:PutBucketNotification', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const body = await ctx.body.readAll(MAX_NOTIFICATION_BODY_BYTES);
    if (body.length === 0) throw new S3Error('MissingRequestBodyError');
    await ctx.services.notifications.putConfiguration(ctx.bucket, parseNotificationConfiguration(body), ctx.request.id);
    return { status: 200 };
  },
};
