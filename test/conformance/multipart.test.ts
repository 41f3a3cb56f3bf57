import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { checksumOf } from '../../src/core/checksums/createHasher.js';
import { bucketName } from '../support/names.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../support/testServer.js';

const MIB = 1024 * 1024;

function pattern(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed * 7) & 0xff;
  return out;
}

const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

function multipartEtag(parts: Buffer[]): string {
  const h = createHash('md5');
  for (const p of parts) h.update(createHash('md5').update(p).digest());
  return `"${h.digest('hex')}-${parts.length}"`;
}

/** An S3 error with this code and HTTP status. */
function s3Error(code: string, status: number, message?: RegExp): (err: unknown) => boolean {
  return (err: unknown) => {
    const e = err as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    assert.equal(e.name, code, `error ${e.name}: ${e.message}`);
    assert.equal(e.$metadata?.httpStatusCode, status);
    if (message !== undefined) assert.match(e.message ?? '', message);
    return true;
  };
}

async function bytesOf(body: unknown): Promise<Buffer> {
  const b = body as { transformToByteArray(): Promise<Uint8Array> };
  return Buffer.from(await b.transformToByteArray());
}

describe('multipart uploads (AWS SDK v3)', () => {
  let server: TestServer;
  let s3: S3Client;
  /** A client that sends no flexible checksum unless asked (requestChecksumCalculation WHEN_REQUIRED). */
  let plain: S3Client;
  let bucket: string;

  before(async () => {
    server = await startTestServer();
    s3 = server.s3;
    plain = new S3Client({
      endpoint: server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: ROOT_KEY,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    bucket = bucketName('mpu');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  after(async () => {
    plain.destroy();
    await server.stop();
  });

  async function upload(
    key: string,
    parts: Buffer[],
    create: Partial<ConstructorParameters<typeof CreateMultipartUploadCommand>[0]> = {},
  ): Promise<{ uploadId: string; completed: CompletedPart[] }> {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ...create }));
    assert.ok(UploadId);
    const completed: CompletedPart[] = [];
    for (const [i, data] of parts.entries()) {
      const r = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: i + 1, Body: data }));
      completed.push({ PartNumber: i + 1, ETag: r.ETag });
    }
    return { uploadId: UploadId, completed };
  }

  describe('the happy path', () => {
    const key = 'dir/big object.bin';
    const part1 = pattern(5 * MIB, 1);
    const part2 = pattern(123_457, 2);
    let uploadId: string;

    it('creates an upload with a URL-safe, opaque id', async () => {
      const r = await s3.send(
        new CreateMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          ContentType: 'application/x-test',
          CacheControl: 'max-age=60',
          Metadata: { color: 'blue' },
          Tagging: 'team=data&stage=raw',
          StorageClass: 'STANDARD_IA',
        }),
      );
      assert.equal(r.Bucket, bucket);
      assert.equal(r.Key, key);
      assert.ok(r.UploadId);
      assert.match(r.UploadId, /^[A-Za-z0-9_-]{32,}$/);
      uploadId = r.UploadId;
    });

    it('uploads parts whose ETag is the quoted MD5, replacing a part re-sent with the same number', async () => {
      const wrong = await s3.send(
        new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: 1, Body: pattern(5 * MIB, 9) }),
      );
      assert.equal(wrong.ETag, `"${md5(pattern(5 * MIB, 9))}"`);
      const r1 = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: 1, Body: part1 }));
      assert.equal(r1.ETag, `"${md5(part1)}"`);
      const r2 = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: 2, Body: part2 }));
      assert.equal(r2.ETag, `"${md5(part2)}"`);
    });

    it('lists the parts, page by page', async () => {
      const page1 = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MaxParts: 1 }));
      assert.equal(page1.IsTruncated, true);
      assert.equal(page1.MaxParts, 1);
      assert.equal(page1.NextPartNumberMarker, '1');
      assert.equal(page1.Parts?.length, 1);
      assert.equal(page1.Parts?.[0]?.PartNumber, 1);
      assert.equal(page1.Parts?.[0]?.Size, part1.length);
      assert.equal(page1.Parts?.[0]?.ETag, `"${md5(part1)}"`);
      assert.ok(page1.Parts?.[0]?.LastModified instanceof Date);
      assert.equal(page1.StorageClass, 'STANDARD_IA');
      assert.match(page1.Owner?.ID ?? '', /^[0-9a-f]{64}$/);
      assert.equal(page1.Initiator?.ID, page1.Owner?.ID, 'the root user initiates as its account');
      const page2 = await s3.send(
        new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumberMarker: page1.NextPartNumberMarker }),
      );
      assert.equal(page2.IsTruncated, false);
      assert.deepEqual(page2.Parts?.map((p) => p.PartNumber), [2]);
    });

    it('lists the upload in progress', async () => {
      const r = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      const mine = r.Uploads?.find((u) => u.UploadId === uploadId);
      assert.ok(mine);
      assert.equal(mine.Key, key);
      assert.equal(mine.StorageClass, 'STANDARD_IA');
      assert.ok(mine.Initiated instanceof Date);
    });

    it('completes into one object with the multipart ETag, metadata and tags of the upload', async () => {
      const r = await s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: {
            Parts: [
              { PartNumber: 1, ETag: `"${md5(part1)}"` },
              { PartNumber: 2, ETag: md5(part2) }, // unquoted is fine too
            ],
          },
        }),
      );
      assert.equal(r.ETag, multipartEtag([part1, part2]));
      assert.equal(r.Bucket, bucket);
      assert.equal(r.Key, key);
      assert.equal(r.Location, `${server.endpoint}/${bucket}/dir/big%20object.bin`);
      assert.equal(r.VersionId, undefined, 'no x-amz-version-id in a never-versioned bucket');

      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      assert.equal(head.ContentLength, part1.length + part2.length);
      assert.equal(head.ETag, multipartEtag([part1, part2]));
      assert.equal(head.ContentType, 'application/x-test');
      assert.equal(head.CacheControl, 'max-age=60');
      assert.deepEqual(head.Metadata, { color: 'blue' });
      assert.equal(head.StorageClass, 'STANDARD_IA');

      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      assert.ok((await bytesOf(got.Body)).equals(Buffer.concat([part1, part2])));

      const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
      assert.deepEqual(tags.TagSet, [
        { Key: 'stage', Value: 'raw' },
        { Key: 'team', Value: 'data' },
      ]);
    });

    it('serves each part with GetObject ?partNumber', async () => {
      const p1 = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, PartNumber: 1 }));
      assert.equal(p1.PartsCount, 2);
      assert.equal(p1.ContentLength, part1.length);
      assert.ok((await bytesOf(p1.Body)).equals(part1));
      const p2 = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, PartNumber: 2 }));
      assert.ok((await bytesOf(p2.Body)).equals(part2));
      assert.equal(p2.ContentRange, `bytes ${part1.length}-${part1.length + part2.length - 1}/${part1.length + part2.length}`);
    });

    it('completing again (a retry) answers as the first completion did', async () => {
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      const again = await s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: `"${md5(part1)}"` }] },
        }),
      );
      assert.equal(again.ETag, head.ETag);
      assert.equal(again.Key, key);
      await assert.rejects(
        s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: 'another-key',
            UploadId: uploadId,
            MultipartUpload: { Parts: [{ PartNumber: 1, ETag: `"${md5(part1)}"` }] },
          }),
        ),
        s3Error('NoSuchUpload', 404),
        'the remembered completion is for its own key only',
      );
    });

    it('the upload is gone: listing its parts or aborting it → NoSuchUpload', async () => {
      await assert.rejects(s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId })), s3Error('NoSuchUpload', 404));
      await assert.rejects(
        s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })),
        s3Error('NoSuchUpload', 404),
      );
      const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      assert.ok(!(listed.Uploads ?? []).some((u) => u.UploadId === uploadId));
    });
  });

  it('completing in a versioned bucket returns x-amz-version-id', async () => {
    const versioned = bucketName('mpuv');
    await s3.send(new CreateBucketCommand({ Bucket: versioned }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: 'Enabled' } }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: versioned, Key: 'v' }));
    const part = await s3.send(new UploadPartCommand({ Bucket: versioned, Key: 'v', UploadId, PartNumber: 1, Body: 'one' }));
    const r = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: versioned,
        Key: 'v',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    assert.ok(r.VersionId);
    const head = await s3.send(new HeadObjectCommand({ Bucket: versioned, Key: 'v' }));
    assert.equal(head.VersionId, r.VersionId);
  });

  it('aborts: 204, then the upload is gone', async () => {
    const { uploadId } = await upload('to-abort', [Buffer.from('x')]);
    const r = await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'to-abort', UploadId: uploadId }));
    assert.equal(r.$metadata.httpStatusCode, 204);
    await assert.rejects(
      s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'to-abort', UploadId: uploadId, PartNumber: 2, Body: 'y' })),
      s3Error('NoSuchUpload', 404),
    );
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'to-abort' })), s3Error('NotFound', 404));
  });

  describe('errors', () => {
    it('part numbers outside 1..10000 → InvalidArgument', async () => {
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'pn' }));
      for (const PartNumber of [0, 10001]) {
        await assert.rejects(
          s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'pn', UploadId, PartNumber, Body: 'x' })),
          s3Error('InvalidArgument', 400, /^Part number must be an integer between 1 and 10000, inclusive$/),
        );
      }
      await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'pn', UploadId, PartNumber: 10000, Body: 'x' }));
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'pn', UploadId }));
    });

    it('an unknown upload id, or one for another key → NoSuchUpload', async () => {
      await assert.rejects(
        s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'k', UploadId: 'no-such-upload', PartNumber: 1, Body: 'x' })),
        s3Error('NoSuchUpload', 404),
      );
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mine' }));
      await assert.rejects(
        s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'other', UploadId, PartNumber: 1, Body: 'x' })),
        s3Error('NoSuchUpload', 404),
      );
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'mine', UploadId }));
    });

    it('parts out of order → InvalidPartOrder', async () => {
      const { uploadId, completed } = await upload('order', [pattern(5 * MIB, 3), Buffer.from('b')]);
      await assert.rejects(
        s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: 'order',
            UploadId: uploadId,
            MultipartUpload: { Parts: [completed[1] as CompletedPart, completed[0] as CompletedPart] },
          }),
        ),
        s3Error('InvalidPartOrder', 400),
      );
    });

    it('a part that was not uploaded, or a wrong ETag → InvalidPart', async () => {
      const { uploadId, completed } = await upload('invalid-part', [Buffer.from('a')]);
      const complete = (Parts: CompletedPart[]) =>
        s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'invalid-part', UploadId: uploadId, MultipartUpload: { Parts } }));
      await assert.rejects(complete([...completed, { PartNumber: 2, ETag: completed[0]?.ETag }]), s3Error('InvalidPart', 400));
      await assert.rejects(complete([{ PartNumber: 1, ETag: `"${md5(Buffer.from('b'))}"` }]), s3Error('InvalidPart', 400));
      // the failed attempts left the upload in place
      const r = await complete(completed);
      assert.equal(r.ETag, multipartEtag([Buffer.from('a')]));
    });

    it('a part other than the last below 5 MiB → EntityTooSmall', async () => {
      const { uploadId, completed } = await upload('small', [Buffer.from('tiny'), Buffer.from('tail')]);
      await assert.rejects(
        s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'small', UploadId: uploadId, MultipartUpload: { Parts: completed } })),
        s3Error('EntityTooSmall', 400, /^Your proposed upload is smaller than the minimum allowed size$/),
      );
    });

    it('an empty part list → MalformedXML', async () => {
      const { uploadId } = await upload('empty-list', [Buffer.from('a')]);
      await assert.rejects(
        s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'empty-list', UploadId: uploadId, MultipartUpload: { Parts: [] } })),
        s3Error('MalformedXML', 400),
      );
    });

    it('an invalid x-amz-tagging refuses the upload and creates nothing', async () => {
      await assert.rejects(
        s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'bad-tags', Tagging: 'aws:reserved=1' })),
        s3Error('InvalidTag', 400),
      );
      await assert.rejects(
        s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'bad-tags', Tagging: 'a=1&a=2' })),
        s3Error('InvalidArgument', 400),
      );
      const r = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: 'bad-tags' }));
      assert.equal(r.Uploads, undefined);
    });

    it('an unknown storage class → InvalidStorageClass', async () => {
      await assert.rejects(
        s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'sc', StorageClass: 'ICEBOX' as 'STANDARD' })),
        s3Error('InvalidStorageClass', 400),
      );
    });

    it('If-None-Match: * on an existing key → PreconditionFailed, and the upload survives', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'exists', Body: 'old' }));
      const { uploadId, completed } = await upload('exists', [Buffer.from('new')]);
      await assert.rejects(
        s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: 'exists',
            UploadId: uploadId,
            IfNoneMatch: '*',
            MultipartUpload: { Parts: completed },
          }),
        ),
        s3Error('PreconditionFailed', 412),
      );
      await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'exists', UploadId: uploadId }));
    });
  });

  describe('ListMultipartUploads', () => {
    let lb: string;
    const keys = ['a', 'a', 'p/1', 'p/2', 'p/q/3', 'z'];

    before(async () => {
      lb = bucketName('mpul');
      await s3.send(new CreateBucketCommand({ Bucket: lb }));
      for (const Key of keys) await s3.send(new CreateMultipartUploadCommand({ Bucket: lb, Key }));
    });

    it('pages with key-marker and upload-id-marker', async () => {
      const seen: string[] = [];
      let KeyMarker: string | undefined;
      let UploadIdMarker: string | undefined;
      for (let page = 0; page < 10; page++) {
        const r = await s3.send(new ListMultipartUploadsCommand({ Bucket: lb, MaxUploads: 2, KeyMarker, UploadIdMarker }));
        assert.equal(r.MaxUploads, 2);
        for (const u of r.Uploads ?? []) seen.push(u.Key ?? '');
        if (r.IsTruncated !== true) break;
        KeyMarker = r.NextKeyMarker;
        UploadIdMarker = r.NextUploadIdMarker;
      }
      assert.deepEqual(seen, keys);
    });

    it('groups by delimiter under a prefix', async () => {
      const top = await s3.send(new ListMultipartUploadsCommand({ Bucket: lb, Delimiter: '/' }));
      assert.deepEqual(top.Uploads?.map((u) => u.Key), ['a', 'a', 'z']);
      assert.deepEqual(top.CommonPrefixes?.map((c) => c.Prefix), ['p/']);
      assert.equal(top.Delimiter, '/');
      const inner = await s3.send(new ListMultipartUploadsCommand({ Bucket: lb, Prefix: 'p/', Delimiter: '/' }));
      assert.deepEqual(inner.Uploads?.map((u) => u.Key), ['p/1', 'p/2']);
      assert.deepEqual(inner.CommonPrefixes?.map((c) => c.Prefix), ['p/q/']);
      assert.equal(inner.Prefix, 'p/');
    });

    it('encoding-type=url encodes keys', async () => {
      await s3.send(new CreateMultipartUploadCommand({ Bucket: lb, Key: 'sp ace+plus' }));
      const r = await s3.send(new ListMultipartUploadsCommand({ Bucket: lb, Prefix: 'sp', EncodingType: 'url' }));
      assert.equal(r.EncodingType, 'url');
      assert.deepEqual(r.Uploads?.map((u) => u.Key), ['sp%20ace%2Bplus']);
    });

    it('max-uploads must be a non-negative integer', async () => {
      await assert.rejects(s3.send(new ListMultipartUploadsCommand({ Bucket: lb, MaxUploads: -1 })), s3Error('InvalidArgument', 400));
    });
  });

  describe('checksums', () => {
    it('SHA256 COMPOSITE: parts carry their checksum, the object gets the checksum of the checksums', async () => {
      const key = 'sha';
      const c = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ChecksumAlgorithm: 'SHA256' }));
      assert.equal(c.ChecksumAlgorithm, 'SHA256');
      assert.equal(c.ChecksumType, 'COMPOSITE');
      const datas = [pattern(5 * MIB, 5), Buffer.from('last part')];
      const parts: CompletedPart[] = [];
      for (const [i, Body] of datas.entries()) {
        const r = await s3.send(
          new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: c.UploadId, PartNumber: i + 1, Body, ChecksumAlgorithm: 'SHA256' }),
        );
        assert.equal(r.ChecksumSHA256, await checksumOf('SHA256', Body));
        parts.push({ PartNumber: i + 1, ETag: r.ETag, ChecksumSHA256: r.ChecksumSHA256 });
      }
      const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: c.UploadId }));
      assert.equal(listed.ChecksumAlgorithm, 'SHA256');
      assert.equal(listed.Parts?.[0]?.ChecksumSHA256, parts[0]?.ChecksumSHA256);

      await assert.rejects(
        s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            UploadId: c.UploadId,
            MultipartUpload: { Parts: parts.map(({ PartNumber, ETag }) => ({ PartNumber, ETag })) },
          }),
        ),
        s3Error('InvalidRequest', 400, /The upload was created using a sha256 checksum\. The complete request must include the checksum for each part\. It was missing for part 1 in the request\./),
      );
      const done = await s3.send(
        new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: c.UploadId, MultipartUpload: { Parts: parts } }),
      );
      const raw = Buffer.concat(parts.map((p) => Buffer.from(p.ChecksumSHA256 ?? '', 'base64')));
      assert.equal(done.ChecksumSHA256, `${createHash('sha256').update(raw).digest('base64')}-2`);
      assert.equal(done.ChecksumType, 'COMPOSITE');
      // the SDK does not try to validate a composite checksum against the bytes
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
      assert.ok((await bytesOf(got.Body)).equals(Buffer.concat(datas)));
    });

    it('computes the part checksum when the client sends none', async () => {
      const c = await plain.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'computed', ChecksumAlgorithm: 'CRC32C' }));
      const body = Buffer.from('no checksum sent');
      const r = await plain.send(new UploadPartCommand({ Bucket: bucket, Key: 'computed', UploadId: c.UploadId, PartNumber: 1, Body: body }));
      assert.equal(r.ChecksumCRC32C, await checksumOf('CRC32C', body));
      await plain.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'computed', UploadId: c.UploadId }));
    });

    it('a part checksum of another algorithm → InvalidRequest', async () => {
      const c = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mismatch', ChecksumAlgorithm: 'SHA1' }));
      await assert.rejects(
        s3.send(
          new UploadPartCommand({ Bucket: bucket, Key: 'mismatch', UploadId: c.UploadId, PartNumber: 1, Body: 'x', ChecksumAlgorithm: 'CRC32' }),
        ),
        s3Error('InvalidRequest', 400, /^Checksum Type mismatch occurred, expected checksum Type: sha1, actual checksum Type: crc32$/),
      );
    });

    it('CRC32 FULL_OBJECT: the object checksum is the CRC32 of all its bytes', async () => {
      const key = 'full';
      const c = await s3.send(
        new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ChecksumAlgorithm: 'CRC32', ChecksumType: 'FULL_OBJECT' }),
      );
      assert.equal(c.ChecksumType, 'FULL_OBJECT');
      const datas = [pattern(5 * MIB, 6), pattern(1000, 7)];
      const parts: CompletedPart[] = [];
      for (const [i, Body] of datas.entries()) {
        const r = await s3.send(
          new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: c.UploadId, PartNumber: i + 1, Body, ChecksumAlgorithm: 'CRC32' }),
        );
        parts.push({ PartNumber: i + 1, ETag: r.ETag, ChecksumCRC32: r.ChecksumCRC32 });
      }
      const done = await s3.send(
        new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: c.UploadId, MultipartUpload: { Parts: parts } }),
      );
      assert.equal(done.ChecksumCRC32, await checksumOf('CRC32', Buffer.concat(datas)));
      assert.equal(done.ChecksumType, 'FULL_OBJECT');
      // the SDK validates a full-object checksum against the bytes it reads
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
      assert.equal(got.ChecksumCRC32, done.ChecksumCRC32);
      assert.ok((await bytesOf(got.Body)).equals(Buffer.concat(datas)));
    });

    // x-amz-checksum-<alg> on CompleteMultipartUpload states the object's checksum, not the XML body's
    it('checks the full-object checksum the client states on completion', async () => {
      const key = 'stated';
      const data = Buffer.from('stated checksum');
      const c = await s3.send(
        new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ChecksumAlgorithm: 'CRC32', ChecksumType: 'FULL_OBJECT' }),
      );
      const r = await s3.send(
        new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: c.UploadId, PartNumber: 1, Body: data, ChecksumAlgorithm: 'CRC32' }),
      );
      const Parts = [{ PartNumber: 1, ETag: r.ETag }];
      await assert.rejects(
        s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            UploadId: c.UploadId,
            ChecksumCRC32: await checksumOf('CRC32', Buffer.from('something else')),
            ChecksumType: 'FULL_OBJECT',
            MultipartUpload: { Parts },
          }),
        ),
        s3Error('BadDigest', 400, /^The CRC32 you specified did not match the calculated checksum\.$/),
      );
      const done = await s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: c.UploadId,
          ChecksumCRC32: await checksumOf('CRC32', data),
          ChecksumType: 'FULL_OBJECT',
          MpuObjectSize: data.length,
          MultipartUpload: { Parts },
        }),
      );
      assert.equal(done.ChecksumCRC32, await checksumOf('CRC32', data));
    });

    it('refuses checksum type/algorithm combinations AWS refuses', async () => {
      await assert.rejects(
        s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'combo', ChecksumAlgorithm: 'SHA256', ChecksumType: 'FULL_OBJECT' })),
        s3Error('InvalidRequest', 400, /FULL_OBJECT checksum type cannot be used with the sha256 checksum algorithm/),
      );
      await assert.rejects(
        s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'combo', ChecksumAlgorithm: 'CRC64NVME', ChecksumType: 'COMPOSITE' })),
        s3Error('InvalidRequest', 400),
      );
    });
  });

  describe('UploadPartCopy', () => {
    const source = pattern(6 * MIB + 10, 8);

    before(async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'copy-source', Body: source }));
    });

    it('copies whole objects and ranges of them into parts', async () => {
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'copied' }));
      const whole = await s3.send(
        new UploadPartCopyCommand({ Bucket: bucket, Key: 'copied', UploadId, PartNumber: 1, CopySource: `${bucket}/copy-source?versionId=null` }),
      );
      assert.equal(whole.CopyPartResult?.ETag, `"${md5(source)}"`);
      assert.ok(whole.CopyPartResult?.LastModified instanceof Date);
      const head = await s3.send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key: 'copied',
          UploadId,
          PartNumber: 2,
          CopySource: `${bucket}/copy-source`,
          CopySourceRange: `bytes=0-${5 * MIB - 1}`,
        }),
      );
      assert.equal(head.CopyPartResult?.ETag, `"${md5(source.subarray(0, 5 * MIB))}"`);
      const tail = await s3.send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key: 'copied',
          UploadId,
          PartNumber: 3,
          CopySource: `/${bucket}/copy-source`,
          CopySourceRange: `bytes=${5 * MIB}-${source.length - 1}`,
          CopySourceIfMatch: `"${md5(source)}"`,
        }),
      );
      await s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: 'copied',
          UploadId,
          MultipartUpload: {
            Parts: [
              { PartNumber: 1, ETag: whole.CopyPartResult?.ETag },
              { PartNumber: 2, ETag: head.CopyPartResult?.ETag },
              { PartNumber: 3, ETag: tail.CopyPartResult?.ETag },
            ],
          },
        }),
      );
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'copied' }));
      assert.ok((await bytesOf(got.Body)).equals(Buffer.concat([source, source])));
    });

    it('copies from a multipart object across its part boundary', async () => {
      const a = pattern(5 * MIB, 11);
      const b = pattern(100, 12);
      const { uploadId, completed } = await upload('mp-source', [a, b]);
      await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'mp-source', UploadId: uploadId, MultipartUpload: { Parts: completed } }));
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mp-copy' }));
      const r = await s3.send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key: 'mp-copy',
          UploadId,
          PartNumber: 1,
          CopySource: `${bucket}/mp-source`,
          CopySourceRange: `bytes=${5 * MIB - 10}-${5 * MIB + 9}`,
        }),
      );
      const expected = Buffer.concat([a, b]).subarray(5 * MIB - 10, 5 * MIB + 10);
      assert.equal(r.CopyPartResult?.ETag, `"${md5(expected)}"`);
    });

    it('range and source errors', async () => {
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'copy-errors' }));
      const copy = (extra: Partial<ConstructorParameters<typeof UploadPartCopyCommand>[0]>) =>
        s3.send(
          new UploadPartCopyCommand({ Bucket: bucket, Key: 'copy-errors', UploadId, PartNumber: 1, CopySource: `${bucket}/copy-source`, ...extra }),
        );
      await assert.rejects(copy({ CopySourceRange: 'bytes=0-' }), s3Error('InvalidArgument', 400, /must be of the form bytes=first-last/));
      await assert.rejects(copy({ CopySourceRange: 'bytes=5-2' }), s3Error('InvalidArgument', 400));
      await assert.rejects(
        copy({ CopySourceRange: `bytes=0-${source.length}` }),
        s3Error('InvalidArgument', 400, new RegExp(`^Range specified is not valid for source object of size: ${source.length}$`)),
      );
      await assert.rejects(copy({ CopySource: `${bucket}/no-such-key` }), s3Error('NoSuchKey', 404));
      await assert.rejects(copy({ CopySourceIfMatch: '"0123456789abcdef0123456789abcdef"' }), s3Error('PreconditionFailed', 412));
      await assert.rejects(copy({ PartNumber: 0 }), s3Error('InvalidArgument', 400));
      await assert.rejects(copy({ UploadId: 'nope' }), s3Error('NoSuchUpload', 404));
    });

    it('uses the upload checksum algorithm for copied parts', async () => {
      const c = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'copy-sum', ChecksumAlgorithm: 'CRC32' }));
      const r = await s3.send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key: 'copy-sum',
          UploadId: c.UploadId,
          PartNumber: 1,
          CopySource: `${bucket}/copy-source`,
          CopySourceRange: 'bytes=0-99',
        }),
      );
      assert.equal(r.CopyPartResult?.ChecksumCRC32, await checksumOf('CRC32', source.subarray(0, 100)));
    });
  });
});
