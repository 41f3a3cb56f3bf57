import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { FakeRequestInit } from './support.js';
import { uriEncode } from '../../../src/s3/auth/sigv4/uriEncode.js';

/** SHA-256 for @smithy/signature-v4 (a plain hash, or an HMAC when constructed with a key), over node:crypto. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    const key = secret === undefined ? undefined : typeof secret === 'string' ? secret : Buffer.from(toBytes(secret));
    this.hash = key === undefined ? createHash('sha256') : createHmac('sha256', key);
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(typeof data === 'string' ? data : toBytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {}
}

function toBytes(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  return data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export interface SdkSignInput {
  readonly method: string;
  /** Encoded path, e.g. `/bucket/a%20b`. */
  readonly path: string;
  /** Decoded query parameters. */
  readonly query?: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer | string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly region?: string;
  readonly service?: string;
  readonly date: Date;
  /** Presign for this many seconds instead of signing the header. */
  readonly presignExpires?: number;
}

function targetOf(path: string, query: Readonly<Record<string, string | string[] | null>>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      parts.push(v === null ? uriEncode(name) : `${uriEncode(name)}=${uriEncode(v)}`);
    }
  }
  return parts.length === 0 ? path : `${path}?${parts.join('&')}`;
}

/** Signs (or presigns) a request with the AWS SDK's own signer, as an S3 client would (no path re-escaping). */
export async function sdkSign(input: SdkSignInput): Promise<FakeRequestInit> {
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: input.accessKeyId,
      secretAccessKey: input.secretAccessKey,
      ...(input.sessionToken === undefined ? {} : { sessionToken: input.sessionToken }),
    },
    region: input.region ?? 'us-east-1',
    service: input.service ?? 's3',
    sha256: NodeSha256,
    uriEscapePath: false,
  });
  const host = input.headers['host'] ?? 'localhost';
  // As @aws-sdk/s3-request-presigner does: presigned S3 URLs carry an unsigned payload, in X-Amz-Content-Sha256.
  const headers: Record<string, string> =
    input.presignExpires === undefined ? { ...input.headers } : { ...input.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
  const request = {
    method: input.method,
    protocol: 'https:',
    hostname: host,
    path: input.path,
    query: { ...(input.query ?? {}) },
    headers,
    ...(input.body === undefined ? {} : { body: input.body }),
  };
  const signed =
    input.presignExpires === undefined
      ? await signer.sign(request, { signingDate: input.date })
      : await signer.presign(request, { signingDate: input.date, expiresIn: input.presignExpires });
  return {
    method: input.method,
    target: targetOf(signed.path, signed.query as Record<string, string | string[] | null>),
    headers: signed.headers,
    ...(input.body === undefined ? {} : { body: input.body }),
  };
}
