import type { IncomingHttpHeaders } from 'node:http';
import { S3Error } from '../../errors/S3Error.js';

/**
 * S3 requires `host` and every x-amz-* header present in the request to be signed. A header that is not is
 * AccessDenied, naming the headers in <HeadersNotSigned>.
 */
export function checkHeadersSigned(headers: IncomingHttpHeaders, signedHeaders: readonly string[]): void {
  let missing: string[] | undefined;
  if (!isSigned(signedHeaders, 'host')) missing = ['host'];
  for (const name in headers) {
    // only x-amz-* names matter: skip the others on their first letter, without lower-casing them
    const first = name.charCodeAt(0);
    if ((first !== 0x78 && first !== 0x58) || !Object.hasOwn(headers, name)) continue;
    const lower = name.toLowerCase();
    if (lower.startsWith('x-amz-') && !isSigned(signedHeaders, lower)) (missing ??= []).push(lower);
  }
  if (missing !== undefined) {
    throw new S3Error('AccessDenied', { message: 'There were headers present in the request which were not signed', details: {
      HeadersNotSigned: missing.join(', '),
    } });
  }
}

/** Whether `lowerName` is among the signed headers (compared in lower case). */
function isSigned(signedHeaders: readonly string[], lowerName: string): boolean {
  for (const signed of signedHeaders) if (signed === lowerName || signed.toLowerCase() === lowerName) return true;
  return false;
}
