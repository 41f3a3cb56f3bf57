import { canonicalIdOf } from '../../../core/identity/canonicalId.js';
import { renderAccessControlPolicy } from '../../xml/shapes/AccessControlPolicy.js';
import { s3Arn, type Operation } from '../Operation.js';
import { defaultAcl } from './requestedAcl.js';

/** GET /{Bucket}?acl — the bucket's ACL (the owner's FULL_CONTROL when none was set). */
export const GetBucketAcl: Operation<'bucket'> = {
  name: 'GetBucketAcl',
  route: { method: 'GET', target: 'bucket', query: ['acl'] },
  actions: (request) => [{ action: 's3:GetBucketAcl', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const bucket = ctx.bucket;
    const access = ctx.services.access;
    const { acl } = await access.bucketAccess(bucket.name);
    const names = await access.displayNames();
    const ownerId = canonicalIdOf(bucket.ownerAccountId);
    return {
      status: 200,
      body: renderAccessControlPolicy({ id: ownerId, displayName: names(ownerId) ?? '' }, acl ?? defaultAcl(bucket.ownerAccountId), names),
    };
  },
};
