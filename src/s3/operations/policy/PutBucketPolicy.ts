import { S3Error } from '../../../errors/S3Error.js';
import { PolicyParseError, parsePolicy } from '../../../policy/engine/index.js';
import { s3Arn, type Operation } from '../Operation.js';
import { requireOwnerAccount } from './bucketOwner.js';

/** AWS: "bucket policies are limited to 20 KB in size". */
export const MAX_BUCKET_POLICY_BYTES = 20 * 1024;

/**
 * PUT /{Bucket}?policy — validate (MalformedPolicy naming the statement) and store the bucket policy; 204.
 * The policy is kept as sent, and GetBucketPolicy returns it so.
 */
export const PutBucketPolicy: Operation<'bucket'> = {
  name: 'PutBucketPolicy',
  route: { method: 'PUT', target: 'bucket', query: ['policy'] },
  actions: (request) => [{ action: 's3:PutBucketPolicy', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const bucket = requireOwnerAccount(ctx.bucket, ctx.principal);
    const body = await ctx.body.readAll(MAX_BUCKET_POLICY_BYTES + 1);
    if (body.length === 0) throw new S3Error('MissingRequestBodyError', { message: 'Request Body is empty' });
    if (body.length > MAX_BUCKET_POLICY_BYTES) throw new S3Error('MalformedPolicy', { message: 'Policies must be less than 20 KB' });
    const text = body.toString('utf8');
    try {
      parsePolicy(text, 'resource', { bucket: bucket.name });
    } catch (err) {
      if (err instanceof PolicyParseError) throw new S3Error('MalformedPolicy', { message: err.message });
      throw err;
    }
    if ((await ctx.services.access.setBucketPolicy(bucket.name, text)) === 'missing') {
      throw new S3Error('NoSuchBucket', { details: { BucketName: bucket.name } });
    }
    return { status: 204 };
  },
};
