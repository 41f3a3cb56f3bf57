import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { headerLookup } from '../../../src/s3/auth/AuthContext.js';
import { parseAuthorizationHeader } from '../../../src/s3/auth/authorizationHeader.js';
import { parsePayloadHash } from '../../../src/s3/auth/payloadHash.js';
import { checkHeadersSigned } from '../../../src/s3/auth/signedHeaders.js';
import { canonicalHeaderValue, canonicalQuery, canonicalUri, splitQuery } from '../../../src/s3/auth/sigv4/canonicalRequest.js';
import { hmacSha256, signatureHex, signaturesEqual } from '../../../src/s3/auth/sigv4/crypto.js';
import { SigningKeyCache, deriveSigningKey } from '../../../src/s3/auth/sigv4/signingKey.js';
import { percentDecodeToBytes, uriEncodeBytes } from '../../../src/s3/auth/sigv4/uriEncode.js';
import { S3Error } from '../../../src/errors/S3Error.js';
import type { S3ErrorCode } from '../../../src/errors/s3Errors.js';
import { authenticate } from '../../../src/s3/auth/authenticate.js';
import type { AuthSettings } from '../../../src/s3/auth/Authenticator.js';
import { expectS3Error, fakeRequest } from './support.js';
import { mulberry32 } from '../../support/seededRandom.js';

// The SigV4 hot path skips work when its input is already in canonical form. Each case below compares it with the
// general rule written out plainly, so a fast path that diverged from it fails here.

