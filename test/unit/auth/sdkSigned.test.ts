import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type ChecksumAlgorithm,
} from '@aws-sdk/client-s3';
import { authenticate } from '../../../src/s3/auth/authenticate.js';
import { parseAmzDate } from '../../../src/s3/auth/sigv4/amzDate.js';
import { uriEncode } from '../../../src/s3/auth/sigv4/uriEncode.js';
import { checksumOf } from '../../../src/core/checksums/createHasher.js';
import { sdkSign } from './sdkSigner.js';
import { drain, fakeRequest, resolverOf, SETTINGS, type FakeRequestInit } from './support.js';

// Requests built and signed by the real AWS SDK for JavaScript v3 (captured before they reach the network) must
// authenticate, and their bodies (plain, with checksum headers, or aws-chunked with a checksum trailer) must decode.

const KEY_ID = 'AKIASDKTEST';
const SECRET = 'sdk/test+secret';
const CREDENTIALS = resolverOf({ accessKeyId: KEY_ID, secretAccessKey: SECRET });

interface Captured {
  readonly init: FakeRequestInit;
  readonly now: Date;
}

async function capture(send: (client: S3Client) => Promise<unknown>): Promise<Captured> {
  let captured: Captured | undefined;
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9000',
    forcePathStyle: true,
    credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET },
    requestHandler: {
      async handle(request: { method: string; path: string; query?: Record<string, string | string[] | null>; headers: Record<string, string>; body?: unknown }) {
        const parts: Buffer[] = [];
        const body = request.body;
        if (typeof body === 'string' || body instanceof Uint8Array) parts.push(Buffer.from(body));
        else if (body !== undefined && body !== null) for await (const c of body as AsyncIterable<Uint8Array>) parts.push(Buffer.from(c));
        const query = Object.entries(request.query ?? {}).flatMap(([n, v]) =>
          (Array.isArray(v) ? v : [v]).map((x) => (x === null ? uriEncode(n) : `${uriEncode(n)}=${uriEncode(x)}`)),
        );
        const headers: Record<string, string> = {};
        for (const [n, v] of Object.entries(request.headers)) headers[n.toLowerCase()] = v;
        captured = {
          init: {
            method: request.method,
            target: query.length === 0 ? request.path : `${request.path}?${query.join('&')}`,
            headers,
            body: Buffer.concat(parts),
          },
          now: parseAmzDate(headers['x-amz-date'] ?? '') ?? new Date(),
        };
        return { response: { statusCode: 200, headers: { etag: '"0"' }, body: Readable.from([]) } };
      },
    },
  });
  try {
    await send(client);
  } catch {
    // The fake response does not satisfy every command's parser; only the request matters here.
  }
  assert.ok(captured !== undefined, 'the SDK sent no request');
  return captured;
}

async function verify(c: Captured, pieces?: number) {
  const body = c.init.body as Buffer;
  const init: FakeRequestInit = pieces === undefined ? c.init : { ...c.init, body: Array.from({ length: Math.ceil(body.length / pieces) }, (_, i) => body.subarray(i * pieces, (i + 1) * pieces)) };
  const auth = await authenticate(fakeRequest(init), CREDENTIALS, SETTINGS, c.now);
  const out = await drain(auth.body);
  return { auth, ...out };
}

