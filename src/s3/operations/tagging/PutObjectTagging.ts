import { versionIdHeader } from '../../../core/objects/versioning.js';
import type { Tag } from '../../../core/tags/Tag.js';
import { validateTagSet } from '../../../core/tags/TagSet.js';
import { objectKey } from '../object/requestParams.js';
import { objectActions, type Operation } from '../Operation.js';
import { failedOutcome, taggedVersionId } from './taggedVersion.js';
import { readTaggingBody } from './taggingBody.js';

/**
 * PUT /{Key+}?tagging[&versionId=…] — replace the tag set of the latest version, or of the named version, whole.
 * An empty TagSet removes every tag. Answers 200 with x-amz-version-id (in buckets that have had versioning).
 */
export const PutObjectTagging: Operation<'object', Tag[]> = {
  name: 'PutObjectTagging',
  route: { method: 'PUT', target: 'object', query: ['tagging'] },
  actions: (request) => objectActions(request, 's3:PutObjectTagging', 's3:PutObjectVersionTagging'),
  // the Tagging body is read before authorization: policies test its tags (s3:RequestObjectTag/…, RequestObjectTagKeys)
  async prepare(request, body) {
    const tags = await readTaggingBody({ request, body }, { checksumRequired: false });
    return { facts: { requestObjectTags: tags }, value: tags };
  },
  async handle(ctx) {
    const bucket = ctx.bucket;
    const key = objectKey(ctx.request);
    const versionId = taggedVersionId(ctx.request, bucket);
    const tags = validateTagSet(ctx.prepared, 'object');
    const outcome = await ctx.services.tags.replaceVersionTags(bucket.name, key, versionId, tags);
    if (outcome.status !== 'ok') throw failedOutcome(outcome, bucket, versionId, 'PUT', key);
    return { status: 200, headers: { 'x-amz-version-id': versionIdHeader(bucket.versioning, outcome.version.versionId) } };
  },
};
