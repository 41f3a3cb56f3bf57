import { S3Error } from '../../../errors/S3Error.js';
import type { ChecksumAlgorithm } from '../ObjectVersion.js';

export type ChecksumType = 'COMPOSITE' | 'FULL_OBJECT';

/** How an upload's object checksum is derived from its parts. */
export interface ChecksumMode {
  readonly algorithm: ChecksumAlgorithm;
  readonly type: ChecksumType;
}

/** Algorithms whose part CRCs combine into the CRC of the whole object (FULL_OBJECT is possible). */
function supportsFullObject(algorithm: ChecksumAlgorithm): boolean {
  return algorithm === 'CRC32' || algorithm === 'CRC32C' || algorithm === 'CRC64NVME';
}

/** Algorithms whose object checksum may be the checksum of the part checksums (COMPOSITE). */
function supportsComposite(algorithm: ChecksumAlgorithm): boolean {
  return algorithm !== 'CRC64NVME';
}

/**
 * The checksum mode of a new upload, following AWS's rules: SHA1/SHA256 are COMPOSITE only; CRC32/CRC32C are
 * COMPOSITE unless FULL_OBJECT is asked for; CRC64NVME is FULL_OBJECT only. A type without an algorithm, or a type the
 * algorithm does not support, is InvalidRequest (AWS's messages). No algorithm and no type → no checksum.
 */
export function resolveChecksumMode(
  algorithm: ChecksumAlgorithm | undefined,
  type: ChecksumType | undefined,
): ChecksumMode | undefined {
  if (algorithm === undefined) {
    if (type !== undefined) {
      throw new S3Error('InvalidRequest', { message: 'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.' });
    }
    return undefined;
  }
  const name = algorithm.toLowerCase();
  if (type === 'FULL_OBJECT' && !supportsFullObject(algorithm)) {
    throw new S3Error('InvalidRequest', { message: `The FULL_OBJECT checksum type cannot be used with the ${name} checksum algorithm.` });
  }
  if (type === 'COMPOSITE' && !supportsComposite(algorithm)) {
    throw new S3Error('InvalidRequest', { message: `The COMPOSITE checksum type cannot be used with the ${name} checksum algorithm.` });
  }
  return { algorithm, type: type ?? (supportsComposite(algorithm) ? 'COMPOSITE' : 'FULL_OBJECT') };
}