describe('requests signed by @aws-sdk/client-s3', () => {
  it('PutObject with a buffer, an awkward key and the default CRC32 header', async () => {
    const data = Buffer.from('hello, SDK');
    const c = await capture((s3) => s3.send(new PutObjectCommand({ Bucket: 'b', Key: "dir/a b+c&d=e:f~(g)*'!ü.txt", Body: data })));
    const { auth, data: got, error } = await verify(c);
    assert.equal(error, undefined);
    assert.ok(got.equals(data));
    assert.deepEqual(auth.body.digests().checksum, { algorithm: 'CRC32', value: await checksumOf('CRC32', data) });
  });

  for (const algorithm of ['CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as ChecksumAlgorithm[]) {
    it(`PutObject with ChecksumAlgorithm ${algorithm}`, async () => {
      const data = Buffer.alloc(10_000, 'z');
      const c = await capture((s3) => s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: data, ChecksumAlgorithm: algorithm })));
      const { auth, error } = await verify(c, 999);
      assert.equal(error, undefined);
      assert.equal(auth.body.digests().checksum?.algorithm, algorithm);
    });
  }

  it('PutObject with a stream: aws-chunked, unsigned, with a CRC32 trailer', async () => {
    const pieces = [Buffer.alloc(5000, 'a'), Buffer.alloc(7000, 'b'), Buffer.from('c')];
    const data = Buffer.concat(pieces);
    const c = await capture((s3) =>
      s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'streamed', Body: Readable.from(pieces), ContentLength: data.length })),
    );
    assert.equal((c.init.headers as Record<string, string>)['x-amz-content-sha256'], 'STREAMING-UNSIGNED-PAYLOAD-TRAILER');
    const { auth, data: got, error } = await verify(c, 333);
    assert.equal(error, undefined);
    assert.ok(got.equals(data));
    assert.equal(auth.body.declaredLength, data.length);
    assert.deepEqual(auth.body.digests().checksum, { algorithm: 'CRC32', value: await checksumOf('CRC32', data) });
  });

  it('UploadPart, DeleteObjects, GetObject and ListObjectsV2 with an awkward prefix', async () => {
    const requests = [
      await capture((s3) => s3.send(new UploadPartCommand({ Bucket: 'b', Key: 'k', UploadId: 'u/1+2', PartNumber: 3, Body: Buffer.from('part') }))),
      await capture((s3) => s3.send(new DeleteObjectsCommand({ Bucket: 'b', Delete: { Objects: [{ Key: 'a' }, { Key: 'b c' }] } }))),
      await capture((s3) => s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k', Range: 'bytes=0-9', VersionId: 'v+1' }))),
      await capture((s3) => s3.send(new ListObjectsV2Command({ Bucket: 'b', Prefix: 'a b/ü+&=', Delimiter: '/', StartAfter: '~x' }))),
    ];
    for (const c of requests) {
      const { error } = await verify(c);
      assert.equal(error, undefined, c.init.target);
    }
  });

  it('a changed byte in a signed payload is refused', async () => {
    const c = await capture((s3) => s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: Buffer.from('original') })));
    const { error } = await verify({ ...c, init: { ...c.init, body: Buffer.from('Original') } });
    assert.equal(error?.code, 'XAmzContentSHA256Mismatch');
  });

  it('a changed byte in an aws-chunked body is refused by its trailing checksum', async () => {
    const c = await capture((s3) =>
      s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: Readable.from([Buffer.from('streamed data')]), ContentLength: 13 })),
    );
    const body = Buffer.from(c.init.body as Buffer);
    body[body.indexOf('streamed')] = 0x53; // 's' → 'S'
    const { error } = await verify({ ...c, init: { ...c.init, body } });
    assert.equal(error?.code, 'BadDigest');
  });
});

describe('URLs presigned by @smithy/signature-v4 (the SDK presigner\'s signer)', () => {
  it('GET with response-* overrides and an awkward key', async () => {
    const now = new Date('2024-02-29T23:59:59Z');
    const init = await sdkSign({
      method: 'GET',
      path: `/b/${uriEncode("dir/a b+c&d=e:f~(g)*'!ü.txt", true)}`,
      query: { 'response-content-disposition': 'attachment; filename="a b.txt"', 'response-content-type': 'text/x-test' },
      headers: { host: '127.0.0.1:9000' },
      accessKeyId: KEY_ID,
      secretAccessKey: SECRET,
      date: now,
      presignExpires: 3600,
    });
    const auth = await authenticate(fakeRequest(init), CREDENTIALS, SETTINGS, new Date(now.getTime() + 3_599_000));
    assert.equal(auth.method, 'presigned');
  });
});
