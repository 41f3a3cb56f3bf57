import type { RequestTrace } from './RequestTrace.js';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { S3Error } from '../errors/S3Error.js';
import type { S3Request } from './S3Request.js';

export interface AddressingSettings {
  /** Base domain for virtual-host-style addressing (`<bucket>.<domain>`); undefined → path-style only. */
  readonly domain: string | undefined;
}

/** An S3-style request id: 16 upper-case hex characters. */
/** Request ids: a random per-process prefix and a counter (16 upper-case hex digits, unique within a process run). */
const REQUEST_ID_PREFIX = randomBytes(4).toString('hex').toUpperCase();
let requestCounter = 0;

export function newRequestId(): string {
  requestCounter = (requestCounter + 1) >>> 0;
  return REQUEST_ID_PREFIX + requestCounter.toString(16).toUpperCase().padStart(8, '0');
}

function decode(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    throw new S3Error('InvalidURI');
  }
}

/** Parse a raw query string: '+' stays a plus, a name without '=' has value '', the first value of a name wins. */
export function parseQuery(rawQuery: string): Map<string, string> {
  const out = new Map<string, string>();
  if (rawQuery === '') return out;
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decode(part.slice(eq + 1));
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

function hostWithoutPort(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

/** The bucket named by the Host header in virtual-host style, if any. Pure. */
export function bucketFromHost(host: string | undefined, domain: string | undefined): string | undefined {
  if (host === undefined || domain === undefined) return undefined;
  const name = hostWithoutPort(host).toLowerCase();
  const suffix = '.' + domain.toLowerCase();
  if (!name.endsWith(suffix)) return undefined;
  const bucket = name.slice(0, -suffix.length);
  return bucket === '' ? undefined : bucket;
}

/**
 * Split the request target into bucket and key. Path-style: `/{bucket}/{key}`; virtual-host style: the bucket
 * comes from the Host header and the whole path is the key. Keys are decoded but otherwise kept exactly
 * (`a//b`, `../x`, trailing slashes).
 */
export function addressOf(
  rawPath: string,
  hostBucket: string | undefined,
): { bucket?: string; key?: string; addressing: S3Request['addressing'] } {
  if (!rawPath.startsWith('/')) throw new S3Error('InvalidURI');
  if (hostBucket !== undefined) {
    const key = decode(rawPath.slice(1));
    return key === '' ? { bucket: hostBucket, addressing: 'virtual-host' } : { bucket: hostBucket, key, addressing: 'virtual-host' };
  }
  const rest = rawPath.slice(1);
  if (rest === '') return { addressing: 'path' };
  const slash = rest.indexOf('/');
  if (slash < 0) return { bucket: decode(rest), addressing: 'path' };
  const bucket = decode(rest.slice(0, slash));
  const key = decode(rest.slice(slash + 1));
  return key === '' ? { bucket, addressing: 'path' } : { bucket, key, addressing: 'path' };
}

export function parseRequest(
  stream: IncomingMessage,
  settings: AddressingSettings,
  id: string,
  secure: boolean,
  trace: RequestTrace,
): S3Request {
  const url = stream.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  const hostBucket = bucketFromHost(stream.headers.host, settings.domain);
  const address = addressOf(rawPath, hostBucket);
  return {
    id,
    method: (stream.method ?? 'GET').toUpperCase(),
    rawPath,
    rawQuery,
    query: parseQuery(rawQuery),
    headers: stream.headers,
    ...(address.bucket !== undefined ? { bucket: address.bucket } : {}),
    ...(address.key !== undefined ? { key: address.key } : {}),
    addressing: address.addressing,
    stream,
    remoteAddress: stream.socket.remoteAddress ?? '',
    secure,
    trace,
  };
}