function referenceHeaderValue(value: string | readonly string[]): string {
  const values = typeof value === 'string' ? [value] : value;
  return values.map((v) => v.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').trim()).join(',');
}

function referenceUri(rawPath: string): string {
  const path = rawPath === '' ? '/' : rawPath;
  return path.split('/').map((s) => uriEncodeBytes(percentDecodeToBytes(s))).join('/');
}

function referenceQuery(rawQuery: string): string {
  const encoded = splitQuery(rawQuery).map((p) => [uriEncodeBytes(percentDecodeToBytes(p.name)), uriEncodeBytes(percentDecodeToBytes(p.value))] as const);
  encoded.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
  return encoded.map(([n, v]) => `${n}=${v}`).join('&');
}

const PIECES = ['a', 'Z', '0', ' ', '  ', '\t', '\r\n', '\n', '\u000b', '\u00a0', '\u2003', 'é', '中', '-', '~', '%', '%20', '%2F', '+', '/', '=', '&', '.', '_', '!'];

function randomText(random: () => number, max: number): string {
  let out = '';
  const n = Math.floor(random() * max);
  for (let i = 0; i < n; i++) out += PIECES[Math.floor(random() * PIECES.length)];
  return out;
}

describe('SigV4 canonical forms: fast paths agree with the general rule', () => {
  it('canonicalHeaderValue: edge cases', () => {
    for (const value of ['a', 'a b', 'a  b', ' a', 'a ', '\ta', 'a\t', 'a\tb', 'a\u000bb', '\u00a0a', 'a\u00a0', 'é', 'aé', 'a\r\nb', '', 'x y z', 'a \u000b b']) {
      assert.equal(canonicalHeaderValue(value), referenceHeaderValue(value), JSON.stringify(value));
    }
  });

  it('canonicalHeaderValue, canonicalUri, canonicalQuery: 5,000 random inputs', () => {
    const random = mulberry32(13);
    for (let i = 0; i < 5000; i++) {
      const text = randomText(random, 8);
      assert.equal(canonicalHeaderValue(text), referenceHeaderValue(text), JSON.stringify(text));
      const path = `/${randomText(random, 6)}`;
      assert.equal(canonicalUri(path), referenceUri(path), JSON.stringify(path));
      const query = randomText(random, 8);
      assert.equal(canonicalQuery(splitQuery(query)), referenceQuery(query), JSON.stringify(query));
    }
  });

  it('canonicalQuery: the excluded parameter goes by its decoded name on both paths', () => {
    const exclude = (name: string): boolean => name === 'X-Amz-Signature';
    assert.equal(canonicalQuery(splitQuery('X-Amz-Signature=abc&b=1'), exclude), 'b=1');
    assert.equal(canonicalQuery(splitQuery('X-Amz-%53ignature=abc&b=1'), exclude), 'b=1');
  });
});

/** The IncomingMessage node:http makes of a raw request head (a real server on 127.0.0.1, one request). */
async function messageWith(rawHeaders: string[]): Promise<IncomingMessage> {
  const server = createServer();
  try {
    const received = new Promise<IncomingMessage>((resolve) => {
      server.once('request', (req: IncomingMessage, res: ServerResponse) => {
        resolve(req);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    let head = 'GET / HTTP/1.1\r\n';
    for (let i = 0; i < rawHeaders.length; i += 2) head += `${rawHeaders[i] ?? ''}: ${rawHeaders[i + 1] ?? ''}\r\n`;
    socket.end(`${head}Connection: close\r\n\r\n`);
    socket.resume();
    return await received;
  } finally {
    server.close();
  }
}

describe('headerLookup', () => {
  it('reads headers sent once from `headers`, as sent', async () => {
    const stream = await messageWith(['Host', 'example.com', 'X-Amz-Date', '20150830T123600Z', 'X-Amz-Meta-A', 'spaced  value']);
    const lookup = headerLookup({ method: 'GET', rawPath: '/', rawQuery: '', headers: stream.headers, stream });
    assert.equal(lookup('host'), 'example.com');
    assert.equal(lookup('x-amz-meta-a'), 'spaced  value');
    assert.equal(lookup('x-amz-missing'), undefined);
  });

  it('gives every value of a header sent more than once, as headersDistinct has them', async () => {
    const stream = await messageWith(['Host', 'example.com', 'My-Header1', 'value2', 'My-Header1', 'value1', 'Content-Type', 'a', 'content-type', 'b']);
    const lookup = headerLookup({ method: 'GET', rawPath: '/', rawQuery: '', headers: stream.headers, stream });
    assert.deepEqual(lookup('my-header1'), ['value2', 'value1']);
    assert.deepEqual(lookup('content-type'), ['a', 'b']);
    assert.equal(canonicalHeaderValue(lookup('host')), 'example.com');
    assert.equal(canonicalHeaderValue(lookup('my-header1')), 'value2,value1');
  });
});

describe('signaturesEqual', () => {
  const sig = 'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
  it('matches hex in either letter case, and nothing else', () => {
    assert.equal(signaturesEqual(sig, sig), true);
    assert.equal(signaturesEqual(sig, sig.toUpperCase()), true);
    assert.equal(signaturesEqual(sig, `${sig.slice(0, 63)}5`), false);
    assert.equal(signaturesEqual(sig, sig.slice(0, 63)), false);
    assert.equal(signaturesEqual(sig, ''), false);
    assert.equal(signaturesEqual(sig, `${sig.slice(0, 63)}\u00e9`), false);
    assert.equal(signaturesEqual('ab', 'AB'), true);
    assert.equal(signaturesEqual('ab', 'a\u0100'), false);
  });
});

describe('parsePayloadHash', () => {
  it('keeps a lower-case hex SHA-256 as is and lower-cases an upper-case one', () => {
    const hex = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    assert.deepEqual(parsePayloadHash(hex), { kind: 'sha256', hex });
    assert.deepEqual(parsePayloadHash(hex.toUpperCase()), { kind: 'sha256', hex });
    assert.deepEqual(parsePayloadHash('UNSIGNED-PAYLOAD'), { kind: 'unsigned' });
    assert.throws(() => parsePayloadHash(`${hex.slice(0, 63)}g`), (err: unknown) => err instanceof S3Error && err.code === 'InvalidArgument');
    assert.throws(() => parsePayloadHash(hex.slice(0, 63)), (err: unknown) => err instanceof S3Error && err.code === 'InvalidArgument');
  });
});

describe('checkHeadersSigned', () => {
  it('names every unsigned x-amz-* header and host, in order, whatever the letter case of the lists', () => {
    assert.doesNotThrow(() => checkHeadersSigned({ host: 'h', 'x-amz-date': 'd' }, ['Host', 'X-Amz-Date']));
    assert.throws(
      () => checkHeadersSigned({ 'x-amz-date': 'd', 'content-type': 'x', 'x-amz-meta-a': '1', 'X-Amz-Meta-B': '2' }, ['x-amz-date']),
      (err: unknown) => err instanceof S3Error && err.code === 'AccessDenied' && err.details['HeadersNotSigned'] === 'host, x-amz-meta-a, x-amz-meta-b',
    );
  });
});

describe('SigningKeyCache', () => {
  it('hands out the derived key for each scope, also when scopes alternate', () => {
    const cache = new SigningKeyCache();
    const scopes: [string, string, string, string][] = [
      ['secret1', '20260101', 'us-east-1', 's3'],
      ['secret1', '20260102', 'us-east-1', 's3'],
      ['secret2', '20260101', 'us-east-1', 's3'],
      ['secret1', '20260101', 'eu-west-1', 's3'],
      ['secret1', '20260101', 'us-east-1', 'iam'],
    ];
    for (let round = 0; round < 3; round++) {
      for (const scope of scopes) {
        assert.deepEqual(cache.get(...scope), deriveSigningKey(...scope));
        assert.deepEqual(cache.get(...scope), deriveSigningKey(...scope));
      }
    }
  });
});

describe('telling presigned URLs apart (parameters decoded only when a name may be one)', () => {
  const settings: AuthSettings = { region: 'us-east-1', maxClockSkewMs: 15 * 60 * 1000 };
  const resolver = { resolve: () => Promise.resolve(undefined) };
  const now = new Date('2026-12-04T00:00:00Z');
  const cases: [string, Record<string, string>, S3ErrorCode][] = [
    ['/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256', { authorization: 'AWS4-HMAC-SHA256 Credential=x' }, 'InvalidArgument'],
    ['/b/k?x-AMZ-signature=abc', { authorization: 'AWS4-HMAC-SHA256 Credential=x' }, 'InvalidArgument'],
    ['/b/k?X-Amz-%41lgorithm=AWS4-HMAC-SHA256', { authorization: 'AWS4-HMAC-SHA256 Credential=x' }, 'InvalidArgument'],
    ['/b/k?Signature=abc&Expires=1', {}, 'InvalidRequest'],
    ['/b/k?%53ignature=abc&Expires=1', {}, 'InvalidRequest'],
    ['/b/k?AWSAccessKeyId=abc', {}, 'InvalidRequest'],
    ['/b/k?tagging&X-Amz-Credential=abc', {}, 'AuthorizationQueryParametersError'],
  ];
  for (const [target, headers, code] of cases) {
    it(`${target}: ${code}`, async () => {
      await expectS3Error(() => authenticate(fakeRequest({ target, headers }), resolver, settings, now), code);
    });
  }

  it('a query of plain names that are none of them is no presigned URL', async () => {
    const auth = await authenticate(fakeRequest({ target: '/b/k?tagging&Signature2=x&versionId=3', headers: {} }), resolver, settings, now);
    assert.equal(auth.method, 'anonymous');
  });
});

describe('signatureHex', () => {
  it('is the hex HMAC-SHA256 under the key, for each key and again for a key seen before', () => {
    const keys = [deriveSigningKey('a', '20260101', 'us-east-1', 's3'), deriveSigningKey('b', '20260101', 'us-east-1', 's3'), Buffer.alloc(0)];
    for (let round = 0; round < 2; round++) {
      for (const key of keys) {
        for (const text of ['', 'AWS4-HMAC-SHA256\n20260101T000000Z\nscope\nabc', 'é中']) {
          assert.equal(signatureHex(key, text), hmacSha256(key, text).toString('hex'));
        }
      }
    }
  });
});

describe('parseAuthorizationHeader', () => {
  const malformed = (detail: string) => (err: unknown) =>
    err instanceof S3Error && err.code === 'AuthorizationHeaderMalformed' && err.message === `The authorization header is malformed; ${detail}`;
  it('reads the three components, in any order, with other components beside them', () => {
    assert.deepEqual(parseAuthorizationHeader('AWS4-HMAC-SHA256 Signature=abc, Other=1,SignedHeaders=host;X-Amz-Date , Credential=AK/20260101/us-east-1/s3/aws4_request'), {
      credential: 'AK/20260101/us-east-1/s3/aws4_request',
      signedHeaders: ['host', 'X-Amz-Date'],
      signature: 'abc',
    });
  });
  it('refuses a component named twice (any component), a component without "=", and a missing one', () => {
    assert.throws(() => parseAuthorizationHeader('AWS4-HMAC-SHA256 Credential=a, Credential=b, SignedHeaders=host, Signature=x'), malformed('the authorization header component "Credential" is repeated.'));
    assert.throws(() => parseAuthorizationHeader('AWS4-HMAC-SHA256 Credential=a, Foo=1, Foo=2, SignedHeaders=host, Signature=x'), malformed('the authorization header component "Foo" is repeated.'));
    assert.throws(() => parseAuthorizationHeader('AWS4-HMAC-SHA256 Credential=a, Foo, SignedHeaders=host, Signature=x'), malformed('the authorization header component "Foo" is malformed.'));
    assert.throws(() => parseAuthorizationHeader('AWS4-HMAC-SHA256 Credential=a, Signature=x'), malformed('the authorization header requires three components: Credential, SignedHeaders, and Signature.'));
    assert.deepEqual(parseAuthorizationHeader('AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature=').credential, '');
  });
});
