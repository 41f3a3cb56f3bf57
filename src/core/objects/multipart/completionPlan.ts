import { S3Error } from '../../../errors/S3Error.js';
import type { MultipartUpload, UploadPart } from '../MultipartUpload.js';
import type { ChecksumAlgorithm } from '../ObjectVersion.js';
import { MIN_PART_SIZE } from './limits.js';
import { multipartEtag, unquoteEtag } from './multipartEtag.js';

/** One <Part> of a CompleteMultipartUpload request. */
export interface RequestedPart {
  readonly partNumber: number;
  /** As sent: quoted or not. */
  readonly etag: string;
  /** Part checksums the client listed (ChecksumCRC32 …), base64. */
  readonly checksums: Readonly<Partial<Record<ChecksumAlgorithm, string>>>;
}

/** What completing an upload will write: the listed parts, in order, and the object's size and ETag. */
export interface CompletionPlan {
  readonly parts: readonly UploadPart[];
  readonly size: number;
  /** `<hex>-<N>`, unquoted. */
  readonly etag: string;
  readonly partSizes: readonly number[];
}

/**
 * Check a CompleteMultipartUpload part list against the stored parts and plan the object. The checks run in three
 * passes over the whole list, so the first kind of problem wins (the list's shape, then the parts, then sizes):
 * - no parts → MalformedXML;
 * - a part number not greater than the previous one → InvalidPartOrder;
 * - a part that was not uploaded, or whose ETag differs → InvalidPart;
 *   a COMPOSITE-checksum upload whose listed part lacks its checksum → InvalidRequest; a listed part checksum that
 *   differs from the stored one → InvalidPart;
 * - a part other than the last smaller than `minPartSize` (5 MiB) → EntityTooSmall.
 * Within a pass the first offending part (in list order) is reported.
 */
export function planCompletion(
  upload: MultipartUpload,
  requested: readonly RequestedPart[],
  stored: ReadonlyMap<number, UploadPart>,
  minPartSize: number = MIN_PART_SIZE,
): CompletionPlan {
  if (requested.length === 0) throw new S3Error('MalformedXML');
  const detailsOf = (req: RequestedPart): Record<string, string> => ({
    UploadId: upload.uploadId,
    PartNumber: String(req.partNumber),
    ETag: unquoteEtag(req.etag),
  });

  let previous = 0;
  for (const req of requested) {
    if (req.partNumber <= previous) throw new S3Error('InvalidPartOrder', { details: detailsOf(req) });
    previous = req.partNumber;
  }

  const parts = requested.map((req) => {
    const part = stored.get(req.partNumber);
    if (part === undefined || part.etag.toLowerCase() !== unquoteEtag(req.etag).toLowerCase()) {
      throw new S3Error('InvalidPart', { details: detailsOf(req) });
    }
    checkPartChecksum(upload, req, part, detailsOf(req));
    return part;
  });

  parts.slice(0, -1).forEach((part) => {
    if (part.size < minPartSize) {
      throw new S3Error('EntityTooSmall', { message: 'Your proposed upload is smaller than the minimum allowed size', details: {
        ProposedSize: String(part.size),
        MinSizeAllowed: String(minPartSize),
        PartNumber: String(part.partNumber),
        ETag: part.etag,
      } });
    }
  });

  return {
    parts,
    size: parts.reduce((sum, p) => sum + p.size, 0),
    etag: multipartEtag(parts.map((p) => p.etag)),
    partSizes: parts.map((p) => p.size),
  };
}

function checkPartChecksum(
  upload: MultipartUpload,
  req: RequestedPart,
  part: UploadPart,
  details: Readonly<Record<string, string>>,
): void {
  const algorithm = upload.checksumAlgorithm;
  if (algorithm === undefined) return; // nothing to compare with: listed checksums are ignored
  const listed = req.checksums[algorithm];
  if (listed === undefined) {
    if (upload.checksumType === 'FULL_OBJECT') return; // optional for FULL_OBJECT uploads
    throw new S3Error(
      'InvalidRequest', { message: `The upload was created using a ${algorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${req.partNumber} in the request.` }
    );
  }
  if (part.checksum === undefined || part.checksum !== listed) throw new S3Error('InvalidPart', { details: details });
}
