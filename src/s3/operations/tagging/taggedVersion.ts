import type { Bucket } from '../../../core/buckets/Bucket.js';
import { versionIdHeader } from '../../../core/objects/versioning.js';
import type { TaggedVersion } from '../../../core/ports/VersionStore.js';
import type { VersionTagsOutcome } from '../../../core/tags/TagService.js';
import type { S3Request } from '../../../http/S3Request.js';
import { S3Error } from '../../../errors/S3Error.js';
import { versionIdParam } from '../object/requestParams.js';

/** Request parsing and error mapping shared by PutObjectTagging, GetObjectTagging and DeleteObjectTagging. */

/** The `versionId` the request names, if any, checked as for every object operation (see versionIdParam). */
export function taggedVersionId(request: S3Request, bucket: Bucket): string | undefined {
  return versionIdParam(request, bucket);
}

/**
 * Turn a failed outcome into AWS's answer:
 * - missing key → 404 NoSuchKey; missing version → 404 NoSuchVersion;
 * - a delete marker (named by versionId, or the latest version) → 405 MethodNotAllowed with Method and
 *   ResourceType=DeleteMarker, and the headers `x-amz-delete-marker: true`, `x-amz-version-id`, `Allow: DELETE`.
 * `keyDetail` is what goes in <Key>: AWS puts "bucket/key" there for GetObjectTagging, the key elsewhere.
 */
export function failedOutcome(
  outcome: Exclude<VersionTagsOutcome<object, TaggedVersion>, { status: 'ok' }>,
  bucket: Bucket,
  versionId: string | undefined,
  method: 'GET' | 'PUT' | 'DELETE',
  keyDetail: string,
): S3Error {
  if (outcome.status === 'missing') {
    return versionId === undefined
      ? new S3Error('NoSuchKey', { details: { Key: keyDetail } })
      : new S3Error('NoSuchVersion', { details: { Key: keyDetail, VersionId: versionId } });
  }
  const headers: Record<string, string> = { 'x-amz-delete-marker': 'true', Allow: 'DELETE' };
  const id = versionIdHeader(bucket.versioning, outcome.version.versionId);
  if (id !== undefined) headers['x-amz-version-id'] = id;
  return new S3Error('MethodNotAllowed', { details: { Method: method, ResourceType: 'DeleteMarker' }, headers: headers });
}
