import type { Tag } from '../tags/Tag.js';
import type { BlobSegment, ChecksumAlgorithm, ContentHeaders } from './ObjectVersion.js';

export interface MultipartUpload {
  readonly uploadId: string;
  readonly bucket: string;
  readonly key: string;
  readonly initiated: Date;
  readonly ownerAccountId: string;
  /** The initiator's ARN (Initiator/ID in ListMultipartUploads). */
  readonly initiatorArn: string;
  readonly storageClass: string;
  readonly contentHeaders: ContentHeaders;
  readonly userMetadata: Readonly<Record<string, string>>;
  /** Tags from x-amz-tagging on CreateMultipartUpload, applied when the upload completes. */
  readonly tags: readonly Tag[];
  readonly checksumAlgorithm?: ChecksumAlgorithm;
  readonly checksumType?: 'FULL_OBJECT' | 'COMPOSITE';
}

export interface UploadPart {
  readonly uploadId: string;
  readonly partNumber: number;
  readonly size: number;
  /** hex MD5 without quotes */
  readonly etag: string;
  readonly lastModified: Date;
  readonly segment: BlobSegment;
  /** base64 checksum of the part in the upload's algorithm, if any. */
  readonly checksum?: string;
}
