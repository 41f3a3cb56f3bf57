import type { ChecksumAlgorithm } from '../objects/ObjectVersion.js';
import { S3Error } from '../../errors/S3Error.js';
import { decodeChecksumValue } from './checksumValue.js';
import { createHasher } from './createHasher.js';

/**
 * The COMPOSITE checksum of a multipart object: the checksum (same algorithm) of the concatenated raw part
 * digests, base64, followed by `-<number of parts>`; e.g. `base64(sha256(d1 ‖ d2 ‖ d3))-3`.
 * `partChecksums` are the base64 checksums of the parts, in part order.
 */
export async function compositeChecksum(algorithm: ChecksumAlgorithm, partChecksums: readonly string[]): Promise<string> {
  const hasher = createHasher(algorithm);
  partChecksums.forEach((value, index) => {
    const raw = decodeChecksumValue(algorithm, value);
    if (raw === undefined) {
      throw new S3Error('InvalidRequest', { message: `The ${algorithm} checksum of part ${index + 1} is not valid: ${value}` });
    }
    hasher.update(raw);
  });
  return `${await hasher.digestBase64()}-${partChecksums.length}`;
}
