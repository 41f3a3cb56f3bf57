import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { pino } from 'pino';
import { loadConfig, type TesseraConfig } from '../../src/config/config.js';
import { startTessera, type RunningTessera } from '../../src/main.js';
import { ROOT_KEY, startTestServer, testConfig, type TestServer } from '../support/testServer.js';

const BLOB_BUCKET = 'tessera-a-blobs';
const PREFIX = 'node-a';

/** Server B holds the bytes; server A keeps its metadata locally and its blobs in B (TESSERA_BLOB_URL). */
void describe('a Tessera whose blobs live in another Tessera', () => {
  let b: TestServer;
  let a: RunningTessera;
  let aDir: string;
  let s3: S3Client;
  let aConfig: TesseraConfig;

  async function startA(): Promise<void> {
    a = await startTessera(aConfig, { logger: pino({ level: process.env.TESSERA_TEST_LOG ?? 'silent' }) });
    s3 = new S3Client({ endpoint: a.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: ROOT_KEY });
  }

  before(async () => {
    b = await startTestServer();
    await b.s3.send(new CreateBucketCommand({ Bucket: BLOB_BUCKET }));
    aDir = mkdtempSync(join(tmpdir(), 'tessera-test-'));
    const blobSettings = loadConfig(
      { 'blob-url': `s3://${BLOB_BUCKET}/${PREFIX}`, 'blob-endpoint': b.endpoint, 'blob-access-key-id': ROOT_KEY.accessKeyId, 'blob-secret-access-key': ROOT_KEY.secretAccessKey },
      {},
      aDir,
    ).blobStore;
    aConfig = { ...testConfig(aDir), blobStore: blobSettings };
    await startA();
    await s3.send(new CreateBucketCommand({ Bucket: 'photos' }));
  });

  after(async () => {
    s3?.destroy();
    await a?.close();
    await b?.stop();
    if (aDir !== undefined) rmSync(aDir, { recursive: true, force: true });
  });

  /** The blobs B holds for A: key → size. */
  async function blobsInB(): Promise<Map<string, number>> {
    const res = await b.s3.send(new ListObjectsV2Command({ Bucket: BLOB_BUCKET, Prefix: `${PREFIX}/blobs/` }));
    return new Map((res.Contents ?? []).map((c) => [c.Key!, c.Size!]));
  }

  async function bytesInB(key: string): Promise<Buffer> {
    const res = await b.s3.send(new GetObjectCommand({ Bucket: BLOB_BUCKET, Key: key }));
    return Buffer.from(await res.Body!.transformToByteArray());
  }

  async function get(key: string, range?: string): Promise<Buffer> {
    const res = await s3.send(new GetObjectCommand({ Bucket: 'photos', Key: key, ...(range === undefined ? {} : { Range: range }) }));
    return Buffer.from(await res.Body!.transformToByteArray());
  }

  async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!(await check())) {
      if (Date.now() > deadline) assert.fail(`not within 10 s: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  void it('PUT and GET, whole and ranged: B holds the bytes, and nothing stays staged', async () => {
    const data = randomBytes(300_000);
    await s3.send(new PutObjectCommand({ Bucket: 'photos', Key: 'cat.jpg', Body: data }));
    assert.ok((await get('cat.jpg')).equals(data));
    assert.ok((await get('cat.jpg', 'bytes=1000-1999')).equals(data.subarray(1000, 2000)));
    assert.ok((await get('cat.jpg', 'bytes=-10')).equals(data.subarray(-10)));
    const held = [...(await blobsInB()).entries()].filter(([, size]) => size === data.length);
    assert.equal(held.length, 1, 'one blob of that size in B');
    assert.ok((await bytesInB(held[0]![0])).equals(data), 'B holds the very bytes');
    const staged = await b.s3.send(new ListObjectsV2Command({ Bucket: BLOB_BUCKET, Prefix: `${PREFIX}/staged/` }));
    assert.equal(staged.KeyCount, 0, 'published: no staged marker left');
  });

  void it('multipart upload: parts are blobs in B, the object reads back whole and by range', async () => {
    const part1 = randomBytes(5 * 1024 * 1024);
    const part2 = randomBytes(1_234_567);
    const before = await blobsInB();
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'photos', Key: 'movie.mp4' }));
    const e1 = await s3.send(new UploadPartCommand({ Bucket: 'photos', Key: 'movie.mp4', UploadId, PartNumber: 1, Body: part1 }));
    const e2 = await s3.send(new UploadPartCommand({ Bucket: 'photos', Key: 'movie.mp4', UploadId, PartNumber: 2, Body: part2 }));
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'photos',
        Key: 'movie.mp4',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: e1.ETag! }, { PartNumber: 2, ETag: e2.ETag! }] },
      }),
    );
    const whole = Buffer.concat([part1, part2]);
    assert.ok((await get('movie.mp4')).equals(whole));
    const from = part1.length - 100;
    assert.ok((await get('movie.mp4', `bytes=${from}-${from + 199}`)).equals(whole.subarray(from, from + 200)), 'a range across the parts');
    const added = [...(await blobsInB()).entries()].filter(([key]) => !before.has(key)).map(([, size]) => size).sort((x, y) => x - y);
    assert.deepEqual(added, [part2.length, part1.length]);
  });

  void it('CopyObject copies within B; DELETE removes the bytes from B', async () => {
    const data = randomBytes(200_000);
    await s3.send(new PutObjectCommand({ Bucket: 'photos', Key: 'original', Body: data }));
    const before = await blobsInB();
    await s3.send(new CopyObjectCommand({ Bucket: 'photos', Key: 'copy', CopySource: 'photos/original' }));
    assert.ok((await get('copy')).equals(data));
    const copies = [...(await blobsInB()).keys()].filter((key) => !before.has(key));
    assert.equal(copies.length, 1, 'the copy is a blob of its own in B');
    assert.ok((await bytesInB(copies[0]!)).equals(data));

    await s3.send(new DeleteObjectCommand({ Bucket: 'photos', Key: 'original' }));
    await eventually(async () => (await blobsInB()).size === before.size, "the original's blob is reaped from B");
    assert.ok((await get('copy')).equals(data), 'the copy outlives the original');
    await s3.send(new DeleteObjectCommand({ Bucket: 'photos', Key: 'copy' }));
    await eventually(async () => !(await blobsInB()).has(copies[0]!), "the copy's blob is reaped from B");
  });

  void it('A keeps no blob files of its own, and serves its objects again after a restart', async () => {
    const entries = readdirSync(aDir);
    assert.ok(!entries.includes('blobs'), `no blobs dir in A's data dir: ${entries.join(', ')}`);
    const data = randomBytes(100_000);
    await s3.send(new PutObjectCommand({ Bucket: 'photos', Key: 'kept', Body: data }));
    s3.destroy();
    await a.close();
    await startA();
    assert.ok((await get('kept')).equals(data));
  });
});
