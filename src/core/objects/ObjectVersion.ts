import type { AclGrant } from '../access/AccessControlList.js';
import type { Tag } from '../tags/Tag.js';

/** The id S3 uses for the version written while versioning is off or suspended. */
export const NULL_VERSION_ID = 'null';

export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'SHA1' | 'SHA256' | 'CRC64NVME';
export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'SHA1', 'SHA256', 'CRC64NVME'];

export interface ObjectChecksum {
  readonly algorithm: ChecksumAlgorithm;
  /** base64 of the digest; for COMPOSITE checksums of multipart objects it ends in `-<parts>`. */
  readonly value: string;
  readonly type: 'FULL_OBJECT' | 'COMPOSITE';
}

/** A piece of stored bytes. A simple object has one segment; a completed multipart upload has one per part. */
export interface BlobSegment {
  readonly blobId: string;
  readonly size: number;
  /**
   * The bytes live in the metadata store (small objects, see src/core/objects/inlineObjects.ts), not in the blob
   * store: read them with BlobLedger.readInlineBlob. Inline blobs are never staged, published or outboxed.
   */
  readonly inline?: true;
}

/** The HTTP content headers S3 stores with an object and returns on GET/HEAD. */
export interface ContentHeaders {
  readonly contentType?: string;
  readonly contentEncoding?: string;
  readonly contentDisposition?: string;
  readonly contentLanguage?: string;
  readonly cacheControl?: string;
  readonly expires?: string;
}

/** Everything about an object version except its tags (tags are rows of their own; see tagCount). */
export interface ObjectVersion {
  readonly bucket: string;
  readonly key: string;
  /** NULL_VERSION_ID for the null version. */
  readonly versionId: string;
  /** Monotonic write order within the store; newer versions have larger seq. */
  readonly seq: number;
  readonly isLatest: boolean;
  readonly isDeleteMarker: boolean;
  readonly lastModified: Date;
  readonly ownerAccountId: string;
  /** Object size in bytes (0 for delete markers). */
  readonly size: number;
  /** ETag without quotes: hex MD5, or `<hex>-<parts>` for multipart objects. */
  readonly etag: string;
  readonly storageClass: string;
  readonly contentHeaders: ContentHeaders;
  /** x-amz-meta-* user metadata, names lower-cased without the prefix. */
  readonly userMetadata: Readonly<Record<string, string>>;
  readonly checksum?: ObjectChecksum;
  readonly segments: readonly BlobSegment[];
  /** For multipart objects, the size of each part (for GET ?partNumber and PartsCount). */
  readonly partSizes?: readonly number[];
  readonly tagCount: number;
  /** x-amz-replication-status beyond PENDING: COMPLETED or FAILED at a source, REPLICA for a replica. */
  readonly replicationStatus?: string;
}

/** The fields a writer supplies for a new version; the store assigns seq and isLatest. */
export interface NewObjectVersion {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
  readonly isDeleteMarker: boolean;
  readonly lastModified: Date;
  readonly ownerAccountId: string;
  readonly size: number;
  readonly etag: string;
  readonly storageClass: string;
  readonly contentHeaders: ContentHeaders;
  readonly userMetadata: Readonly<Record<string, string>>;
  readonly checksum?: ObjectChecksum;
  readonly segments: readonly BlobSegment[];
  readonly partSizes?: readonly number[];
  readonly tags: readonly Tag[];
  /**
   * The ACL grants the write asked for (x-amz-acl, x-amz-grant-*, or a completed upload's); undefined: the default ACL
   * (owner FULL_CONTROL). The store writes them in the same transaction as the version and its tags.
   */
  readonly acl?: readonly AclGrant[];
  /** The bytes of the inline segments, by blob id; the store writes them in the same transaction as the version. */
  readonly inlineData?: ReadonlyMap<string, Buffer>;
  /**
   * The version is a replica written by bucket replication from another bucket (x-amz-replication-status: REPLICA);
   * the store records it in the same transaction, and replication never sends it on.
   */
  readonly replica?: true;
  /**
   * The S3 event type this write is, for the change feed (event notifications): `s3:ObjectCreated:Put` (the default
   * for a version), `…:Post`, `…:Copy`, `…:CompleteMultipartUpload`; `s3:ObjectRemoved:DeleteMarkerCreated` (the
   * default for a delete marker) or `s3:LifecycleExpiration:DeleteMarkerCreated`.
   */
  readonly event?: string;
}
