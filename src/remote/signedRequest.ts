import type { Readable } from 'node:stream';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { formatAmzDate } from '../s3/auth/sigv4/amzDate.js';
import { canonicalRequest, splitQuery, stringToSign } from '../s3/auth/sigv4/canonicalRequest.js';
import { hmacSha256, sha256Hex } from '../s3/auth/sigv4/crypto.js';
import { deriveSigningKey } from '../s3/auth/sigv4/signingKey.js';

/** Connections are kept and reused: replication sends many small requests to the same remotes. */
const HTTP_AGENT = new HttpAgent({ keepAlive: true, maxSockets: 32 });
const HTTPS_AGENT = new HttpsAgent({ keepAlive: true, maxSockets: 32 });

export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface SignedRequest {
  readonly method: string;
  /** Path, already percent-encoded. */
  readonly path: string;
  /** Query string without '?', already encoded. */
  readonly query?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Bytes (signed), or a stream of a known length (sent as UNSIGNED-PAYLOAD, never buffered). */
  readonly body?: Buffer | { readonly stream: Readable; readonly length: number };
  /** Abort after this long without an answer (default 60 s). */
  readonly timeoutMs?: number;
  /** The service the request is signed for (default s3; iam for the IAM API on the same endpoint). */
  readonly service?: string;
  /** Connection pool to use instead of the shared one (a blob store keeps its own, sized for its reads). */
  readonly agent?: HttpAgent;
}

export interface SignedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/**
 * One SigV4-signed HTTP request (service s3, Authorization header, signed payload hash), built from the same
 * canonical-request code the server verifies with. For the `tessera` client commands and bucket replication's remote
 * writes.
 */
export async function sendSigned(
  endpoint: string,
  region: string,
  credentials: SigningCredentials,
  r: SignedRequest,
  now = new Date(),
): Promise<SignedResponse> {
  const res = await openSigned(endpoint, region, credentials, r, now);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('error', reject);
    res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    res.on('close', () => {
      if (!res.complete) reject(new Error(`${endpoint}: the connection closed mid-answer`));
    });
  });
}

/**
 * Like sendSigned, but resolves as soon as the response headers arrive, with the body still to be read (a blob
 * store streams GET answers through). The caller must consume or destroy the response.
 */
export function openSigned(
  endpoint: string,
  region: string,
  credentials: SigningCredentials,
  r: SignedRequest,
  now = new Date(),
): Promise<IncomingMessage> {
  const url = new URL(endpoint);
  const body = r.body ?? Buffer.alloc(0);
  const streamed = Buffer.isBuffer(body) ? undefined : body;
  const amzDate = formatAmzDate(now);
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    host: url.host,
    'x-amz-date': amzDate,
    'x-amz-content-sha256': streamed === undefined ? sha256Hex(body as Buffer) : 'UNSIGNED-PAYLOAD',
    ...(credentials.sessionToken !== undefined ? { 'x-amz-security-token': credentials.sessionToken } : {}),
    ...Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
  };
  const signedHeaders = Object.keys(headers).sort();
  const service = r.service ?? 's3';
  const scope = `${day}/${region}/${service}/aws4_request`;
  const canonical = canonicalRequest({
    method: r.method,
    rawPath: r.path,
    query: splitQuery(r.query ?? ''),
    signedHeaders,
    header: (name) => headers[name],
    payloadHash: headers['x-amz-content-sha256']!,
  });
  const signature = hmacSha256(deriveSigningKey(credentials.secretAccessKey, day, region, service), stringToSign(amzDate, scope, canonical)).toString('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  headers['content-length'] = String(streamed === undefined ? (body as Buffer).length : streamed.length);
  const https = url.protocol === 'https:';
  const send = https ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      {
        agent: r.agent ?? (https ? HTTPS_AGENT : HTTP_AGENT),
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port === '' ? undefined : Number(url.port),
        method: r.method,
        path: r.query !== undefined && r.query !== '' ? `${r.path}?${r.query}` : r.path,
        headers,
      },
      resolve,
    );
    req.on('error', reject);
    req.setTimeout(r.timeoutMs ?? 60_000, () => req.destroy(new Error(`no answer from ${endpoint} within ${r.timeoutMs ?? 60_000} ms`)));
    if (streamed === undefined) req.end(body as Buffer);
    else {
      streamed.stream.once('error', (err) => req.destroy(err));
      streamed.stream.pipe(req);
    }
  });
}
