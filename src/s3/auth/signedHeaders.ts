import type { IncomingHttpHeaders } from 'node:http';
import { S3Error } from '../../errors/S3Error.js';

/**
 * S3 requires `host` and every x-amz-* header present in the request to be signed. A header that is not is
 * AccessDenied, naming the headers in <HeadersNotSigned>.
 */
export function checkHeadersSigned(headers: IncomingHttpHeaders, signedHeaders: readonly string[]): void {
  const signed = new Set(signedHeaders.map((h) => h.toLowerCase()));
  const missing: string[] = [];
  if (!signed.has('host')) missing.push('host');
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-amz-') && !signed.has(lower)) missing.push(lower);
  }
  if (missing.length > 0) {
    throw new S3Error('AccessDenied', { message: 'There were headers present in the request which were not signed', details: {
      HeadersNotSigned: missing.join(', '),
    } });
  }
}
