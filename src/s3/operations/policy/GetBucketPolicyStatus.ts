import { renderXml } from '../../../xml/codec.js';
import { s3Arn, type Operation } from '../Operation.js';
import { aclIsPublic, policyIsPublic } from './isPublic.js';

/**
 * GET /{Bucket}?policyStatus — `<PolicyStatus><IsPublic>…</IsPublic></PolicyStatus>`: whether the bucket policy (or,
 * as the ceph suite expects, the bucket ACL) makes the bucket public. A bucket without a policy answers false.
 */
export const GetBucketPolicyStatus: Operation<'bucket'> = {
  name: 'GetBucketPolicyStatus',
  route: { method: 'GET', target: 'bucket', query: ['policyStatus'] },
  actions: (request) => [{ action: 's3:GetBucketPolicyStatus', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const bucket = ctx.bucket;
    const { policy, acl } = await ctx.services.access.bucketAccess(bucket.name);
    const isPublic = policyIsPublic(policy) || aclIsPublic(acl);
    return { status: 200, body: renderXml('PolicyStatus', { IsPublic: isPublic ? 'true' : 'false' }) };
  },
};
