import { renderNotificationConfiguration } from '../../xml/shapes/NotificationConfiguration.js';
import { s3Arn, type Operation } from '../Operation.js';

/** GET /{Bucket}?notification — the configuration as stored (an empty one when the bucket has none, as AWS answers). */
export const GetBucketNotificationConfiguration: Operation<'bucket'> = {
  name: 'GetBucketNotificationConfiguration',
  route: { method: 'GET', target: 'bucket', query: ['notification'] },
  actions: (request) => [{ action: 's3:GetBucketNotification', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    return { status: 200, body: renderNotificationConfiguration(await ctx.services.notifications.getConfiguration(ctx.bucket)) };
  },
};
