import { parseTransitionMinimumSize } from '../../../core/lifecycle/transitionMinimumSize.js';
import { S3Error } from '../../../errors/S3Error.js';
import { header } from '../../../http/S3Request.js';
import { parseLifecycleConfiguration } from '../../xml/shapes/LifecycleConfiguration.js';
import { s3Arn, type Operation } from '../Operation.js';

/** 1,000 rules of the largest shape fit well within this. */
export const MAX_LIFECYCLE_BODY_BYTES = 4 * 1024 * 1024;

export const TRANSITION_MINIMUM_SIZE_HEADER = 'x-amz-transition-default-minimum-object-size';

/**
 * PUT /{Bucket}?lifecycle — replace the bucket's lifecycle configuration (Lifecycle V2 rules with `Filter`, or the
 * deprecated PutBucketLifecycle's V1 rules with a rule-level `Prefix`: the same request). A configuration S3 would
 * refuse changes nothing and answers S3's code and message (validateLifecycle). Like AWS, requires Content-MD5 or an
 * x-amz-checksum-* value. Answers 200 with x-amz-transition-default-minimum-object-size.
 */
export const PutBucketLifecycleConfiguration: Operation<'bucket'> = {
  name: 'PutBucketLifecycleConfiguration',
  route: { method: 'PUT', target: 'bucket', query: ['lifecycle'] },
  actions: (request) => [{ action: 's3:PutLifecycleConfiguration', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    if (header(ctx.request, 'content-md5') === undefined && ctx.body.checksumAlgorithm === undefined) {
      throw new S3Error('InvalidRequest', { message: 'Missing required header for this request: Content-MD5 OR x-amz-checksum-*' });
    }
    const minimumSize = parseTransitionMinimumSize(header(ctx.request, TRANSITION_MINIMUM_SIZE_HEADER));
    const body = await ctx.body.readAll(MAX_LIFECYCLE_BODY_BYTES);
    if (body.length === 0) throw new S3Error('MissingRequestBodyError');
    const stored = await ctx.services.lifecycle.putConfiguration(ctx.bucket, parseLifecycleConfiguration(body), minimumSize);
    return { status: 200, headers: { [TRANSITION_MINIMUM_SIZE_HEADER]: stored.transitionMinimumSize } };
  },
};
