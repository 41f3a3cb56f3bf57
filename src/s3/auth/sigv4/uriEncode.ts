/**
 * Percent-encoding as SigV4 defines it (RFC 3986): every byte except the unreserved characters A–Z a–z 0–9 - . _ ~
 * becomes %XX with upper-case hex. Decoding works on bytes, so invalid UTF-8 and stray '%' survive a round trip.
 */

const HEX = '0123456789ABCDEF';

function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || byte === 0x2e || byte === 0x5f || byte === 0x7e // - . _ ~
  );
}

/** Encodes bytes; with `keepSlash` '/' stays as is (for paths). */
export function uriEncodeBytes(bytes: Uint8Array, keepSlash = false): string {
  let out = '';
  for (const byte of bytes) {
    if (isUnreserved(byte) || (keepSlash && byte === 0x2f)) out += String.fromCharCode(byte);
    else out += `%${HEX[byte >> 4] ?? ''}${HEX[byte & 15] ?? ''}`;
  }
  return out;
}

/** Encodes the UTF-8 bytes of a string. */
export function uriEncode(text: string, keepSlash = false): string {
  return uriEncodeBytes(Buffer.from(text, 'utf8'), keepSlash);
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/**
 * Decodes %XX sequences to bytes; other characters become their UTF-8 bytes. A '%' not followed by two hex digits
 * is kept literally. '+' is a literal plus (S3 does not decode it to a space).
 */
export function percentDecodeToBytes(text: string): Buffer {
  if (!text.includes('%')) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let plainStart = 0;
  let i = 0;
  while (i < text.length) {
    if (text.charCodeAt(i) === 0x25 && i + 2 < text.length) {
      const hi = hexValue(text.charCodeAt(i + 1));
      const lo = hexValue(text.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        if (i > plainStart) parts.push(Buffer.from(text.slice(plainStart, i), 'utf8'));
        parts.push(Buffer.of(hi * 16 + lo));
        i += 3;
        plainStart = i;
        continue;
      }
    }
    i++;
  }
  if (plainStart < text.length) parts.push(Buffer.from(text.slice(plainStart), 'utf8'));
  return Buffer.concat(parts);
}

/** Decodes to a string (invalid UTF-8 becomes U+FFFD); for reading parameter values, not for signing. */
export function percentDecode(text: string): string {
  return percentDecodeToBytes(text).toString('utf8');
}
