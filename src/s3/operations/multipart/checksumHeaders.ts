import type { IncomingHttpHeaders } from 'node:http';
import type { CompletionExpectations } from '../../../core/objects/MultipartService.js';
import type { ChecksumType } from '../../../core/objects/multipart/checksumMode.js';
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm } from '../../../core/objects/ObjectVersion.js';
import { CHECKSUM_ALGORITHM_LIST, CHECKSUM_SPECS, parseChecksumAlgorithm } from '../../../core/checksums/algorithms.js';
import { S3Error } from '../../../errors/S3Error.js';
import { header } from '../../../http/S3Request.js';

/** `x-amz-checksum-algorithm` of CreateMultipartUpload; an unknown name is InvalidRequest. */
export function checksumAlgorithmHeader(headers: IncomingHttpHeaders): ChecksumAlgorithm | undefined {
  const raw = header({ headers }, 'x-amz-checksum-algorithm');
  if (raw === undefined) return undefined;
  const alg = parseChecksumAlgorithm(raw);
  if (alg === undefined) {
    throw new S3Error(
      'InvalidRequest', { message: `Checksum algorithm provided is unsupported. Please try again with any of the valid types: ${CHECKSUM_ALGORITHM_LIST}` }
    );
  }
  return alg;
}

/** `x-amz-checksum-type`: COMPOSITE or FULL_OBJECT (case-insensitive), else InvalidRequest. */
export function checksumTypeHeader(headers: IncomingHttpHeaders): ChecksumType | undefined {
  const raw = header({ headers }, 'x-amz-checksum-type');
  if (raw === undefined) return undefined;
  const upper = raw.trim().toUpperCase();
  if (upper === 'COMPOSITE' || upper === 'FULL_OBJECT') return upper;
  throw new S3Error('InvalidRequest', { message: 'Value for x-amz-checksum-type header is invalid.' });
}

/**
 * What CompleteMultipartUpload's headers assert about the whole object: x-amz-checksum-<alg> (at most one),
 * x-amz-checksum-type and x-amz-mp-object-size.
 */
export function completionExpectations(headers: IncomingHttpHeaders): CompletionExpectations {
  const present = CHECKSUM_ALGORITHMS.filter((alg) => header({ headers }, CHECKSUM_SPECS[alg].headerName) !== undefined);
  if (present.length > 1) {
    throw new S3Error('InvalidRequest', { message: 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.' });
  }
  const algorithm = present[0];
  const type = checksumTypeHeader(headers);
  const sizeRaw = header({ headers }, 'x-amz-mp-object-size');
  let objectSize: number | undefined;
  if (sizeRaw !== undefined) {
    objectSize = /^\d+$/.test(sizeRaw.trim()) ? Number(sizeRaw.trim()) : Number.NaN;
    if (!Number.isSafeInteger(objectSize)) {
      throw new S3Error('InvalidRequest', { message: 'Value for x-amz-mp-object-size header is invalid.' });
    }
  }
  return {
    ...(algorithm !== undefined
      ? { checksum: { algorithm, value: (header({ headers }, CHECKSUM_SPECS[algorithm].headerName) ?? '').trim() } }
      : {}),
    ...(type !== undefined ? { checksumType: type } : {}),
    ...(objectSize !== undefined ? { objectSize } : {}),
  };
}
