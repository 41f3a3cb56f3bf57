import { RequestTrace } from '../../../src/http/RequestTrace.js';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { UserPrincipal } from '../../../src/core/identity/Principal.js';
import type { S3Request } from '../../../src/http/S3Request.js';
import type { AuthSettings, CredentialResolver, ResolvedCredential } from '../../../src/s3/auth/Authenticator.js';
import type { RequestBody } from '../../../src/s3/auth/RequestBody.js';
import { percentDecode } from '../../../src/s3/auth/sigv4/uriEncode.js';
import { isS3Error, type S3Error } from '../../../src/errors/S3Error.js';
import type { S3ErrorCode } from '../../../src/errors/s3Errors.js';

/** The example credentials of the S3 documentation (note: '/' before bPxR, unlike the generic test suite). */
export const DOC_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const DOC_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const DOC_NOW = new Date('2013-05-24T00:00:00Z');
export const SETTINGS: AuthSettings = { region: 'us-east-1', maxClockSkewMs: 15 * 60 * 1000 };

export function userPrincipal(accessKeyId: string): UserPrincipal {
  return {
    kind: 'user',
    accountId: '123456789012',
    canonicalId: 'c'.repeat(64),
    displayName: 'example',
    arn: 'arn:aws:iam::123456789012:root',
    isRoot: true,
    accessKeyId,
  };
}

export interface TestCredential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly active?: boolean;
}

export function resolverOf(...credentials: TestCredential[]): CredentialResolver {
  return {
    resolve(accessKeyId: string): Promise<ResolvedCredential | undefined> {
      const c = credentials.find((x) => x.accessKeyId === accessKeyId);
      if (c === undefined) return Promise.resolve(undefined);
      return Promise.resolve({
        secretAccessKey: c.secretAccessKey,
        principal: userPrincipal(c.accessKeyId),
        active: c.active ?? true,
        ...(c.sessionToken === undefined ? {} : { sessionToken: c.sessionToken }),
      });
    },
  };
}

export const DOC_CREDENTIALS = resolverOf({ accessKeyId: DOC_KEY_ID, secretAccessKey: DOC_SECRET });

export interface FakeRequestInit {
  readonly method?: string;
  /** Path and query as sent, e.g. `/bucket/key?acl`. */
  readonly target: string;
  readonly headers?: Readonly<Record<string, string | string[]>>;
  /** The raw body: one buffer, pieces delivered one by one, or a stream. */
  readonly body?: Buffer | string | readonly Buffer[] | Readable;
}

/** A stream that delivers the given pieces one at a time. */
export function piecesStream(pieces: readonly Buffer[]): Readable {
  let i = 0;
  return new Readable({
    read() {
      if (i < pieces.length) this.push(pieces[i++]);
      else this.push(null);
    },
  });
}

/** An S3Request as http/parseRequest would build it, over an in-memory body. */
export function fakeRequest(init: FakeRequestInit): S3Request {
  const q = init.target.indexOf('?');
  const rawPath = q < 0 ? init.target : init.target.slice(0, q);
  const rawQuery = q < 0 ? '' : init.target.slice(q + 1);
  const query = new Map<string, string>();
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const name = percentDecode(eq < 0 ? piece : piece.slice(0, eq));
    if (!query.has(name)) query.set(name, eq < 0 ? '' : percentDecode(piece.slice(eq + 1)));
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = value;
  let stream: Readable;
  const body = init.body;
  if (body instanceof Readable) stream = body;
  else if (body === undefined) stream = piecesStream([]);
  else if (typeof body === 'string') stream = piecesStream([Buffer.from(body)]);
  else if (Buffer.isBuffer(body)) stream = piecesStream([body]);
  else stream = piecesStream(body);
  return {
    id: 'TESTREQUEST',
    method: init.method ?? 'GET',
    rawPath,
    rawQuery,
    query,
    headers,
    addressing: 'path',
    stream: stream as unknown as IncomingMessage,
    remoteAddress: '127.0.0.1',
    secure: false,
    trace: new RequestTrace('s3'),
  };
}

/** Asserts that `fn` rejects (or throws) an S3Error with this code (and message, when given); returns it. */
export async function expectS3Error(
  fn: () => unknown,
  code: S3ErrorCode,
  message?: string | RegExp,
): Promise<S3Error> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught !== undefined, `expected ${code}, but nothing was thrown`);
  assert.ok(isS3Error(caught), `expected an S3Error ${code}, got ${caught instanceof Error ? caught.message : JSON.stringify(caught)}`);
  assert.equal(caught.code, code, `expected ${code}, got ${caught.code}: ${caught.message}`);
  if (typeof message === 'string') assert.equal(caught.message, message);
  else if (message !== undefined) assert.match(caught.message, message);
  return caught;
}

/** Reads a RequestBody to its end: the bytes, or the S3Error its stream failed with. */
export async function drain(body: RequestBody): Promise<{ data: Buffer; error?: S3Error }> {
  const parts: Buffer[] = [];
  try {
    for await (const chunk of body.stream) parts.push(chunk as Buffer);
  } catch (err) {
    assert.ok(isS3Error(err), `the body failed with something other than an S3Error: ${String(err)}`);
    return { data: Buffer.concat(parts), error: err };
  }
  return { data: Buffer.concat(parts) };
}

/** A small deterministic PRNG (mulberry32): random cases are reproducible from their seed. */
export { mulberry32 as seededRandom } from '../../support/seededRandom.js';

/** Cuts a buffer into pieces at random places. */
export function splitRandomly(data: Buffer, random: () => number, maxPiece: number): Buffer[] {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < data.length) {
    const n = 1 + Math.floor(random() * maxPiece);
    out.push(data.subarray(pos, pos + n));
    pos += n;
  }
  return out;
}
