import type { IncomingHttpHeaders } from 'node:http';
import { header } from '../../../http/S3Request.js';

/** A single header value (the first, when repeated). */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  return header({ headers }, name);
}

/** A non-negative integer header (Content-Length, x-amz-decoded-content-length); undefined when absent. */
export function lengthHeader(headers: IncomingHttpHeaders, name: string): number | undefined | 'invalid' {
  const v = headerValue(headers, name);
  if (v === undefined) return undefined;
  const text = v.trim();
  if (!/^\d{1,16}$/.test(text)) return 'invalid';
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : 'invalid';
}
