import { createHash, createHmac } from 'node:crypto';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** x-amz-content-sha256 for a body the signature does not cover. */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** SHA-256 of the empty string: the payload hash of a request without a body. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** RFC 3986 encoding as SigV4 wants it; '/' is kept when `keepSlash` (object keys in the path). */
export function uriEncode(value: string, keepSlash: boolean): string {
  const encoded = encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return keepSlash ? encoded.replace(/%2F/g, '/') : encoded;
}

/** The canonical query string: encoded names and values, sorted by name then value; `tagging` becomes `tagging=`. */
export function canonicalQuery(params: ReadonlyArray<readonly [string, string]>): string {
  return params
    .map(([name, value]) => [uriEncode(name, false), uriEncode(value, false)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** 20130524T000000Z */
export function amzDateOf(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * A minimal AWS Signature Version 4 header signer (SigV4 with the Authorization header). It caches the signing key
 * per day and the x-amz-date per second, so a signature costs one SHA-256 and one HMAC.
 */
export class SigV4Signer {
  private keyDay = '';
  private signingKey: Buffer = Buffer.alloc(0);
  private dateSecond = -1;
  private amzDate = '';

  constructor(
    private readonly credentials: Credentials,
    private readonly region: string,
    private readonly service = 's3',
    private readonly now: () => number = Date.now,
  ) {}

  private key(day: string): Buffer {
    if (day !== this.keyDay) {
      const kDate = createHmac('sha256', `AWS4${this.credentials.secretAccessKey}`).update(day).digest();
      const kRegion = createHmac('sha256', kDate).update(this.region).digest();
      const kService = createHmac('sha256', kRegion).update(this.service).digest();
      this.signingKey = createHmac('sha256', kService).update('aws4_request').digest();
      this.keyDay = day;
    }
    return this.signingKey;
  }

  private date(): string {
    const ms = this.now();
    const second = Math.floor(ms / 1000);
    if (second !== this.dateSecond) {
      this.amzDate = amzDateOf(ms);
      this.dateSecond = second;
    }
    return this.amzDate;
  }

  /**
   * Sign a request. `headers` holds every header to sign (lower-case names, `host` included); this adds
   * `x-amz-date`, `x-amz-content-sha256` and `authorization` to it and returns it.
   * `canonicalUri` is the already-encoded path; `query` the canonical query string (see canonicalQuery).
   */
  sign(
    method: string,
    canonicalUri: string,
    query: string,
    headers: Record<string, string>,
    payloadHash: string,
    amzDate: string = this.date(),
  ): Record<string, string> {
    headers['x-amz-date'] = amzDate;
    headers['x-amz-content-sha256'] = payloadHash;
    const names = Object.keys(headers).sort();
    let canonicalHeaders = '';
    for (const name of names) canonicalHeaders += `${name}:${(headers[name] as string).trim()}\n`;
    const signedHeaders = names.join(';');
    const canonicalRequest = `${method}\n${canonicalUri}\n${query}\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
    const day = amzDate.slice(0, 8);
    const scope = `${day}/${this.region}/${this.service}/aws4_request`;
    const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
    const signature = createHmac('sha256', this.key(day)).update(stringToSign).digest('hex');
    headers['authorization'] =
      `AWS4-HMAC-SHA256 Credential=${this.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    return headers;
  }
}
