import type { Bucket } from '../../../core/buckets/Bucket.js';
import type { ObjectVersion } from '../../../core/objects/ObjectVersion.js';
import { versionIdHeader } from '../../../core/objects/versioning.js';
import type { ObjectService } from '../../../core/objects/ObjectService.js';
import { S3Error } from '../../../errors/S3Error.js';

/**
 * The version a GET/HEAD reads, with AWS's answers when there is none:
 * - no version id, key missing → 404 NoSuchKey;
 * - no version id, latest is a delete marker → 404 NoSuchKey with `x-amz-delete-marker: true` (and its version id);
 * - unknown version id → 404 NoSuchVersion;
 * - version id of a delete marker → 405 MethodNotAllowed with `x-amz-delete-marker: true`, `Allow: DELETE`,
 *   `Last-Modified` and the version id.
 */
export async function readableVersion(
  objects: Pick<ObjectService, 'getVersion'>,
  bucket: Bucket,
  key: string,
  versionId: string | undefined,
  method: string,
): Promise<ObjectVersion> {
  const version = await objects.getVersion(bucket.name, key, versionId);
  if (version === undefined) {
    if (versionId === undefined) throw new S3Error('NoSuchKey', { details: { Key: key } });
    throw new S3Error('NoSuchVersion', { details: { Key: key, VersionId: versionId } });
  }
  if (!version.isDeleteMarker) return version;
  const headers: Record<string, string> = { 'x-amz-delete-marker': 'true' };
  const id = versionIdHeader(bucket.versioning, version.versionId);
  if (id !== undefined) headers['x-amz-version-id'] = id;
  if (versionId === undefined) throw new S3Error('NoSuchKey', { details: { Key: key }, headers: headers });
  throw new S3Error(
    'MethodNotAllowed', { details: { Method: method, ResourceType: 'DeleteMarker' }, headers: { ...headers, Allow: 'DELETE', 'Last-Modified': version.lastModified.toUTCString() } }
  );
}
