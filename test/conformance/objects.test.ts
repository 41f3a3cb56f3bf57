import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type GetObjectCommandOutput,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-s3';
import type { FinalizeRequestMiddleware } from '@smithy/types';
import { bucketName } from '../support/names.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../support/testServer.js';
import { createTestBucket } from '../support/buckets.js';

/** What an SDK error carries: S3 code, HTTP status and the raw response headers. */
interface SdkError {
  readonly name: string;
  readonly message: string;
  readonly $metadata: { readonly httpStatusCode?: number };
  readonly $response?: { readonly headers: Record<string, string> };
}

async function failure(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (err) {
    return err as SdkError;
  }
  assert.fail('expected the request to fail');
}

async function expectError(promise: Promise<unknown>, code: string, status: number, message?: string): Promise<SdkError> {
  const err = await failure(promise);
  assert.equal(err.$metadata.httpStatusCode, status, `${code}: ${err.name} ${err.message}`);
  assert.equal(err.name, code, err.message);
  if (message !== undefined) assert.equal(err.message, message);
  return err;
}

async function bodyOf(out: GetObjectCommandOutput): Promise<Buffer> {
  return Buffer.from(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}

const md5 = (data: Buffer | string): string => createHash('md5').update(data).digest('hex');
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** A Readable of `data` in small chunks: the SDK then sends aws-chunked with a trailing checksum. */
function streamOf(data: Buffer, chunk = 64 * 1024): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= data.length) {
        this.push(null);
        return;
      }
      this.push(data.subarray(offset, offset + chunk));
      offset += chunk;
    },
  });
}

/**
 * A client that edits the HTTP request after the SDK computed checksums and before it signs, to send what the SDK
 * would not (no integrity header, a false length …). `checksums: false` turns the SDK's optional checksums off.
 */
function editingClient(
  server: TestServer,
  edit: (request: { headers: Record<string, string> }) => void,
  options: { checksums?: boolean } = {},
): S3Client {
  const client = new S3Client({
    endpoint: server.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: ROOT_KEY,
    ...(options.checksums === false ? { requestChecksumCalculation: 'WHEN_REQUIRED' as const } : {}),
  });
  const middleware: FinalizeRequestMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next) => async (args) => {
    edit(args.request as { headers: Record<string, string> });
    return next(args);
  };
  client.middlewareStack.addRelativeTo(
    middleware,
    { relation: 'before', toMiddleware: 'httpSigningMiddleware', name: 'testEdit', override: true },
  );
  extraClients.push(client);
  return client;
}

const extraClients: S3Client[] = [];

