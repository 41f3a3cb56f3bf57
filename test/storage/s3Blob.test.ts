import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { CreateBucketCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { BlobLedger } from '../../src/core/ports/BlobLedger.js';
import { silentLog } from '../../src/core/ports/StorageLog.js';
import { S3Bucket } from '../../src/storage/blobs/s3/S3Bucket.js';
import { S3BlobStore } from '../../src/storage/blobs/s3/S3BlobStore.js';
import { recoverStorage } from '../../src/storage/recovery.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../support/testServer.js';
import { chunked, readAll, runBlobContract } from './blobContract.js';

/** The remote: a real Tessera on 127.0.0.1, started once for the file, with one bucket the stores write under. */
const BUCKET = 'blob-store';
let remote: Promise<TestServer> | undefined;
function theRemote(): Promise<TestServer> {
  remote ??= startTestServer().then(async (server) => {
    await server.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    return server;
  });
  return remote;
}
after(async () => {
  if (remote !== undefined) await (await remote).stop();
});

interface Opened {
  readonly blobs: S3BlobStore;
  readonly prefix: string;
  readonly server: TestServer;
}

/** A store on a fresh prefix of the remote bucket. */
async function openStore(options: { node?: string; partSize?: number; prefix?: string } = {}): Promise<Opened> {
  const server = await theRemote();
  const prefix = options.prefix ?? `t${randomBytes(6).toString('hex')}/`;
  const bucket = new S3Bucket({ bucket: BUCKET, endpoint: server.endpoint, region: 'us-east-1', credentials: ROOT_KEY });
  const blobs = new S3BlobStore({ bucket, prefix, node: options.node ?? 'n1', ...(options.partSize === undefined ? {} : { partSize: options.partSize }) });
  return { blobs, prefix, server };
}

async function keysUnder(server: TestServer, prefix: string): Promise<string[]> {
  const res = await server.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (res.Contents ?? []).map((c) => c.Key!.slice(prefix.length)).sort();
}

runBlobContract('s3 (a Tessera on 127.0.0.1)', {
  async create() {
    const { blobs } = await openStore({ partSize: 5 * 1024 * 1024 });
    return { blobs, dispose: () => blobs.close() };
  },
});

void describe('S3BlobStore specifics', () => {
  void it('keeps the bytes at blobs/<id> and a staged marker at staged/<node>/<id> until publish', async () => {
    const { blobs, prefix, server } = await openStore({ node: 'layout' });
    try {
      const { blobId } = await blobs.write(Readable.from([Buffer.from('hello')]));
      assert.deepEqual(await keysUnder(server, prefix), [`blobs/${blobId}`, `staged/layout/${blobId}`]);
      await blobs.publish([blobId]);
      assert.deepEqual(await keysUnder(server, prefix), [`blobs/${blobId}`]);
      await blobs.delete([blobId]);
      assert.deepEqual(await keysUnder(server, prefix), []);
    } finally {
      await blobs.close();
    }
  });

  void it('a long stream is a multipart upload of partSize parts', async () => {
    const { blobs, prefix, server } = await openStore({ partSize: 5 * 1024 * 1024 });
    try {
      const data = randomBytes(12 * 1024 * 1024 + 7);
      const { blobId, size } = await blobs.write(chunked(data, 100_000));
      assert.equal(size, data.length);
      const head = await server.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${prefix}blobs/${blobId}` }));
      assert.match(head.ETag ?? '', /-3"$/, 'three parts');
      assert.equal(head.ContentLength, data.length);
      assert.ok((await readAll(blobs.read(blobId, { start: 5 * 1024 * 1024 - 3, end: 10 * 1024 * 1024 + 3 }))).equals(data.subarray(5 * 1024 * 1024 - 3, 10 * 1024 * 1024 + 4)));
      const exact = randomBytes(10 * 1024 * 1024);
      const two = await blobs.write(chunked(exact, 1024 * 1024));
      assert.ok((await readAll(blobs.read(two.blobId))).equals(exact), 'a length that is a whole number of parts');
    } finally {
      await blobs.close();
    }
  });

  void it('a source failing mid-upload aborts the multipart upload and leaves no key', async () => {
    const { blobs, prefix, server } = await openStore({ partSize: 5 * 1024 * 1024 });
    try {
      const failure = new Error('body digest mismatch');
      let sent = 0;
      const source = new Readable({
        read() {
          this.push(randomBytes(1024 * 1024));
          if (++sent === 12) this.destroy(failure);
        },
      });
      await assert.rejects(blobs.write(source), (err) => err === failure);
      assert.deepEqual(await keysUnder(server, prefix), []);
      const uploads = await server.s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: prefix }));
      assert.deepEqual(uploads.Uploads ?? [], []);
    } finally {
      await blobs.close();
    }
  });

  void it("nodes sharing a prefix each list only their own staged blobs, and read each other's", async () => {
    const a = await openStore({ node: 'a' });
    const b = await openStore({ node: 'b', prefix: a.prefix });
    try {
      const fromA = await a.blobs.write(Readable.from([Buffer.from('from a')]));
      const fromB = await b.blobs.write(Readable.from([Buffer.from('from b')]));
      assert.deepEqual(await a.blobs.listStaged(), [fromA.blobId]);
      assert.deepEqual(await b.blobs.listStaged(), [fromB.blobId]);
      assert.equal((await readAll(a.blobs.read(fromB.blobId))).toString(), 'from b');
    } finally {
      await a.blobs.close();
      await b.blobs.close();
    }
  });

  void it('after a crash, recovery on the next start publishes the referenced staged blob and deletes the rest', async () => {
    const before = await openStore({ node: 'crashy' });
    const committed = await before.blobs.write(Readable.from([Buffer.from('committed')]));
    const orphan = await before.blobs.write(chunked(randomBytes(6 * 1024 * 1024), 1024 * 1024));
    await before.blobs.close(); // the crash: neither was published
    const after = await openStore({ node: 'crashy', prefix: before.prefix });
    try {
      const ledger: BlobLedger = {
        isBlobReferenced: (id) => Promise.resolve(id === committed.blobId),
        takeReleasedBlobs: () => Promise.resolve([]),
        forgetReleasedBlobs: () => Promise.resolve(),
        readInlineBlob: () => Promise.resolve(undefined),
      };
      const report = await recoverStorage(ledger, after.blobs, silentLog);
      assert.deepEqual({ published: report.published, discarded: report.discarded }, { published: 1, discarded: 1 });
      assert.deepEqual(await keysUnder(after.server, after.prefix), [`blobs/${committed.blobId}`]);
      assert.equal((await readAll(after.blobs.read(committed.blobId))).toString(), 'committed');
      await assert.rejects(readAll(after.blobs.read(orphan.blobId)), (err: NodeJS.ErrnoException) => err.code === 'ENOENT');
    } finally {
      await after.blobs.close();
    }
  });

  void it('a missing blob reads as an ENOENT error; copying one fails with it and stages nothing', async () => {
    const { blobs } = await openStore();
    try {
      await assert.rejects(readAll(blobs.read('a'.repeat(32))), (err: NodeJS.ErrnoException) => err.code === 'ENOENT' && /NoSuchKey/.test(err.message));
      await assert.rejects(blobs.copy('b'.repeat(32)), (err: NodeJS.ErrnoException) => err.code === 'ENOENT');
      assert.deepEqual(await blobs.listStaged(), []);
    } finally {
      await blobs.close();
    }
  });

  void it('lists more staged blobs than one listing page holds', async () => {
    const { blobs } = await openStore();
    try {
      const written = await Promise.all(Array.from({ length: 1005 }, () => blobs.write(Readable.from([Buffer.from('x')]))));
      assert.deepEqual((await blobs.listStaged()).sort(), written.map((w) => w.blobId).sort());
      await blobs.publish(written.map((w) => w.blobId));
      assert.deepEqual(await blobs.listStaged(), []);
    } finally {
      await blobs.close();
    }
  });

  void it('a wrong key is an error from the remote, not a hang or a silent success', async () => {
    const server = await theRemote();
    const bucket = new S3Bucket({ bucket: BUCKET, endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'NOSUCHKEY', secretAccessKey: 'wrong-secret' } });
    const blobs = new S3BlobStore({ bucket, prefix: 'denied/', node: 'n' });
    try {
      await assert.rejects(blobs.write(Readable.from([Buffer.from('x')])), /InvalidAccessKeyId/);
      await assert.rejects(readAll(blobs.read('c'.repeat(32))), /InvalidAccessKeyId/);
    } finally {
      await blobs.close();
    }
  });
});
