import { Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeKeyPath } from '../../../remote/RemoteReplicationTarget.js';
import { openSigned, sendSigned, type SignedResponse, type SigningCredentials } from '../../../remote/signedRequest.js';

export interface S3BucketLocation {
  readonly bucket: string;
  /** http(s)://host[:port] of any S3 endpoint (path-style requests); undefined → AWS, virtual-host style. */
  readonly endpoint: string | undefined;
  readonly region: string;
  readonly credentials: SigningCredentials;
  /** Connections kept per store (reads hold one while their reader drains it). Default 128. */
  readonly maxSockets?: number;
}

export interface BucketRequest {
  readonly query?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer;
}

/** What a remote answered when it was not a success: the S3 error code (or `HTTP <status>`) and the status. */
export class S3RemoteError extends Error {
  /** `ENOENT` when the remote answered 404, the convention of the file system store for "absent". */
  readonly code: string;

  constructor(
    what: string,
    readonly status: number,
    readonly s3Code: string,
    detail: string,
  ) {
    super(`${what}: ${s3Code}${detail === '' ? '' : ` (${detail})`}`);
    this.name = 'S3RemoteError';
    this.code = status === 404 ? 'ENOENT' : s3Code;
  }

  static of(what: string, status: number, body: Buffer): S3RemoteError {
    const text = body.toString('utf8');
    const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? `HTTP ${status}`;
    return new S3RemoteError(what, status, code, /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? '');
  }
}

const ATTEMPTS = 4;
/** Answers worth another try: throttling and server-side trouble. */
const RETRYABLE = new Set([500, 502, 503, 504]);

/**
 * One bucket of an S3 endpoint, spoken to with the project's SigV4 client: path-style when an endpoint is given,
 * virtual-host style on AWS. Every request here is idempotent (a PUT of the same bytes to the same key, a DELETE, a
 * read), so a dropped connection or a 5xx is retried a few times before it surfaces.
 */
export class S3Bucket {
  private readonly base: string;
  private readonly pathPrefix: string;
  private readonly agent: HttpAgent;

  constructor(private readonly location: S3BucketLocation) {
    const maxSockets = location.maxSockets ?? 128;
    if (location.endpoint === undefined) {
      this.base = `https://${location.bucket}.s3.${location.region}.amazonaws.com`;
      this.pathPrefix = '';
    } else {
      this.base = location.endpoint;
      this.pathPrefix = `/${encodeURIComponent(location.bucket)}`;
    }
    const https = this.base.startsWith('https:');
    this.agent = https ? new HttpsAgent({ keepAlive: true, maxSockets }) : new HttpAgent({ keepAlive: true, maxSockets });
  }

  /** The value of x-amz-copy-source for a key of this bucket. */
  copySource(key: string): string {
    return `/${encodeURIComponent(this.location.bucket)}/${encodeKeyPath(key)}`;
  }

  /** A request to a key ('' for the bucket itself), its whole answer read. */
  async send(method: string, key: string, r: BucketRequest = {}): Promise<SignedResponse> {
    return this.retrying(async () => {
      const res = await sendSigned(this.base, this.location.region, this.location.credentials, this.request(method, key, r));
      if (RETRYABLE.has(res.status)) throw new RetryableAnswer(res);
      return res;
    }).catch((error: unknown) => {
      if (error instanceof RetryableAnswer) return error.res;
      throw error;
    });
  }

  /** Like send, but resolves with the answer's body unread (a GET to stream). Retries only until headers arrive. */
  async open(method: string, key: string, r: BucketRequest = {}): Promise<IncomingMessage> {
    return this.retrying(async () => {
      const res = await openSigned(this.base, this.location.region, this.location.credentials, this.request(method, key, r));
      if (RETRYABLE.has(res.statusCode ?? 0)) {
        res.resume();
        throw new Error(`${method} ${key}: HTTP ${res.statusCode ?? 0}`);
      }
      return res;
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private request(method: string, key: string, r: BucketRequest) {
    const path = key === '' ? this.pathPrefix || '/' : `${this.pathPrefix}/${encodeKeyPath(key)}`;
    return {
      method,
      path,
      agent: this.agent,
      ...(r.query === undefined ? {} : { query: r.query }),
      ...(r.headers === undefined ? {} : { headers: r.headers }),
      ...(r.body === undefined ? {} : { body: r.body }),
    };
  }

  private async retrying<T>(attempt: () => Promise<T>): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        if (n >= ATTEMPTS) throw error;
        await sleep(50 * 4 ** (n - 1));
      }
    }
  }
}

/** A 5xx answer: retried, and returned as it is when the tries run out. */
class RetryableAnswer extends Error {
  constructor(readonly res: SignedResponse) {
    super(`HTTP ${res.status}`);
  }
}

/** Throw the remote's error unless it answered 2xx. */
export function expectOk(res: SignedResponse, what: string): SignedResponse {
  if (res.status >= 200 && res.status < 300) return res;
  throw S3RemoteError.of(what, res.status, res.body);
}