describe('object operations (AWS SDK v3, default checksums)', () => {
  let server: TestServer;
  let s3: S3Client;
  let bucket: string;

  function newBucket(versioning?: 'Enabled' | 'Suspended'): Promise<string> {
    return createTestBucket(s3, 'obj', versioning);
  }

  before(async () => {
    server = await startTestServer();
    s3 = server.s3;
    bucket = await newBucket();
  });
  after(async () => {
    for (const c of extraClients) c.destroy();
    await server.stop();
  });

  describe('PutObject / GetObject / HeadObject', () => {
    it('round-trips bytes, ETag, content headers and user metadata', async () => {
      const data = Buffer.from('hello, tessera');
      const put = await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'greeting.txt',
          Body: data,
          ContentType: 'text/plain; charset=utf-8',
          ContentDisposition: 'attachment; filename="g.txt"',
          ContentLanguage: 'en',
          CacheControl: 'max-age=60',
          Expires: new Date('2044-12-01T16:00:00Z'),
          Metadata: { color: 'blue', 'Mixed-Case': 'v' },
        }),
      );
      assert.equal(put.ETag, `"${md5(data)}"`);
      assert.equal(put.VersionId, undefined);
      const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'greeting.txt' }));
      assert.deepEqual(await bodyOf(get), data);
      assert.equal(get.ETag, `"${md5(data)}"`);
      assert.equal(get.ContentLength, data.length);
      assert.equal(get.ContentType, 'text/plain; charset=utf-8');
      assert.equal(get.ContentDisposition, 'attachment; filename="g.txt"');
      assert.equal(get.ContentLanguage, 'en');
      assert.equal(get.CacheControl, 'max-age=60');
      assert.equal(get.ExpiresString, 'Thu, 01 Dec 2044 16:00:00 GMT');
      assert.equal(get.AcceptRanges, 'bytes');
      assert.deepEqual(get.Metadata, { color: 'blue', 'mixed-case': 'v' });
      assert.equal(get.StorageClass, undefined);
      assert.equal(get.VersionId, undefined);
      assert.equal(get.TagCount, undefined);
      assert.ok(get.LastModified instanceof Date);
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'greeting.txt' }));
      assert.equal(head.ContentLength, data.length);
      assert.equal(head.ETag, put.ETag);
      assert.equal(head.LastModified?.getTime(), get.LastModified?.getTime());
    });

    it('defaults Content-Type to binary/octet-stream and strips aws-chunked from Content-Encoding', async () => {
      const data = randomBytes(300 * 1024);
      let sent: Record<string, string> = {};
      const client = editingClient(server, (req) => {
        for (const name of Object.keys(req.headers)) if (name.toLowerCase() === 'content-type') delete req.headers[name];
        sent = { ...req.headers };
      });
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'chunked', Body: streamOf(data), ContentLength: data.length }));
      assert.match(sent['content-encoding'] ?? sent['Content-Encoding'] ?? '', /aws-chunked/, 'the SDK sent aws-chunked');
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'chunked' }));
      assert.equal(head.ContentType, 'binary/octet-stream');
      assert.equal(head.ContentEncoding, undefined);
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'gz', Body: streamOf(data), ContentLength: data.length, ContentEncoding: 'gzip' }),
      );
      const gz = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'gz' }));
      assert.equal(gz.ContentEncoding, 'gzip');
    });

    it('stores the checksum the client sent (trailing CRC32 and CRC64NVME) and returns it with checksum mode', async () => {
      const data = randomBytes(200 * 1024);
      for (const algorithm of ['CRC32', 'CRC64NVME', 'SHA256'] as const) {
        const key = `sum-${algorithm}`;
        const put = await s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: streamOf(data), ContentLength: data.length, ChecksumAlgorithm: algorithm }),
        );
        const field = `Checksum${algorithm}` as const;
        assert.ok(put[field], `${algorithm} in the PutObject response`);
        assert.equal(put.ChecksumType, 'FULL_OBJECT');
        const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
        assert.deepEqual(await bodyOf(get), data); // the SDK validates the body against the returned checksum
        assert.equal(get[field], put[field]);
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        assert.equal(head[field], undefined, 'no checksum without x-amz-checksum-mode');
        const ranged = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: 'bytes=0-9', ChecksumMode: 'ENABLED' }));
        assert.equal(ranged[field], undefined, 'no checksum for a ranged GET');
        await bodyOf(ranged);
      }
      const sha = createHash('sha256').update(data).digest('base64');
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'sha-header', Body: data, ChecksumSHA256: sha }));
      assert.equal(put.ChecksumSHA256, sha);
    });

    it('stores no checksum when the client sends none (no default CRC64NVME: docs/objects.md)', async () => {
      const noChecksums = editingClient(server, () => undefined, { checksums: false });
      const put = await noChecksums.send(new PutObjectCommand({ Bucket: bucket, Key: 'no-sum', Body: Buffer.from('abc') }));
      assert.equal(put.ChecksumCRC64NVME, undefined, JSON.stringify(put));
      const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'no-sum', ChecksumMode: 'ENABLED' }));
      assert.equal(get.ChecksumCRC64NVME, undefined);
      assert.equal(get.ChecksumType, undefined);
      assert.equal((await bodyOf(get)).toString(), 'abc');
    });

    it('stores keys exactly: 1024 bytes, Unicode, ../../etc/passwd, a//b, trailing slash, spaces and +', async () => {
      const keys = [
        'k'.repeat(1024),
        'é'.repeat(512), // 1024 UTF-8 bytes
        '日本語/ファイル 名.txt',
        '😀 emoji',
        '../../etc/passwd',
        'a//b',
        '/leading',
        'dir/',
        'with space and+plus',
        'percent%20literal',
        'query?x=1&y=2#frag',
        '..',
      ];
      for (const key of keys) {
        const body = Buffer.from(`body of ${key}`);
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        assert.deepEqual(await bodyOf(got), body, key);
      }
      // distinct keys stay distinct
      const a = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'a//b' }));
      assert.equal((await bodyOf(a)).toString(), 'body of a//b');
      await expectError(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/b' })), 'NoSuchKey', 404);
    });

    it('refuses keys longer than 1024 bytes with KeyTooLongError', async () => {
      await expectError(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k'.repeat(1025), Body: 'x' })), 'KeyTooLongError', 400);
      await expectError(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'é'.repeat(513), Body: 'x' })), 'KeyTooLongError', 400);
    });

    it('round-trips a 20 MiB object byte for byte', async () => {
      const data = randomBytes(20 * 1024 * 1024);
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'big', Body: streamOf(data, 1024 * 1024), ContentLength: data.length }));
      assert.equal(put.ETag, `"${md5(data)}"`);
      const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'big' }));
      const got = await bodyOf(get);
      assert.equal(got.length, data.length);
      assert.equal(sha256(got), sha256(data));
    });

    it('overwrites in an unversioned bucket', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'over', Body: 'one' }));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'over', Body: 'two' }));
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'over' }));
      assert.equal((await bodyOf(got)).toString(), 'two');
    });

    it('stores and returns storage classes; refuses unknown ones', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'ia', Body: 'x', StorageClass: 'STANDARD_IA' }));
      assert.equal((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'ia' }))).StorageClass, 'STANDARD_IA');
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'std', Body: 'x', StorageClass: 'STANDARD' }));
      assert.equal((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'std' }))).StorageClass, undefined);
      await expectError(
        s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'bad-class', Body: 'x', StorageClass: 'COLD' as 'GLACIER' })),
        'InvalidStorageClass',
        400,
      );
      await expectError(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'bad-class' })), 'NotFound', 404);
    });

    it('counts tags from x-amz-tagging; an invalid header stores nothing', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'tagged', Body: 'x', Tagging: 'a=1&b=two%20words' }));
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'tagged' }));
      assert.equal(got.TagCount, 2);
      await bodyOf(got);
      const stored = await server.server.metadata.getTags(bucket, 'tagged');
      assert.deepEqual(stored?.tags, [
        { key: 'a', value: '1' },
        { key: 'b', value: 'two words' },
      ]);
      await expectError(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'badtag', Body: 'x', Tagging: 'a=1&a=2' })), 'InvalidArgument', 400);
      await expectError(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'badtag', Body: 'x', Tagging: 'aws:x=1' })), 'InvalidTag', 400);
      await expectError(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'badtag' })), 'NotFound', 404);
    });

    it('refuses user metadata above 2 KB with MetadataTooLarge', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'meta-ok', Body: 'x', Metadata: { k: 'v'.repeat(2047) } }));
      await expectError(
        s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'meta-big', Body: 'x', Metadata: { k: 'v'.repeat(2048) } })),
        'MetadataTooLarge',
        400,
      );
    });

    it('a Content-MD5 mismatch is BadDigest and stores nothing', async () => {
      const wrong = createHash('md5').update('other').digest('base64');
      await expectError(
        s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'md5', Body: 'payload', ContentMD5: wrong })),
        'BadDigest',
        400,
      );
      await expectError(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'md5' })), 'NotFound', 404);
      const right = createHash('md5').update('payload').digest('base64');
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'md5', Body: 'payload', ContentMD5: right }));
    });

    it('a wrong checksum is BadDigest and stores nothing', async () => {
      const wrong = createHash('sha256').update('other').digest('base64');
      await expectError(
        s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'badsum', Body: 'payload', ChecksumSHA256: wrong })),
        'BadDigest',
        400,
      );
      await expectError(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'badsum' })), 'NotFound', 404);
    });

    it('a declared length above 5 GiB is EntityTooLarge', async () => {
      const noChecksums = editingClient(
        server,
        (req) => {
          req.headers['content-length'] = String(5 * 1024 ** 3 + 1);
        },
        { checksums: false },
      );
      const err = await failure(noChecksums.send(new PutObjectCommand({ Bucket: bucket, Key: 'huge', Body: Buffer.from('x') })));
      assert.equal(err.$metadata.httpStatusCode, 400, err.message);
      assert.equal(err.name, 'EntityTooLarge');
    });

    it('a missing Content-Length without aws-chunked is MissingContentLength (411)', async () => {
      const noChecksums = editingClient(
        server,
        (req) => {
          delete req.headers['content-length'];
          req.headers['transfer-encoding'] = 'chunked';
        },
        { checksums: false },
      );
      const err = await failure(noChecksums.send(new PutObjectCommand({ Bucket: bucket, Key: 'nolength', Body: Buffer.from('abc') })));
      assert.equal(err.$metadata.httpStatusCode, 411, err.message);
      assert.equal(err.name, 'MissingContentLength');
    });

    it('404 NoSuchKey for a missing key (GET with a body, HEAD without)', async () => {
      const err = await expectError(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'missing' })), 'NoSuchKey', 404);
      assert.equal(err.message, 'The specified key does not exist.');
      await expectError(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'missing' })), 'NotFound', 404);
      await expectError(s3.send(new GetObjectCommand({ Bucket: bucketName('none'), Key: 'x' })), 'NoSuchBucket', 404);
    });

    it('response-* overrides for signed requests', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'override', Body: 'x', ContentType: 'text/plain' }));
      const got = await s3.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: 'override',
          ResponseContentType: 'application/json',
          ResponseContentLanguage: 'de',
          ResponseExpires: new Date('2030-01-01T00:00:00Z'),
          ResponseCacheControl: 'no-store',
          ResponseContentDisposition: 'inline',
          ResponseContentEncoding: 'identity',
        }),
      );
      await bodyOf(got);
      assert.equal(got.ContentType, 'application/json');
      assert.equal(got.ContentLanguage, 'de');
      assert.equal(got.CacheControl, 'no-store');
      assert.equal(got.ContentDisposition, 'inline');
      assert.equal(got.ContentEncoding, 'identity');
      assert.equal(got.ExpiresString, 'Tue, 01 Jan 2030 00:00:00 GMT');
    });
  });

  describe('small objects stored inline and larger ones as files (64 KiB threshold)', () => {
    const sizes = [0, 1, 4096, 64 * 1024, 64 * 1024 + 1, 200 * 1024];
    it('round-trips each size whole, by range, after overwrite, copy and delete, streamed or not', async () => {
      const b = await newBucket();
      for (const size of sizes) {
        for (const streamed of [false, true]) {
          const key = `t/${size}/${streamed ? 's' : 'b'}`;
          const first = randomBytes(size);
          await s3.send(new PutObjectCommand({ Bucket: b, Key: key, Body: streamed ? streamOf(first, 16 * 1024) : first, ContentLength: size }));
          const data = randomBytes(size);
          const put = await s3.send(new PutObjectCommand({ Bucket: b, Key: key, Body: data }));
          assert.equal(put.ETag, `"${md5(data)}"`, key);
          const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: key }));
          assert.ok((await bodyOf(got)).equals(data), `${key} whole (after overwrite)`);
          if (size > 2) {
            const ranged = await s3.send(new GetObjectCommand({ Bucket: b, Key: key, Range: `bytes=1-${size - 2}` }));
            assert.ok((await bodyOf(ranged)).equals(data.subarray(1, size - 1)), `${key} range`);
            const tail = await s3.send(new GetObjectCommand({ Bucket: b, Key: key, Range: 'bytes=-1' }));
            assert.ok((await bodyOf(tail)).equals(data.subarray(size - 1)), `${key} suffix range`);
          }
          await s3.send(new CopyObjectCommand({ Bucket: b, Key: `${key}-copy`, CopySource: `${b}/${key}` }));
          await s3.send(new DeleteObjectCommand({ Bucket: b, Key: key }));
          await expectError(s3.send(new GetObjectCommand({ Bucket: b, Key: key })), 'NoSuchKey', 404);
          const copy = await s3.send(new GetObjectCommand({ Bucket: b, Key: `${key}-copy` }));
          assert.ok((await bodyOf(copy)).equals(data), `${key} copy outlives its source`);
          assert.equal((await s3.send(new HeadObjectCommand({ Bucket: b, Key: `${key}-copy` }))).ContentLength, size);
        }
      }
    });
  });

  describe('Range and partNumber', () => {
    const data = Buffer.from('0123456789');
    before(async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'digits', Body: data }));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'empty', Body: Buffer.alloc(0) }));
    });

    const CASES: ReadonlyArray<[string, string, string]> = [
      ['bytes=0-4', '01234', 'bytes 0-4/10'],
      ['bytes=7-', '789', 'bytes 7-9/10'],
      ['bytes=-3', '789', 'bytes 7-9/10'],
      ['bytes=5-100', '56789', 'bytes 5-9/10'],
      ['bytes=-20', '0123456789', 'bytes 0-9/10'],
    ];
    for (const [range, body, contentRange] of CASES) {
      it(`${range} → 206 ${contentRange}`, async () => {
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', Range: range }));
        assert.equal(got.$metadata.httpStatusCode, 206);
        assert.equal(got.ContentRange, contentRange);
        assert.equal(got.ContentLength, body.length);
        assert.equal((await bodyOf(got)).toString(), body);
      });
    }

    it('unsatisfiable → 416 InvalidRange with Content-Range bytes */size', async () => {
      for (const range of ['bytes=10-', 'bytes=20-30', 'bytes=-0']) {
        const err = await expectError(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', Range: range })), 'InvalidRange', 416);
        assert.equal(err.$response?.headers['content-range'], 'bytes */10');
      }
      await expectError(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'empty', Range: 'bytes=0-' })), 'InvalidRange', 416);
    });

    it('multiple ranges or bad syntax → 200 with the whole object', async () => {
      for (const range of ['bytes=0-1,4-5', 'bytes=5-2', 'lines=1-2']) {
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', Range: range }));
        assert.equal(got.$metadata.httpStatusCode, 200, range);
        assert.equal((await bodyOf(got)).toString(), '0123456789');
      }
    });

    it('HEAD with a range answers its length and Content-Range', async () => {
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'digits', Range: 'bytes=2-3' }));
      assert.equal(head.$metadata.httpStatusCode, 206);
      assert.equal(head.ContentLength, 2);
      assert.equal(head.ContentRange, 'bytes 2-3/10');
    });

    it('partNumber=1 of a simple object is the whole object; other parts are 416 InvalidPartNumber', async () => {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', PartNumber: 1 }));
      assert.equal(got.$metadata.httpStatusCode, 206);
      assert.equal(got.ContentRange, 'bytes 0-9/10');
      assert.equal(got.PartsCount, undefined);
      assert.equal((await bodyOf(got)).toString(), '0123456789');
      await expectError(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', PartNumber: 2 })), 'InvalidPartNumber', 416);
      await expectError(
        s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', PartNumber: 1, Range: 'bytes=0-1' })),
        'InvalidRequest',
        400,
        'Cannot specify both Range header and partNumber query parameter',
      );
      await expectError(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', PartNumber: 0 })), 'InvalidArgument', 400);
      await expectError(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', PartNumber: 10001 })), 'InvalidArgument', 400);
    });
  });

  describe('conditional GET/HEAD', () => {
    let etag: string;
    let lastModified: Date;
    before(async () => {
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond', Body: 'conditional' }));
      etag = put.ETag ?? '';
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'cond' }));
      lastModified = head.LastModified ?? new Date();
    });
    const past = (d: Date): Date => new Date(d.getTime() - 60_000);
    const later = (d: Date): Date => new Date(d.getTime() + 60_000);

    it('If-Match', async () => {
      const ok = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cond', IfMatch: etag }));
      await bodyOf(ok);
      await expectError(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cond', IfMatch: '"nope"' })), 'PreconditionFailed', 412);
      const head = await failure(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'cond', IfMatch: '"nope"' })));
      assert.equal(head.$metadata.httpStatusCode, 412);
    });

    it('If-None-Match → 304 Not Modified with the ETag', async () => {
      const err = await failure(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cond', IfNoneMatch: etag })));
      assert.equal(err.$metadata.httpStatusCode, 304);
      assert.equal(err.$response?.headers.etag, etag);
      const head = await failure(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'cond', IfNoneMatch: etag })));
      assert.equal(head.$metadata.httpStatusCode, 304);
      const ok = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cond', IfNoneMatch: '"other"' }));
      await bodyOf(ok);
    });

    it('If-Modified-Since / If-Unmodified-Since', async () => {
      const modified = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cond', IfModifiedSince: past(lastModified) }));
      await bodyOf(modified);
      const nm = await failure(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cond', IfModifiedSince: lastModified })));
      assert.equal(nm.$metadata.httpStatusCode, 304);
      await expectError(
        s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cond', IfUnmodifiedSince: past(lastModified) })),
        'PreconditionFailed',
        412,
      );
      const ok = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cond', IfUnmodifiedSince: later(lastModified) }));
      await bodyOf(ok);
    });

    it('AWS precedence: If-Match true + If-Unmodified-Since false → 200; If-None-Match false + If-Modified-Since true → 304', async () => {
      const ok = await s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: 'cond', IfMatch: etag, IfUnmodifiedSince: past(lastModified) }),
      );
      assert.equal(ok.$metadata.httpStatusCode, 200);
      await bodyOf(ok);
      const nm = await failure(
        s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cond', IfNoneMatch: etag, IfModifiedSince: past(lastModified) })),
      );
      assert.equal(nm.$metadata.httpStatusCode, 304);
    });
  });

  describe('versioning, delete markers and DeleteObject', () => {
    it('Enabled: versions, delete markers, 404 with x-amz-delete-marker, 405 for a marker version', async () => {
      const b = await newBucket('Enabled');
      const v1 = await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'one' }));
      const v2 = await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'two' }));
      assert.match(v1.VersionId ?? '', /^[A-Za-z0-9_-]{32}$/);
      assert.notEqual(v1.VersionId, v2.VersionId);
      const old = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', VersionId: v1.VersionId }));
      assert.equal((await bodyOf(old)).toString(), 'one');
      assert.equal(old.VersionId, v1.VersionId);

      const del = await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k' }));
      assert.equal(del.$metadata.httpStatusCode, 204);
      assert.equal(del.DeleteMarker, true);
      assert.match(del.VersionId ?? '', /^[A-Za-z0-9_-]{32}$/);

      const gone = await expectError(s3.send(new GetObjectCommand({ Bucket: b, Key: 'k' })), 'NoSuchKey', 404);
      assert.equal(gone.$response?.headers['x-amz-delete-marker'], 'true');
      assert.equal(gone.$response?.headers['x-amz-version-id'], del.VersionId);
      const headGone = await failure(s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k' })));
      assert.equal(headGone.$metadata.httpStatusCode, 404);
      assert.equal(headGone.$response?.headers['x-amz-delete-marker'], 'true');

      const marker = await expectError(s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', VersionId: del.VersionId })), 'MethodNotAllowed', 405);
      assert.equal(marker.$response?.headers['x-amz-delete-marker'], 'true');
      assert.equal(marker.$response?.headers.allow, 'DELETE');
      assert.ok(marker.$response?.headers['last-modified']);
      const headMarker = await failure(s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k', VersionId: del.VersionId })));
      assert.equal(headMarker.$metadata.httpStatusCode, 405);

      // removing the marker brings v2 back
      const undelete = await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k', VersionId: del.VersionId }));
      assert.equal(undelete.DeleteMarker, true);
      assert.equal(undelete.VersionId, del.VersionId);
      const back = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'k' }));
      assert.equal((await bodyOf(back)).toString(), 'two');
      assert.equal(back.VersionId, v2.VersionId);

      // permanent delete of a version
      const perm = await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k', VersionId: v2.VersionId }));
      assert.equal(perm.VersionId, v2.VersionId);
      assert.equal(perm.DeleteMarker, undefined);
      const now = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'k' }));
      assert.equal((await bodyOf(now)).toString(), 'one');
    });

    it('version ids: unknown → NoSuchVersion, malformed or empty → InvalidArgument', async () => {
      const b = await newBucket('Enabled');
      await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'x' }));
      await expectError(
        s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', VersionId: 'A'.repeat(32) })),
        'NoSuchVersion',
        404,
        'The specified version does not exist.',
      );
      await expectError(s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', VersionId: 'garbage' })), 'InvalidArgument', 400, 'Invalid version id specified');
      await expectError(s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k', VersionId: 'garbage' })), 'InvalidArgument', 400);
      const unknown = await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k', VersionId: 'A'.repeat(32) }));
      assert.equal(unknown.$metadata.httpStatusCode, 204);
    });

    it('Suspended: writes and delete markers take the null version', async () => {
      const b = await newBucket('Enabled');
      const kept = await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'kept' }));
      await s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Suspended' } }));
      // a write that creates the null version answers without x-amz-version-id, as AWS does
      const n1 = await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'null-1' }));
      assert.equal(n1.VersionId, undefined);
      const n2 = await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'null-2' }));
      assert.equal(n2.VersionId, undefined);
      const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', VersionId: 'null' }));
      assert.equal((await bodyOf(got)).toString(), 'null-2');
      const del = await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k' }));
      assert.equal(del.DeleteMarker, true);
      assert.equal(del.VersionId, 'null');
      await expectError(s3.send(new GetObjectCommand({ Bucket: b, Key: 'k' })), 'NoSuchKey', 404);
      const old = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', VersionId: kept.VersionId }));
      assert.equal((await bodyOf(old)).toString(), 'kept');
    });

    it('Unversioned: delete removes; a missing key is 204 too', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'to-delete', Body: 'x' }));
      const del = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'to-delete' }));
      assert.equal(del.$metadata.httpStatusCode, 204);
      assert.equal(del.DeleteMarker, undefined);
      assert.equal(del.VersionId, undefined);
      await expectError(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'to-delete' })), 'NotFound', 404);
      const again = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'to-delete' }));
      assert.equal(again.$metadata.httpStatusCode, 204);
    });
  });

  describe('DeleteObjects', () => {
    it('verbose and quiet results, per-key version ids and delete markers', async () => {
      const b = await newBucket('Enabled');
      const v = await s3.send(new PutObjectCommand({ Bucket: b, Key: 'v', Body: 'x' }));
      await s3.send(new PutObjectCommand({ Bucket: b, Key: 'm', Body: 'x' }));
      const out = await s3.send(
        new DeleteObjectsCommand({
          Bucket: b,
          Delete: {
            Objects: [{ Key: 'm' }, { Key: 'v', VersionId: v.VersionId }, { Key: 'never-existed' }, { Key: 'bad', VersionId: 'garbage' }],
          },
        }),
      );
      const byKey = new Map((out.Deleted ?? []).map((d) => [d.Key, d]));
      assert.equal(byKey.get('m')?.DeleteMarker, true);
      assert.match(byKey.get('m')?.DeleteMarkerVersionId ?? '', /^[A-Za-z0-9_-]{32}$/);
      assert.equal(byKey.get('v')?.VersionId, v.VersionId);
      assert.equal(byKey.get('v')?.DeleteMarker, undefined);
      assert.equal(byKey.get('never-existed')?.DeleteMarker, true);
      assert.deepEqual(out.Errors, [{ Key: 'bad', VersionId: 'garbage', Code: 'NoSuchVersion', Message: 'The specified version does not exist.' }]);
      await expectError(s3.send(new GetObjectCommand({ Bucket: b, Key: 'v', VersionId: v.VersionId })), 'NoSuchVersion', 404);

      const quiet = await s3.send(new DeleteObjectsCommand({ Bucket: b, Delete: { Quiet: true, Objects: [{ Key: 'm' }] } }));
      assert.equal(quiet.Deleted, undefined);
      assert.equal(quiet.Errors, undefined);
    });

    it('unversioned: keys are removed', async () => {
      const keys = Array.from({ length: 30 }, (_, i) => `batch/${i}`);
      for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }));
      const out = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
      assert.deepEqual(out.Deleted?.map((d) => d.Key), keys);
      for (const Key of keys) await expectError(s3.send(new HeadObjectCommand({ Bucket: bucket, Key })), 'NotFound', 404);
    });

    it('more than 1000 keys → MalformedXML', async () => {
      const Objects = Array.from({ length: 1001 }, (_, i) => ({ Key: `k${i}` }));
      await expectError(s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects } })), 'MalformedXML', 400);
      const ok = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Quiet: true, Objects: Objects.slice(0, 1000) } }));
      assert.equal(ok.$metadata.httpStatusCode, 200);
    });

    it('without Content-MD5 or a checksum → InvalidRequest', async () => {
      const client = editingClient(server, (req) => {
        for (const name of Object.keys(req.headers)) {
          const n = name.toLowerCase();
          if (n === 'content-md5' || n.startsWith('x-amz-checksum-') || n === 'x-amz-sdk-checksum-algorithm') delete req.headers[name];
        }
      });
      await expectError(
        client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'x' }] } })),
        'InvalidRequest',
        400,
        'Missing required header for this request: Content-MD5 OR x-amz-checksum-*',
      );
    });
  });

  describe('CopyObject', () => {
    let source: string;
    before(async () => {
      source = await newBucket('Enabled');
      await s3.send(
        new PutObjectCommand({
          Bucket: source,
          Key: 'src/file.txt',
          Body: 'copy me',
          ContentType: 'text/plain',
          Metadata: { origin: 'source' },
          Tagging: 'team=a',
        }),
      );
    });

    it('COPY directive: bytes, ETag, metadata and tags travel; source version id is reported', async () => {
      const out = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copied.txt', CopySource: `${source}/src/file.txt` }));
      assert.equal(out.CopyObjectResult?.ETag, `"${md5('copy me')}"`);
      assert.ok(out.CopyObjectResult?.LastModified instanceof Date);
      assert.match(out.CopySourceVersionId ?? '', /^[A-Za-z0-9_-]{32}$/);
      assert.equal(out.VersionId, undefined);
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'copied.txt' }));
      assert.equal((await bodyOf(got)).toString(), 'copy me');
      assert.equal(got.ContentType, 'text/plain');
      assert.deepEqual(got.Metadata, { origin: 'source' });
      assert.equal(got.TagCount, 1);
    });

    it('REPLACE directives: request metadata and tags; storage class change', async () => {
      await s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: 'replaced.txt',
          CopySource: `/${source}/src/file.txt`,
          MetadataDirective: 'REPLACE',
          ContentType: 'application/x-new',
          Metadata: { fresh: 'yes' },
          TaggingDirective: 'REPLACE',
          Tagging: 'x=1&y=2&z=3',
          StorageClass: 'GLACIER_IR',
        }),
      );
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'replaced.txt' }));
      assert.equal(head.ContentType, 'application/x-new');
      assert.deepEqual(head.Metadata, { fresh: 'yes' });
      assert.equal(head.StorageClass, 'GLACIER_IR');
      const tags = await server.server.metadata.getTags(bucket, 'replaced.txt');
      assert.deepEqual(tags?.tags.map((t) => t.key), ['x', 'y', 'z']);
      await s3.send(
        new CopyObjectCommand({ Bucket: bucket, Key: 'untagged.txt', CopySource: `${source}/src/file.txt`, TaggingDirective: 'REPLACE' }),
      );
      assert.equal((await server.server.metadata.getTags(bucket, 'untagged.txt'))?.tags.length, 0);
    });

    it('copies a named source version, URL-encoded keys included', async () => {
      const b = await newBucket('Enabled');
      const key = 'dir/ü ber+x.txt';
      const v1 = await s3.send(new PutObjectCommand({ Bucket: b, Key: key, Body: 'first' }));
      await s3.send(new PutObjectCommand({ Bucket: b, Key: key, Body: 'second' }));
      const out = await s3.send(
        new CopyObjectCommand({ Bucket: b, Key: 'restored', CopySource: `${b}/${encodeURIComponent(key)}?versionId=${v1.VersionId}` }),
      );
      assert.equal(out.CopySourceVersionId, v1.VersionId);
      assert.match(out.VersionId ?? '', /^[A-Za-z0-9_-]{32}$/);
      const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'restored' }));
      assert.equal((await bodyOf(got)).toString(), 'first');
      // copying an older version onto its own key restores it
      await s3.send(new CopyObjectCommand({ Bucket: b, Key: key, CopySource: `${b}/${encodeURIComponent(key)}?versionId=${v1.VersionId}` }));
      const latest = await s3.send(new GetObjectCommand({ Bucket: b, Key: key }));
      assert.equal((await bodyOf(latest)).toString(), 'first');
    });

    it('copying an object onto itself without changes → InvalidRequest; with REPLACE or a storage class it is allowed', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'self', Body: 'x', Metadata: { a: '1' } }));
      await expectError(
        s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'self', CopySource: `${bucket}/self` })),
        'InvalidRequest',
        400,
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      );
      await s3.send(
        new CopyObjectCommand({ Bucket: bucket, Key: 'self', CopySource: `${bucket}/self`, MetadataDirective: 'REPLACE', Metadata: { a: '2' } }),
      );
      assert.deepEqual((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'self' }))).Metadata, { a: '2' });
      await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'self', CopySource: `${bucket}/self`, StorageClass: 'STANDARD_IA' }));
      assert.equal((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'self' }))).StorageClass, 'STANDARD_IA');
    });

    it('copy-source conditions → 412 PreconditionFailed', async () => {
      const cs = `${source}/src/file.txt`;
      const etag = `"${md5('copy me')}"`;
      await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'c1', CopySource: cs, CopySourceIfMatch: etag }));
      await expectError(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'c2', CopySource: cs, CopySourceIfMatch: '"x"' })), 'PreconditionFailed', 412);
      await expectError(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'c2', CopySource: cs, CopySourceIfNoneMatch: etag })), 'PreconditionFailed', 412);
      const sourceModified = (await s3.send(new HeadObjectCommand({ Bucket: source, Key: 'src/file.txt' }))).LastModified;
      await expectError(
        s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'c2', CopySource: cs, CopySourceIfModifiedSince: sourceModified })),
        'PreconditionFailed',
        412,
      );
      await expectError(
        s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'c2', CopySource: cs, CopySourceIfUnmodifiedSince: new Date('2000-01-01T00:00:00Z') })),
        'PreconditionFailed',
        412,
      );
      await expectError(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'c2' })), 'NotFound', 404);
    });

    it('missing sources: NoSuchBucket, NoSuchKey, NoSuchVersion, delete markers', async () => {
      const b = await newBucket('Enabled');
      await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'x' }));
      const marker = await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k' }));
      await expectError(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 't', CopySource: `${bucketName('none')}/k` })), 'NoSuchBucket', 404);
      await expectError(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 't', CopySource: `${b}/missing` })), 'NoSuchKey', 404);
      await expectError(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 't', CopySource: `${b}/k` })), 'NoSuchKey', 404);
      await expectError(
        s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 't', CopySource: `${b}/k?versionId=${'A'.repeat(32)}` })),
        'NoSuchVersion',
        404,
      );
      await expectError(
        s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 't', CopySource: `${b}/k?versionId=${marker.VersionId}` })),
        'InvalidRequest',
        400,
        'The source of a copy request may not specifically refer to a delete marker by version id.',
      );
      await expectError(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 't', CopySource: 'no-slash' })), 'InvalidArgument', 400);
    });

    it('invalid directives → InvalidArgument', async () => {
      const cs = `${source}/src/file.txt`;
      await expectError(
        s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 't', CopySource: cs, MetadataDirective: 'MOVE' as 'COPY' })),
        'InvalidArgument',
        400,
        'Unknown metadata directive.',
      );
      await expectError(
        s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 't', CopySource: cs, TaggingDirective: 'KEEP' as 'COPY' })),
        'InvalidArgument',
        400,
        'Unknown tagging directive.',
      );
    });

    it("another account's source bucket → AccessDenied", async () => {
      const other = await server.createAccount('other');
      const otherClient = server.client(other);
      const theirs = bucketName('theirs');
      await otherClient.send(new CreateBucketCommand({ Bucket: theirs }));
      await otherClient.send(new PutObjectCommand({ Bucket: theirs, Key: 'secret', Body: 'x' }));
      await expectError(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'stolen', CopySource: `${theirs}/secret` })), 'AccessDenied', 403);
    });
  });

  describe('multipart objects (several blob segments)', () => {
    const MiB = 1024 * 1024;
    const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB), randomBytes(MiB + 123)];
    const whole = Buffer.concat(parts);
    let etag: string;
    before(async () => {
      const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mp', ContentType: 'application/x-mp' }));
      const done: { ETag: string; PartNumber: number }[] = [];
      for (const [i, body] of parts.entries()) {
        const up = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'mp', UploadId: created.UploadId, PartNumber: i + 1, Body: body }));
        done.push({ ETag: up.ETag ?? '', PartNumber: i + 1 });
      }
      const completed = await s3.send(
        new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'mp', UploadId: created.UploadId, MultipartUpload: { Parts: done } }),
      );
      etag = completed.ETag ?? '';
      assert.match(etag, /^"[0-9a-f]{32}-3"$/);
    });

    it('serves the parts in sequence', async () => {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'mp' }));
      assert.equal(got.ContentLength, whole.length);
      assert.equal(sha256(await bodyOf(got)), sha256(whole));
      assert.equal(got.ETag, etag);
    });

    it('honours a range across part boundaries', async () => {
      const start = 5 * MiB - 10;
      const end = 10 * MiB + 10;
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'mp', Range: `bytes=${start}-${end}` }));
      assert.equal(got.ContentRange, `bytes ${start}-${end}/${whole.length}`);
      assert.deepEqual(await bodyOf(got), whole.subarray(start, end + 1));
      const tail = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'mp', Range: 'bytes=-200' }));
      assert.deepEqual(await bodyOf(tail), whole.subarray(whole.length - 200));
    });

    it('partNumber selects a part, with PartsCount', async () => {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'mp', PartNumber: 2 }));
      assert.equal(got.$metadata.httpStatusCode, 206);
      assert.equal(got.PartsCount, 3);
      assert.equal(got.ContentRange, `bytes ${5 * MiB}-${10 * MiB - 1}/${whole.length}`);
      assert.deepEqual(await bodyOf(got), parts[1]);
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'mp', PartNumber: 3 }));
      assert.equal(head.ContentLength, parts[2]?.length);
      assert.equal(head.PartsCount, 3);
      const err = await expectError(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'mp', PartNumber: 4 })), 'InvalidPartNumber', 416);
      assert.equal(err.message, 'The requested partnumber is not satisfiable');
    });

    it('CopyObject keeps the parts and the -N ETag', async () => {
      const out = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'mp-copy', CopySource: `${bucket}/mp` }));
      assert.equal(out.CopyObjectResult?.ETag, etag);
      const part = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'mp-copy', PartNumber: 3 }));
      assert.deepEqual(await bodyOf(part), parts[2]);
      const copy = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'mp-copy' }));
      assert.equal(copy.ContentType, 'application/x-mp');
      assert.equal(sha256(await bodyOf(copy)), sha256(whole));
    });
  });

  describe('conditional writes', () => {
    it('If-None-Match: * refuses to overwrite; If-Match needs the current ETag', async () => {
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cw', Body: 'a', IfNoneMatch: '*' }));
      await expectError(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cw', Body: 'b', IfNoneMatch: '*' })), 'PreconditionFailed', 412);
      await expectError(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cw', Body: 'b', IfMatch: '"nope"' })), 'PreconditionFailed', 412);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cw', Body: 'c', IfMatch: put.ETag }));
      await expectError(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cw-missing', Body: 'b', IfMatch: '"x"' })), 'NoSuchKey', 404);
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cw' }));
      assert.equal((await bodyOf(got)).toString(), 'c');
    });
  });
});
