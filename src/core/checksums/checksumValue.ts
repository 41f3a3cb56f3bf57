import type { ChecksumAlgorithm } from '../objects/ObjectVersion.js';
import { CHECKSUM_SPECS } from './algorithms.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes a base64 digest strictly: canonical padded base64 of exactly `length` bytes, else undefined.
 * (Node's Buffer.from(…, 'base64') silently skips bad characters, so the shape is checked first.)
 */
export function decodeBase64Digest(value: string, length: number): Buffer | undefined {
  if (value.length === 0 || !BASE64.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== length) return undefined;
  return bytes;
}

/** The raw digest of a base64 checksum value of `algorithm`, or undefined when it is not one. */
export function decodeChecksumValue(algorithm: ChecksumAlgorithm, value: string): Buffer | undefined {
  return decodeBase64Digest(value, CHECKSUM_SPECS[algorithm].digestLength);
}
