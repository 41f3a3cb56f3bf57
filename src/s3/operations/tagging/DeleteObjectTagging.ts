import { versionIdHeader } from '../../../core/objects/versioning.js';
import { objectKey } from '../object/requestParams.js';
import { objectActions, type Operation } from '../Operation.js';
import { failedOutcome, taggedVersionId } from './taggedVersion.js';

/** DELETE /{Key+}?tagging[&versionId=…] — remove every tag of the latest or the named version; 204 with x-amz-version-id. */
export const DeleteObjectTagging: Operation<'object'> = {
  name: 'DeleteObjectTagging',
  route: { method: 'DELETE', target: 'object', query: ['tagging'] },
  actions: (request) => objectActions(request, 's3:DeleteObjectTagging', 's3:DeleteObjectVersionTagging'),
  async handle(ctx) {
    const bucket = ctx.bucket;
    const key = objectKey(ctx.request);
    const versionId = taggedVersionId(ctx.request, bucket);
    const outcome = await ctx.services.tags.deleteVersionTags(bucket.name, key, versionId);
    if (outcome.status !== 'ok') throw failedOutcome(outcome, bucket, versionId, 'DELETE', key);
    return { status: 204, headers: { 'x-amz-version-id': versionIdHeader(bucket.versioning, outcome.version.versionId) } };
  },
};
