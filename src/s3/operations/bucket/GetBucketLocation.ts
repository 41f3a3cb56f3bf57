import { renderLocationConstraint } from '../../xml/shapes/LocationConstraint.js';
import { s3Arn, type Operation } from '../Operation.js';

/** GET /{Bucket}?location: the bucket's region (an empty LocationConstraint for us-east-1). */
export const GetBucketLocation: Operation<'bucket'> = {
  name: 'GetBucketLocation',
  route: { method: 'GET', target: 'bucket', query: ['location'] },
  actions: (request) => [{ action: 's3:GetBucketLocation', resource: s3Arn(request.bucket ?? '') }],
  handle(ctx) {
    const region = ctx.bucket.region;
    return Promise.resolve({ status: 200, body: renderLocationConstraint(region) });
  },
};
