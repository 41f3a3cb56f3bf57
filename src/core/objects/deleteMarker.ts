import type { NewObjectVersion } from './ObjectVersion.js';

/** A new delete marker: no bytes, no tags, the STANDARD class, as S3 reports markers. */
export function newDeleteMarker(at: {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
  readonly ownerAccountId: string;
  readonly lastModified: Date;
}): NewObjectVersion {
  return {
    bucket: at.bucket,
    key: at.key,
    versionId: at.versionId,
    isDeleteMarker: true,
    lastModified: at.lastModified,
    ownerAccountId: at.ownerAccountId,
    size: 0,
    etag: '',
    storageClass: 'STANDARD',
    contentHeaders: {},
    userMetadata: {},
    segments: [],
    tags: [],
  };
}
