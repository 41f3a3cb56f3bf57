import { header } from '../../../http/S3Request.js';
import { S3Error } from '../../../errors/S3Error.js';
import { aclFromHeaders, hasAclHeaders } from '../acl/requestedAcl.js';
import { parseCreateBucketConfiguration } from '../../xml/shapes/CreateBucketConfiguration.js';
import { s3Arn, type CreatesItsBucket } from '../Operation.js';

/** CreateBucketConfiguration is a few hundred bytes; 1 MiB leaves room for a full tag set and then some. */
const MAX_CONFIGURATION_BYTES = 1024 * 1024;

/**
 * PUT /{Bucket}: create a bucket owned by the caller's account. The optional CreateBucketConfiguration sets the
 * location constraint (checked against this server's region) and initial bucket tags. x-amz-acl, x-amz-grant-* and
 * x-amz-object-ownership are accepted and ignored until ACLs exist; Object Lock is refused (not supported yet)
 * rather than silently left off.
 */
export const CreateBucket: CreatesItsBucket = {
  name: 'CreateBucket',
  route: { method: 'PUT', target: 'bucket' },
  loadsBucket: false,
  actions: (request) => [
    { action: 's3:CreateBucket', resource: s3Arn(request.bucket ?? '') },
    // a bucket created with an ACL (x-amz-acl, x-amz-grant-*) also needs s3:PutBucketAcl, as AWS documents
    ...(hasAclHeaders(request) ? [{ action: 's3:PutBucketAcl', resource: s3Arn(request.bucket ?? '') }] : []),
  ],
  async handle(ctx) {
    const name = ctx.request.bucket ?? '';
    if (ctx.principal.kind !== 'user') throw new S3Error('AccessDenied');
    if (header(ctx.request, 'x-amz-bucket-object-lock-enabled')?.toLowerCase() === 'true') {
      throw new S3Error('NotImplemented', { message: 'Object Lock is not supported.' });
    }
    const configuration = parseCreateBucketConfiguration(await ctx.body.readAll(MAX_CONFIGURATION_BYTES));
    const acl = await aclFromHeaders(ctx.request, ctx.services.access, ctx.principal.accountId);
    await ctx.services.buckets.create({
      name,
      ownerAccountId: ctx.principal.accountId,
      locationConstraint: configuration.locationConstraint,
      ...(configuration.tags !== undefined ? { tags: configuration.tags } : {}),
    });
    // the ACL takes effect; re-creating one's own bucket (200 in us-east-1) resets its ACL, as AWS documents
    await ctx.services.access.setBucketAcl(name, acl);
    return { status: 200, headers: { Location: `/${name}` } };
  },
};
