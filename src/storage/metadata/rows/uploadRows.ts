import type { MultipartUpload, UploadPart } from '../../../core/objects/MultipartUpload.js';
import type { ChecksumAlgorithm, ContentHeaders } from '../../../core/objects/ObjectVersion.js';
import type { Tag } from '../../../core/tags/Tag.js';
import { columnToObject, objectToColumn } from './json.js';

/** Row shapes, column lists and row→domain mappers of `uploads` and `parts`, shared by both backends. */
export interface UploadRow {
  readonly upload_id: string;
  readonly bucket: string;
  readonly key: string;
  readonly initiated: number;
  readonly owner_account_id: string;
  readonly initiator_arn: string;
  readonly storage_class: string;
  readonly content_headers: string | null;
  readonly user_metadata: string | null;
  readonly tags: string | null;
  readonly checksum_algorithm: string | null;
  readonly checksum_type: string | null;
}

export interface PartRow {
  readonly upload_id: string;
  readonly part_number: number;
  readonly size: number;
  readonly etag: string;
  readonly last_modified: number;
  readonly blob_id: string;
  readonly blob_size: number;
  readonly checksum: string | null;
}

export const UPLOAD_COLUMNS =
  'upload_id, bucket, key, initiated, owner_account_id, initiator_arn, storage_class, content_headers, ' +
  'user_metadata, tags, checksum_algorithm, checksum_type';
export const PART_COLUMNS = 'upload_id, part_number, size, etag, last_modified, blob_id, blob_size, checksum';

export function toUpload(row: UploadRow): MultipartUpload {
  return {
    uploadId: row.upload_id,
    bucket: row.bucket,
    key: row.key,
    initiated: new Date(row.initiated),
    ownerAccountId: row.owner_account_id,
    initiatorArn: row.initiator_arn,
    storageClass: row.storage_class,
    contentHeaders: columnToObject<ContentHeaders>(row.content_headers),
    userMetadata: columnToObject<Record<string, string>>(row.user_metadata),
    tags: row.tags === null ? [] : (JSON.parse(row.tags) as Tag[]),
    ...(row.checksum_algorithm === null ? {} : { checksumAlgorithm: row.checksum_algorithm as ChecksumAlgorithm }),
    ...(row.checksum_type === null ? {} : { checksumType: row.checksum_type as 'FULL_OBJECT' | 'COMPOSITE' }),
  };
}

export function toPart(row: PartRow): UploadPart {
  return {
    uploadId: row.upload_id,
    partNumber: row.part_number,
    size: row.size,
    etag: row.etag,
    lastModified: new Date(row.last_modified),
    segment: { blobId: row.blob_id, size: row.blob_size },
    ...(row.checksum === null ? {} : { checksum: row.checksum }),
  };
}

/** An upload's values as INSERT parameters, in the order of UPLOAD_COLUMNS. */
export function uploadParams(upload: MultipartUpload): unknown[] {
  return [
    upload.uploadId,
    upload.bucket,
    upload.key,
    upload.initiated.getTime(),
    upload.ownerAccountId,
    upload.initiatorArn,
    upload.storageClass,
    objectToColumn(upload.contentHeaders),
    objectToColumn(upload.userMetadata),
    upload.tags.length === 0 ? null : JSON.stringify(upload.tags.map((t) => ({ key: t.key, value: t.value }))),
    upload.checksumAlgorithm ?? null,
    upload.checksumType ?? null,
  ];
}

/** A part's values as INSERT parameters, in the order of PART_COLUMNS. */
export function partParams(part: UploadPart): unknown[] {
  return [
    part.uploadId,
    part.partNumber,
    part.size,
    part.etag,
    part.lastModified.getTime(),
    part.segment.blobId,
    part.segment.size,
    part.checksum ?? null,
  ];
}
