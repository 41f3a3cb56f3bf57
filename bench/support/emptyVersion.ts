import { createHash } from 'node:crypto';
import type { NewObjectVersion } from '../../src/core/objects/ObjectVersion.js';

const EMPTY_ETAG = createHash('md5').digest('hex');

/** An empty object's null version, as the benchmarks seed buckets with (through the metadata store's putVersion). */
export function emptyVersion(
  bucket: string,
  key: string,
  ownerAccountId: string,
  options: { readonly lastModified?: Date; readonly tags?: readonly { key: string; value: string }[] } = {},
): NewObjectVersion {
  return {
    bucket,
    key,
    versionId: 'null',
    isDeleteMarker: false,
    lastModified: options.lastModified ?? new Date(),
    ownerAccountId,
    size: 0,
    etag: EMPTY_ETAG,
    storageClass: 'STANDARD',
    contentHeaders: {},
    userMetadata: {},
    segments: [],
    tags: options.tags ?? [],
  };
}
