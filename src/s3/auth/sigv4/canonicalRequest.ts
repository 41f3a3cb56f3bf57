import { sha256Hex } from './crypto.js';
import { percentDecodeToBytes, uriEncodeBytes } from './uriEncode.js';

/**
 * The SigV4 canonical request, as S3 builds it:
 *
 *   Method \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n HashedPayload
 *
 * S3 neither normalises the path (no `.`/`..` removal, no slash merging) nor double-encodes it: each path segment's
 * decoded bytes are encoded once more per RFC 3986, so `/a%20b` and `/a b` both give `/a%20b`, and an encoded
 * slash (`%2F`) inside a segment stays encoded.
 */

/** The canonical URI of a raw request path (still percent-encoded, as sent). */
export function canonicalUri(rawPath: string): string {
  const path = rawPath === '' ? '/' : rawPath;
  return path
    .split('/')
    .map((segment) => uriEncodeBytes(percentDecodeToBytes(segment)))
    .join('/');
}

/** One query parameter as sent (still percent-encoded); a parameter without '=' has the value ''. */
export interface RawQueryParameter {
  readonly name: string;
  readonly value: string;
}

/** Splits a raw query string (without '?') into its parameters, keeping their encoding. Empty pieces are dropped. */
export function splitQuery(rawQuery: string): RawQueryParameter[] {
  const out: RawQueryParameter[] = [];
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    out.push(eq < 0 ? { name: piece, value: '' } : { name: piece.slice(0, eq), value: piece.slice(eq + 1) });
  }
  return out;
}

function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The canonical query string: every parameter's name and value re-encoded from their decoded bytes, sorted by
 * encoded name then encoded value, joined as `name=value&…`. `exclude` drops parameters by their decoded name
 * (X-Amz-Signature for presigned URLs).
 */
export function canonicalQuery(params: readonly RawQueryParameter[], exclude?: (decodedName: string) => boolean): string {
  const encoded: [string, string][] = [];
  for (const p of params) {
    const nameBytes = percentDecodeToBytes(p.name);
    if (exclude?.(nameBytes.toString('utf8')) === true) continue;
    encoded.push([uriEncodeBytes(nameBytes), uriEncodeBytes(percentDecodeToBytes(p.value))]);
  }
  encoded.sort((x, y) => compareAscii(x[0], y[0]) || compareAscii(x[1], y[1]));
  return encoded.map(([n, v]) => `${n}=${v}`).join('&');
}

/**
 * A header's canonical value: leading/trailing whitespace removed, runs of spaces/tabs (and line folds) collapsed
 * to one space. Repeated headers are joined with ','.
 */
export function canonicalHeaderValue(value: string | readonly string[] | undefined): string {
  if (value === undefined) return '';
  const values = typeof value === 'string' ? [value] : value;
  return values.map((v) => v.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').trim()).join(',');
}

/** Looks a header up by its lower-case name; repeated headers come back as arrays. */
export type HeaderLookup = (lowerCaseName: string) => string | readonly string[] | undefined;

export interface CanonicalRequestParts {
  readonly method: string;
  readonly rawPath: string;
  readonly query: readonly RawQueryParameter[];
  /** Excluded from the canonical query (by decoded name). */
  readonly excludeQuery?: (decodedName: string) => boolean;
  /** The SignedHeaders list exactly as the client sent it (names separated by ';'). */
  readonly signedHeaders: readonly string[];
  readonly header: HeaderLookup;
  readonly payloadHash: string;
}

export function canonicalRequest(parts: CanonicalRequestParts): string {
  const headerLines = parts.signedHeaders
    .map((name) => `${name.toLowerCase()}:${canonicalHeaderValue(parts.header(name.toLowerCase()))}\n`)
    .join('');
  return [
    parts.method,
    canonicalUri(parts.rawPath),
    canonicalQuery(parts.query, parts.excludeQuery),
    headerLines,
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
}

/** `AWS4-HMAC-SHA256 \n <x-amz-date> \n <scope> \n hex(sha256(canonical request))`. */
export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
}
