import { canonicalIdOf } from '../../../core/identity/canonicalId.js';
import { versionIdHeader } from '../../../core/objects/versioning.js';
import { renderAccessControlPolicy } from '../../xml/shapes/AccessControlPolicy.js';
import { objectKey } from '../object/requestParams.js';
import { objectActions, type Operation } from '../Operation.js';
import { failedOutcome, taggedVersionId } from '../tagging/taggedVersion.js';
import { defaultAcl } from './requestedAcl.js';

/** GET /{Key+}?acl[&versionId=…] — the ACL of the latest version or of the named one (the owner's FULL_CONTROL by default). */
export const GetObjectAcl: Operation<'object'> = {
  name: 'GetObjectAcl',
  route: { method: 'GET', target: 'object', query: ['acl'] },
  actions: (request) => objectActions(request, 's3:GetObjectAcl', 's3:GetObjectVersionAcl'),
  async handle(ctx) {
    const bucket = ctx.bucket;
    const key = objectKey(ctx.request);
    const versionId = taggedVersionId(ctx.request, bucket);
    const access = ctx.services.access;
    const found = await access.objectAcl(bucket.name, key, versionId);
    if (found === undefined) throw failedOutcome({ status: 'missing' }, bucket, versionId, 'GET', key);
    if (found.version.isDeleteMarker) throw failedOutcome({ status: 'delete-marker', version: found.version }, bucket, versionId, 'GET', key);
    const names = await access.displayNames();
    const ownerId = canonicalIdOf(found.version.ownerAccountId);
    return {
      status: 200,
      headers: { 'x-amz-version-id': versionIdHeader(bucket.versioning, found.version.versionId) },
      body: renderAccessControlPolicy(
        { id: ownerId, displayName: names(ownerId) ?? '' },
        found.acl ?? defaultAcl(found.version.ownerAccountId),
        names,
      ),
    };
  },
};
