import { versionIdHeader } from '../../../core/objects/versioning.js';
import { renderTagging } from '../../xml/shapes/Tagging.js';
import { objectKey } from '../object/requestParams.js';
import { objectActions, type Operation } from '../Operation.js';
import { failedOutcome, taggedVersionId } from './taggedVersion.js';

/**
 * GET /{Key+}?tagging[&versionId=…] — the tag set of the latest version, or of the named version, sorted by key
 * (an empty TagSet when it has none), with x-amz-version-id.
 */
export const GetObjectTagging: Operation<'object'> = {
  name: 'GetObjectTagging',
  route: { method: 'GET', target: 'object', query: ['tagging'] },
  actions: (request) => objectActions(request, 's3:GetObjectTagging', 's3:GetObjectVersionTagging'),
  async handle(ctx) {
    const bucket = ctx.bucket;
    const key = objectKey(ctx.request);
    const versionId = taggedVersionId(ctx.request, bucket);
    const outcome = await ctx.services.tags.getVersionTags(bucket.name, key, versionId);
    // AWS names the missing object "bucket/key" in GetObjectTagging's NoSuchKey (and only there)
    if (outcome.status !== 'ok') throw failedOutcome(outcome, bucket, versionId, 'GET', `${bucket.name}/${key}`);
    return {
      status: 200,
      headers: { 'x-amz-version-id': versionIdHeader(bucket.versioning, outcome.version.versionId) },
      body: renderTagging(outcome.tags),
    };
  },
};
