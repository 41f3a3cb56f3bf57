import { s3Arn, type Operation } from '../Operation.js';

/** HEAD /{Bucket}: 200 with the bucket's region when it exists (the pipeline answers 404, without a body, when not). */
export const HeadBucket: Operation<'bucket'> = {
  name: 'HeadBucket',
  route: { method: 'HEAD', target: 'bucket' },
  actions: (request) => [{ action: 's3:ListBucket', resource: s3Arn(request.bucket ?? '') }],
  handle(ctx) {
    const region = ctx.bucket.region;
    return Promise.resolve({
      status: 200,
      headers: { 'x-amz-bucket-region': region, 'x-amz-access-point-alias': 'false' },
    });
  },
};
