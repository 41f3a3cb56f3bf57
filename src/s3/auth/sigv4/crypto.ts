import { createHmac, createSecretKey, hash, timingSafeEqual, type KeyObject } from 'node:crypto';

export function hmacSha256(key: Uint8Array | string, data: string | Uint8Array): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** Signing keys as KeyObjects, made once per key (an HMAC over a KeyObject starts faster than over raw bytes). */
const keyObjects = new WeakMap<Buffer, KeyObject>();

/**
 * The hex HMAC-SHA256 of `data` under a signing key that is never changed once made (SigningKeyCache's): the key is
 * turned into a KeyObject once and reused by every signature checked with it.
 */
export function signatureHex(signingKey: Buffer, data: string): string {
  let key = keyObjects.get(signingKey);
  if (key === undefined) {
    key = createSecretKey(signingKey);
    keyObjects.set(signingKey, key);
  }
  return createHmac('sha256', key).update(data).digest('hex');
}

/** Hex SHA-256 in one call (no Hash object: about half the time for the short texts SigV4 hashes). */
export function sha256Hex(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex');
}

/** SHA-256 of the empty string, the hashed payload of a bodiless request. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * Compares a computed hex signature with the one a client sent, in constant time (for equal lengths).
 * Hex letters are compared case-insensitively, as S3 does.
 */
export function signaturesEqual(computedHex: string, providedHex: string): boolean {
  if (computedHex.length === providedHex.length) {
    // ASCII (every well-formed signature): compared in place, letters folded to lower case, in constant time
    let diff = 0;
    let ascii = true;
    for (let i = 0; i < computedHex.length; i++) {
      const a = computedHex.charCodeAt(i);
      const b = providedHex.charCodeAt(i);
      if (a > 0x7f || b > 0x7f) {
        ascii = false;
        break;
      }
      diff |= lowerAscii(a) ^ lowerAscii(b);
    }
    if (ascii) return diff === 0;
  }
  const a = Buffer.from(computedHex.toLowerCase(), 'latin1');
  const b = Buffer.from(providedHex.toLowerCase(), 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}

function lowerAscii(code: number): number {
  return code >= 0x41 && code <= 0x5a ? code | 0x20 : code;
}

/** Bytes of a string as AWS prints them in StringToSignBytes / CanonicalRequestBytes: "47 45 54 0a …". */
export function spacedHexBytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex').replace(/(..)(?!$)/g, '$1 ');
}
