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
  // a path of unreserved characters and slashes is its own canonical form (decoding and encoding change nothing)
  if (isUnreservedText(path, true)) return path;
  return path
    .split('/')
    .map((segment) => uriEncodeBytes(percentDecodeToBytes(segment)))
    .join('/');
}

/**
 * Whether `text` holds only RFC 3986 unreserved characters (A–Z a–z 0–9 - . _ ~), and '/' with `slash`: then
 * percent-decoding and re-encoding it gives it back unchanged, and the canonical forms can skip that work.
 */
function isUnreservedText(text: string, slash: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) continue;
    if (c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e || (slash && c === 0x2f)) continue;
    return false;
  }
  return true;
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
    // unreserved text is its own decoded and encoded form
    if (isUnreservedText(p.name, false) && isUnreservedText(p.value, false)) {
      if (exclude?.(p.name) !== true) encoded.push([p.name, p.value]);
      continue;
    }
    const nameBytes = percentDecodeToBytes(p.name);
    if (exclude?.(nameBytes.toString('utf8')) === true) continue;
    encoded.push([uriEncodeBytes(nameBytes), uriEncodeBytes(percentDecodeToBytes(p.value))]);
  }
  if (encoded.length > 1) encoded.sort((x, y) => compareAscii(x[0], y[0]) || compareAscii(x[1], y[1]));
  let out = '';
  for (let i = 0; i < encoded.length; i++) {
    const [name, value] = encoded[i] as [string, string];
    out += i === 0 ? `${name}=${value}` : `&${name}=${value}`;
  }
  return out;
}

/**
 * A header's canonical value: leading/trailing whitespace removed, runs of spaces/tabs (and line folds) collapsed
 * to one space. Repeated headers are joined with ','.
 */
export function canonicalHeaderValue(value: string | readonly string[] | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string' && isCanonicalText(value)) return value;
  const values = typeof value === 'string' ? [value] : value;
  return values.map((v) => v.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').trim()).join(',');
}

/**
 * Whether a single header value is already canonical: no CR, LF or tab, no two spaces in a row, and printable ASCII
 * (not whitespace) at both ends, so that trimming and collapsing would change nothing.
 */
function isCanonicalText(value: string): boolean {
  const last = value.length - 1;
  if (last < 0) return true;
  const first = value.charCodeAt(0);
  const end = value.charCodeAt(last);
  if (first <= 0x20 || first >= 0x7f || end <= 0x20 || end >= 0x7f) return false;
  for (let i = 1; i < last; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x0a || c === 0x0d || c === 0x09 || (c === 0x20 && value.charCodeAt(i + 1) === 0x20)) return false;
  }
  return true;
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
  // one string built in place: no array per header, no joined lists (this runs on every signed request)
  let headerLines = '';
  let signedList = '';
  const signed = parts.signedHeaders;
  for (let i = 0; i < signed.length; i++) {
    const name = signed[i] as string;
    const lower = name.toLowerCase();
    headerLines += `${lower}:${canonicalHeaderValue(parts.header(lower))}\n`;
    signedList += i === 0 ? name : `;${name}`;
  }
  return `${parts.method}\n${canonicalUri(parts.rawPath)}\n${canonicalQuery(parts.query, parts.excludeQuery)}\n${headerLines}\n${signedList}\n${parts.payloadHash}`;
}

/** `AWS4-HMAC-SHA256 \n <x-amz-date> \n <scope> \n hex(sha256(canonical request))`. */
export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}
