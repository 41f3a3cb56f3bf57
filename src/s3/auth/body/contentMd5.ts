import type { IncomingHttpHeaders } from 'node:http';
import { S3Error } from '../../../errors/S3Error.js';
import { decodeBase64Digest } from '../../../core/checksums/checksumValue.js';
import { headerValue } from './headerValue.js';

/** The raw MD5 a client sent in Content-MD5 (base64 of 16 bytes), or undefined; anything else is InvalidDigest. */
export function parseContentMd5(headers: IncomingHttpHeaders): Buffer | undefined {
  const value = headerValue(headers, 'content-md5');
  if (value === undefined) return undefined;
  const raw = decodeBase64Digest(value.trim(), 16);
  if (raw === undefined) {
    throw new S3Error('InvalidDigest', { message: 'The Content-MD5 you specified was invalid.', details: { 'Content-MD5': value } });
  }
  return raw;
}
