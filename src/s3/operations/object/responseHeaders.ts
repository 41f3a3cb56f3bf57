import type { Bucket } from '../../../core/buckets/Bucket.js';
import type { ObjectChecksum, ObjectVersion } from '../../../core/objects/ObjectVersion.js';
import { DEFAULT_CONTENT_TYPE, DEFAULT_STORAGE_CLASS, USER_METADATA_PREFIX } from '../../../core/objects/metadata.js';
import { versionIdHeader } from '../../../core/objects/versioning.js';

export type HeaderMap = Record<string, string | number | undefined>;

/** `"<etag>"`: S3 sends entity tags quoted. */
export function quoteEtag(etag: string): string {
  return `"${etag}"`;
}

/** `x-amz-checksum-<alg>` and `x-amz-checksum-type` for a stored checksum. */
export function checksumHeaders(checksum: ObjectChecksum | { algorithm: string; value: string; type?: string } | undefined): HeaderMap {
  if (checksum === undefined) return {};
  return {
    [`x-amz-checksum-${checksum.algorithm.toLowerCase()}`]: checksum.value,
    'x-amz-checksum-type': checksum.type ?? 'FULL_OBJECT',
  };
}

/**
 * The headers GET and HEAD return for a version (before range, part and response-* adjustments): content headers,
 * ETag, Last-Modified (RFC 7231 IMF-fixdate), x-amz-version-id in buckets that have had versioning, user metadata,
 * storage class (omitted for STANDARD), tag count (omitted for 0).
 */
export function objectHeaders(bucket: Bucket, version: ObjectVersion): HeaderMap {
  const h = version.contentHeaders;
  const headers: HeaderMap = {
    'Content-Type': h.contentType ?? DEFAULT_CONTENT_TYPE,
    'Content-Encoding': h.contentEncoding,
    'Content-Disposition': h.contentDisposition,
    'Content-Language': h.contentLanguage,
    'Cache-Control': h.cacheControl,
    Expires: h.expires,
    ETag: quoteEtag(version.etag),
    'Last-Modified': version.lastModified.toUTCString(),
    'Accept-Ranges': 'bytes',
    'x-amz-version-id': versionIdHeader(bucket.versioning, version.versionId),
    'x-amz-storage-class': version.storageClass === DEFAULT_STORAGE_CLASS ? undefined : version.storageClass,
    'x-amz-tagging-count': version.tagCount > 0 ? version.tagCount : undefined,
  };
  const metadata = version.userMetadata;
  for (const name in metadata) headers[USER_METADATA_PREFIX + name] = metadata[name];
  return headers;
}

/** response-* query parameters and the header each one overrides. */
export const RESPONSE_OVERRIDES: ReadonlyArray<readonly [string, string]> = [
  ['response-content-type', 'Content-Type'],
  ['response-content-language', 'Content-Language'],
  ['response-expires', 'Expires'],
  ['response-cache-control', 'Cache-Control'],
  ['response-content-disposition', 'Content-Disposition'],
  ['response-content-encoding', 'Content-Encoding'],
];
