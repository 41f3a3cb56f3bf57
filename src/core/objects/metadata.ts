import type { ContentHeaders } from './ObjectVersion.js';

/**
 * Rules for what S3 stores with an object besides its bytes: user metadata, content headers and storage class.
 */

/** AWS: "the user-defined metadata is limited to 2 KB in size", measured as the bytes of every name and value. */
export const MAX_USER_METADATA_BYTES = 2048;

export const USER_METADATA_PREFIX = 'x-amz-meta-';

/** Storage classes S3 accepts on PutObject/CopyObject/CreateMultipartUpload (x-amz-storage-class). */
export const STORAGE_CLASSES: readonly string[] = [
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'OUTPOSTS',
  'GLACIER_IR',
  'SNOW',
  'EXPRESS_ONEZONE',
];

export const DEFAULT_STORAGE_CLASS = 'STANDARD';
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

export function isStorageClass(value: string): boolean {
  return STORAGE_CLASSES.includes(value);
}

/**
 * Size of user metadata as S3 counts it: the bytes of each name (without the `x-amz-meta-` prefix) plus the bytes
 * of each value. Values are header strings as Node delivers them (one character per byte on the wire), so the
 * count is in wire bytes.
 */
export function userMetadataSize(metadata: Readonly<Record<string, string>>): number {
  let total = 0;
  for (const [name, value] of Object.entries(metadata)) total += Buffer.byteLength(name, 'latin1') + Buffer.byteLength(value, 'latin1');
  return total;
}

/**
 * User metadata from request headers: every `x-amz-meta-<name>` header (names are already lower-case), with the
 * prefix removed. Repeated headers arrive joined with ", " by Node. A header with an empty name is ignored.
 */
export function userMetadataFromHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers)) {
    if (!name.startsWith(USER_METADATA_PREFIX) || raw === undefined) continue;
    const key = name.slice(USER_METADATA_PREFIX.length);
    if (key === '') continue;
    out[key] = Array.isArray(raw) ? raw.join(',') : raw;
  }
  return out;
}

/**
 * The Content-Encoding to store: the request's value without `aws-chunked` (which only describes the transfer);
 * undefined when nothing else is left.
 */
export function storedContentEncoding(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const codings = value
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '' && c.toLowerCase() !== 'aws-chunked');
  return codings.length === 0 ? undefined : codings.join(', ');
}

/** The content headers of a write, from request headers (Content-Type defaults to binary/octet-stream). */
export function contentHeadersFromRequest(get: (name: string) => string | undefined): ContentHeaders {
  const encoding = storedContentEncoding(get('content-encoding'));
  const fields: Array<[keyof ContentHeaders, string | undefined]> = [
    ['contentType', get('content-type') ?? DEFAULT_CONTENT_TYPE],
    ['contentEncoding', encoding],
    ['contentDisposition', get('content-disposition')],
    ['contentLanguage', get('content-language')],
    ['cacheControl', get('cache-control')],
    ['expires', get('expires')],
  ];
  const out: Partial<Record<keyof ContentHeaders, string>> = {};
  for (const [name, value] of fields) if (value !== undefined) out[name] = value;
  return out;
}
