import { createHash } from 'node:crypto';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { EMPTY_SHA256, SigV4Signer, UNSIGNED_PAYLOAD, canonicalQuery, uriEncode, type Credentials } from './SigV4Signer.js';

/** A non-2xx answer (or a transport failure) from the server under test. */
export class BenchRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BenchRequestError';
  }
}

export interface BenchResponse {
  readonly status: number;
  /** Body bytes received (counted, then dropped, unless `keepBody`). */
  readonly bytes: number;
  readonly headers: IncomingHttpHeaders;
  readonly body?: Buffer;
}

export interface BenchClientOptions {
  readonly region?: string;
  readonly maxSockets?: number;
}

/** A body to send, with what the signer and server need about it computed once. */
export interface PreparedBody {
  readonly data: Buffer;
  readonly length: string;
  readonly md5Base64: string;
  readonly sha256Hex: string;
}

export function prepareBody(data: Buffer): PreparedBody {
  return {
    data,
    length: String(data.length),
    md5Base64: createHash('md5').update(data).digest('base64'),
    sha256Hex: createHash('sha256').update(data).digest('hex'),
  };
}

/** One request the benchmark sends. */
export interface BenchRequest {
  readonly method: string;
  readonly bucket: string;
  readonly key?: string;
  /** A value-less sub-resource such as 'tagging'. */
  readonly subresource?: string;
  /** Query parameters with values (sent after the sub-resource). */
  readonly query?: readonly (readonly [string, string])[];
  /** Extra headers to sign (lower-case names). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: PreparedBody;
  /** Sign the body's SHA-256 instead of sending UNSIGNED-PAYLOAD. */
  readonly signPayload?: boolean;
  /** Keep the response body (otherwise it is counted and dropped). */
  readonly keepBody?: boolean;
}

const ERROR_BODY_LIMIT = 4096;

function errorCodeOf(body: string): string {
  return /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? '';
}

/**
 * A deliberately small S3 client for load generation: node:http with a keep-alive agent, SigV4 header signing with
 * a cached signing key, bodies sent as UNSIGNED-PAYLOAD (object data) or with their SHA-256 (small XML documents).
 * It knows only the requests the benchmark sends. Response bodies are counted and dropped.
 */
export class BenchClient {
  readonly agent: Agent;
  private readonly signer: SigV4Signer;
  private readonly host: string;
  private readonly hostname: string;
  private readonly port: number;

  constructor(endpoint: string, credentials: Credentials, options: BenchClientOptions = {}) {
    const url = new URL(endpoint);
    this.hostname = url.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(url.port || 80);
    this.host = url.host;
    this.agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 32 });
    this.signer = new SigV4Signer(credentials, options.region ?? 'us-east-1');
  }

  /** Send one signed request; resolves on a 2xx answer after reading its body, rejects with BenchRequestError otherwise. */
  send(r: BenchRequest): Promise<BenchResponse> {
    const { method, bucket, key, subresource, body } = r;
    const path = key === undefined ? `/${uriEncode(bucket, false)}` : `/${uriEncode(bucket, false)}/${uriEncode(key, true)}`;
    const params: [string, string][] = [...(subresource === undefined ? [] : [[subresource, ''] as [string, string]]), ...(r.query ?? []).map(([k, v]) => [k, v] as [string, string])];
    const query = params.length === 0 ? '' : canonicalQuery(params);
    const headers: Record<string, string> = { host: this.host, ...r.headers };
    const payloadHash = body === undefined ? EMPTY_SHA256 : r.signPayload === true ? body.sha256Hex : UNSIGNED_PAYLOAD;
    this.signer.sign(method, path, query, headers, payloadHash);
    if (body !== undefined) headers['content-length'] = body.length;
    const keepBody = r.keepBody === true;
    return new Promise<BenchResponse>((resolve, reject) => {
      const req = request(
        {
          agent: this.agent,
          hostname: this.hostname,
          port: this.port,
          method,
          path: query === '' ? path : `${path}?${query}`,
          headers,
          setHost: false,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          let bytes = 0;
          const chunks: Buffer[] = [];
          const collect = !ok || keepBody;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            if (collect && (keepBody || bytes <= ERROR_BODY_LIMIT)) chunks.push(chunk);
          });
          res.on('error', reject);
          res.on('end', () => {
            if (ok) {
              resolve(keepBody ? { status, bytes, headers: res.headers, body: Buffer.concat(chunks) } : { status, bytes, headers: res.headers });
              return;
            }
            const code = errorCodeOf(Buffer.concat(chunks).toString('utf8'));
            reject(new BenchRequestError(status, code, `${method} ${path}${query === '' ? '' : '?' + query}: HTTP ${status}${code === '' ? '' : ' ' + code}`));
          });
        },
      );
      req.on('error', (err) => reject(new BenchRequestError(0, 'TransportError', `${method} ${path}: ${err.message}`)));
      if (body === undefined) req.end();
      else req.end(body.data);
    });
  }

  /** PutBucketMetricsConfiguration (PUT /bucket?metrics&id=ID) with its XML document. */
  putMetricsConfiguration(bucket: string, id: string, document: PreparedBody): Promise<BenchResponse> {
    return this.send({ method: 'PUT', bucket, subresource: 'metrics', query: [['id', id]], body: document, signPayload: true });
  }

  createBucket(bucket: string): Promise<BenchResponse> {
    return this.send({ method: 'PUT', bucket });
  }

  /** PutObject with an UNSIGNED-PAYLOAD body (and Content-MD5 when asked). */
  putObject(bucket: string, key: string, body: PreparedBody, withMd5: boolean): Promise<BenchResponse> {
    return this.send({ method: 'PUT', bucket, key, body, ...(withMd5 ? { headers: { 'content-md5': body.md5Base64 } } : {}) });
  }

  getObject(bucket: string, key: string, keepBody = false): Promise<BenchResponse> {
    return this.send({ method: 'GET', bucket, key, keepBody });
  }

  headObject(bucket: string, key: string): Promise<BenchResponse> {
    return this.send({ method: 'HEAD', bucket, key });
  }

  /** PutObjectTagging: the Tagging XML with its SHA-256 signed, plus Content-MD5 (the operation wants an integrity header). */
  putObjectTagging(bucket: string, key: string, tagging: PreparedBody): Promise<BenchResponse> {
    return this.send({
      method: 'PUT',
      bucket,
      key,
      subresource: 'tagging',
      headers: { 'content-md5': tagging.md5Base64, 'content-type': 'application/xml' },
      body: tagging,
      signPayload: true,
    });
  }

  getObjectTagging(bucket: string, key: string, keepBody = false): Promise<BenchResponse> {
    return this.send({ method: 'GET', bucket, key, subresource: 'tagging', keepBody });
  }

  close(): void {
    this.agent.destroy();
  }
}
