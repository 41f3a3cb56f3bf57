import type {
  BlobSegment,
  ChecksumAlgorithm,
  ContentHeaders,
  NewObjectVersion,
  ObjectChecksum,
  ObjectVersion,
} from '../../../core/objects/ObjectVersion.js';
import { arrayToColumn, columnToObject, objectToColumn } from './json.js';

/** A row of `versions` as SELECTed by VERSION_COLUMNS. */
export interface VersionRow {
  readonly id: number;
  readonly bucket: string;
  readonly key: string;
  readonly seq: number;
  readonly version_id: string;
  readonly is_latest: number;
  readonly is_delete_marker: number;
  readonly last_modified: number;
  readonly owner_account_id: string;
  readonly size: number;
  readonly etag: string;
  readonly storage_class: string;
  readonly content_headers: string | null;
  readonly user_metadata: string | null;
  readonly checksum_algorithm: string | null;
  readonly checksum_value: string | null;
  readonly checksum_type: string | null;
  readonly segments: string;
  readonly part_sizes: string | null;
  readonly tag_count: number;
  readonly replication_status: string | null;
}

export const VERSION_COLUMNS =
  'id, bucket, key, seq, version_id, is_latest, is_delete_marker, last_modified, owner_account_id, size, etag, ' +
  'storage_class, content_headers, user_metadata, checksum_algorithm, checksum_value, checksum_type, segments, ' +
  'part_sizes, tag_count, replication_status';

/** Named parameters for writing a version row. */
export interface VersionInsertParams {
  seq: number;
  bucket: string;
  key: string;
  version_id: string;
  is_delete_marker: number;
  last_modified: number;
  owner_account_id: string;
  size: number;
  etag: string;
  storage_class: string;
  content_headers: string | null;
  user_metadata: string | null;
  checksum_algorithm: string | null;
  checksum_value: string | null;
  checksum_type: string | null;
  segments: string;
  part_sizes: string | null;
  tag_count: number;
  replication_status: string | null;
}

export function toInsertParams(version: NewObjectVersion, seq: number): VersionInsertParams {
  return {
    seq,
    bucket: version.bucket,
    key: version.key,
    version_id: version.versionId,
    is_delete_marker: version.isDeleteMarker ? 1 : 0,
    last_modified: version.lastModified.getTime(),
    owner_account_id: version.ownerAccountId,
    size: version.size,
    etag: version.etag,
    storage_class: version.storageClass,
    content_headers: objectToColumn(version.contentHeaders),
    user_metadata: objectToColumn(version.userMetadata),
    checksum_algorithm: version.checksum?.algorithm ?? null,
    checksum_value: version.checksum?.value ?? null,
    checksum_type: version.checksum?.type ?? null,
    segments: JSON.stringify(version.segments.map(plainSegment)),
    part_sizes: arrayToColumn(version.partSizes),
    tag_count: version.tags.length,
    replication_status: version.replica === true ? 'REPLICA' : null,
  };
}

/** A segment as stored: id, size and the inline flag only. */
function plainSegment(s: BlobSegment): BlobSegment {
  return s.inline === true ? { blobId: s.blobId, size: s.size, inline: true } : { blobId: s.blobId, size: s.size };
}

export function parseSegments(column: string): BlobSegment[] {
  return JSON.parse(column) as BlobSegment[];
}

export function toObjectVersion(row: VersionRow): ObjectVersion {
  const checksum = toChecksum(row);
  return {
    bucket: row.bucket,
    key: row.key,
    versionId: row.version_id,
    seq: row.seq,
    isLatest: row.is_latest === 1,
    isDeleteMarker: row.is_delete_marker === 1,
    lastModified: new Date(row.last_modified),
    ownerAccountId: row.owner_account_id,
    size: row.size,
    etag: row.etag,
    storageClass: row.storage_class,
    contentHeaders: columnToObject<ContentHeaders>(row.content_headers),
    userMetadata: columnToObject<Record<string, string>>(row.user_metadata),
    ...(checksum === undefined ? {} : { checksum }),
    segments: parseSegments(row.segments),
    ...(row.part_sizes === null ? {} : { partSizes: JSON.parse(row.part_sizes) as number[] }),
    tagCount: row.tag_count,
    ...(row.replication_status === null ? {} : { replicationStatus: row.replication_status }),
  };
}

/** The ObjectVersion a fresh insert produced, built from what the writer gave (no read back). */
export function insertedVersion(version: NewObjectVersion, seq: number): ObjectVersion {
  return {
    bucket: version.bucket,
    key: version.key,
    versionId: version.versionId,
    seq,
    isLatest: true,
    isDeleteMarker: version.isDeleteMarker,
    lastModified: new Date(version.lastModified.getTime()),
    ownerAccountId: version.ownerAccountId,
    size: version.size,
    etag: version.etag,
    storageClass: version.storageClass,
    contentHeaders: { ...version.contentHeaders },
    userMetadata: { ...version.userMetadata },
    ...(version.checksum === undefined ? {} : { checksum: { ...version.checksum } }),
    segments: version.segments.map(plainSegment),
    ...(version.partSizes === undefined ? {} : { partSizes: [...version.partSizes] }),
    tagCount: version.tags.length,
    ...(version.replica === true ? { replicationStatus: 'REPLICA' } : {}),
  };
}

function toChecksum(row: VersionRow): ObjectChecksum | undefined {
  if (row.checksum_algorithm === null || row.checksum_value === null) return undefined;
  return {
    algorithm: row.checksum_algorithm as ChecksumAlgorithm,
    value: row.checksum_value,
    type: row.checksum_type === 'COMPOSITE' ? 'COMPOSITE' : 'FULL_OBJECT',
  };
}
