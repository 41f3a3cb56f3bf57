import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { RequestTrace } from './RequestTrace.js';

/**
 * An incoming request as the S3 layer sees it: addressing resolved (path-style or virtual-host style), nothing else
 * interpreted. Built once by http/parseRequest.ts and never mutated.
 */
export interface S3Request {
  /** x-amz-request-id of this request. */
  readonly id: string;
  readonly method: string;
  /** The path exactly as sent (still percent-encoded), used for the SigV4 canonical URI. */
  readonly rawPath: string;
  /** The query string exactly as sent, without '?'. */
  readonly rawQuery: string;
  /** Decoded query parameters ('+' is a literal plus; a parameter without '=' has value ''). First value wins. */
  readonly query: ReadonlyMap<string, string>;
  /** Header names lower-cased, as Node delivers them. */
  readonly headers: IncomingHttpHeaders;
  /** Bucket addressed (from the Host header in virtual-host style, else the first path segment). */
  readonly bucket?: string;
  /** Object key addressed, decoded; undefined when the request addresses a bucket or the service. */
  readonly key?: string;
  readonly addressing: 'path' | 'virtual-host';
  /** The raw body stream. Operations read the body through RequestBody, never from here. */
  readonly stream: IncomingMessage;
  readonly remoteAddress: string;
  readonly secure: boolean;
  /** What metrics and the audit log observe of this request (RequestTrace.ts); serving never reads it. */
  readonly trace: RequestTrace;
}

/** A single header value (the first, when repeated). */
export function header(req: Pick<S3Request, 'headers'>, name: string): string | undefined {
  const v = req.headers[name];
  if (Array.isArray(v)) return v[0];
  return v;
}
