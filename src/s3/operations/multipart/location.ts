import { header, type S3Request } from '../../../http/S3Request.js';

/** A key in a URL path: each `/`-separated segment percent-encoded (RFC 3986 unreserved characters kept). */
function encodeKeyPath(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (ch) => '%' + ch.charCodeAt(0).toString(16).toUpperCase()))
    .join('/');
}

/**
 * The URL of an object as the client addressed the server (CompleteMultipartUploadResult/Location): the request's
 * scheme and Host, then `/bucket/key` (path style) or `/key` (virtual-host style).
 */
export function objectLocation(request: S3Request, bucket: string, key: string): string {
  const scheme = request.secure ? 'https' : 'http';
  const host = header(request, 'host') ?? 'localhost';
  const path = request.addressing === 'virtual-host' ? `/${encodeKeyPath(key)}` : `/${encodeURIComponent(bucket)}/${encodeKeyPath(key)}`;
  return `${scheme}://${host}${path}`;
}
