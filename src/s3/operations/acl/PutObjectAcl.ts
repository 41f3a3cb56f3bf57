import { versionIdHeader } from '../../../core/objects/versioning.js';
import { objectKey } from '../object/requestParams.js';
import { objectActions, type Operation } from '../Operation.js';
import { failedOutcome, taggedVersionId } from '../tagging/taggedVersion.js';
import { requestedAcl } from './aclBody.js';

/** PUT /{Key+}?acl[&versionId=…] — replace the ACL of the latest version or of the named one. */
export const PutObjectAcl: Operation<'object'> = {
  name: 'PutObjectAcl',
  route: { method: 'PUT', target: 'object', query: ['acl'] },
  actions: (request) => objectActions(request, 's3:PutObjectAcl', 's3:PutObjectVersionAcl'),
  async handle(ctx) {
    const bucket = ctx.bucket;
    const key = objectKey(ctx.request);
    const versionId = taggedVersionId(ctx.request, bucket);
    const current = await ctx.services.objects.getVersion(bucket.name, key, versionId);
    if (current === undefined) throw failedOutcome({ status: 'missing' }, bucket, versionId, 'PUT', key);
    const grants = await requestedAcl(ctx, current.ownerAccountId, bucket.ownerAccountId);
    const outcome = await ctx.services.access.setObjectAcl(bucket.name, key, versionId ?? current.versionId, grants);
    if (outcome.status !== 'ok') throw failedOutcome(outcome, bucket, versionId, 'PUT', key);
    return { status: 200, headers: { 'x-amz-version-id': versionIdHeader(bucket.versioning, outcome.version.versionId) } };
  },
};
