import { S3Error } from '../../../errors/S3Error.js';
import { isWellFormedVersionId } from '../versionIdFormat.js';
import type { ListingSource } from './ListingSource.js';
import type { VersionPosition } from './listVersionsPage.js';

/**
 * Turn ListObjectVersions' key-marker / version-id-marker into a listing position.
 * - no key-marker: from the start (a version-id-marker alone is 400 InvalidArgument, as AWS answers);
 * - key-marker alone: after every version of that key;
 * - both: after that version, i.e. the key's older versions come next.
 * Version ids are not ordered, so the marker version is looked up for its place in the stack. When it no longer
 * exists (typically: the client deleted the page it just listed), the listing resumes at the newest remaining
 * version of the key-marker, so nothing not yet listed is skipped.
 */
export async function versionMarkerPosition(
  source: ListingSource,
  bucket: string,
  keyMarker: string | undefined,
  versionIdMarker: string | undefined,
): Promise<VersionPosition | undefined> {
  const key = keyMarker === '' ? undefined : keyMarker;
  const versionId = versionIdMarker === '' ? undefined : versionIdMarker;
  if (versionId !== undefined) {
    if (key === undefined) {
      throw new S3Error('InvalidArgument', { message: 'A version-id marker cannot be specified without a key marker.', details: {
        ArgumentName: 'version-id-marker',
        ArgumentValue: versionId,
      } });
    }
    if (!isWellFormedVersionId(versionId)) {
      throw new S3Error('InvalidArgument', { message: 'Invalid version id specified', details: { ArgumentName: 'version-id-marker', ArgumentValue: versionId } });
    }
  }
  if (key === undefined) return undefined;
  if (versionId === undefined) return { key };
  const marker = await source.getVersion(bucket, key, versionId);
  return { key, afterSeq: marker?.seq ?? Number.MAX_SAFE_INTEGER };
}
