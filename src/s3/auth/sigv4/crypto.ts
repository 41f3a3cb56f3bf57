import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export function hmacSha256(key: Uint8Array | string, data: string | Uint8Array): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-256 of the empty string, the hashed payload of a bodiless request. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * Compares a computed hex signature with the one a client sent, in constant time (for equal lengths).
 * Hex letters are compared case-insensitively, as S3 does.
 */
export function signaturesEqual(computedHex: string, providedHex: string): boolean {
  const a = Buffer.from(computedHex.toLowerCase(), 'latin1');
  const b = Buffer.from(providedHex.toLowerCase(), 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Bytes of a string as AWS prints them in StringToSignBytes / CanonicalRequestBytes: "47 45 54 0a …". */
export function spacedHexBytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex').replace(/(..)(?!$)/g, '$1 ');
}
