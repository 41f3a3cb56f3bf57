import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { describe, it } from 'node:test';
import { S3Error } from '../../src/errors/S3Error.js';
import { FsBlobStore } from '../../src/storage/blobs/fs/FsBlobStore.js';
import { chunked, readAll, runBlobContract } from './blobContract.js';

runBlobContract('fs', {
  async create() {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-blobs-'));
    const blobs = await FsBlobStore.open({ dataDir: dir });
    return {
      blobs,
      async dispose() {
        await blobs.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
});

async function withStore(body: (blobs: FsBlobStore, dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-blobs-'));
  const blobs = await FsBlobStore.open({ dataDir: dir });
  try {
    await body(blobs, dir);
  } finally {
    await blobs.close();
    await rm(dir, { recursive: true, force: true });
  }
}

void describe('FsBlobStore specifics', () => {
  void it('lays blobs out as blobs/staged/<id> then blobs/<aa>/<bb>/<id>', () =>
    withStore(async (blobs, dir) => {
      const { blobId } = await blobs.write(Readable.from([Buffer.from('hello')]));
      assert.match(blobId, /^[0-9a-f]{32}$/);
      const created = parseInt(blobId.slice(0, 12), 16);
      assert.ok(Math.abs(created - Date.now()) < 60_000, 'ids start with their creation time');
      assert.equal((await stat(join(dir, 'blobs', 'staged', blobId))).size, 5);
      await blobs.publish([blobId]);
      const final = join(dir, 'blobs', blobId.slice(28, 30), blobId.slice(30, 32), blobId);
      assert.equal((await stat(final)).size, 5);
      assert.deepEqual(await readdir(join(dir, 'blobs', 'staged')), []);
      const listed: string[] = [];
      for await (const id of blobs.listPublished()) listed.push(id);
      assert.deepEqual(listed, [blobId]);
    }));

  void it('rethrows an S3Error from body verification unchanged and removes the partial file', () =>
    withStore(async (blobs, dir) => {
      const bad = new S3Error('BadDigest');
      let seen = 0;
      const verifier = new Transform({
        transform(chunk: Buffer, _enc, done) {
          seen += chunk.length;
          done(seen > 200_000 ? bad : null, chunk);
        },
      });
      const source = chunked(randomBytes(500_000), 16_384).pipe(verifier);
      await assert.rejects(blobs.write(source), (err) => err === bad);
      assert.deepEqual(await readdir(join(dir, 'blobs', 'staged')), []);
    }));

  void it('listStaged ignores stray files that are not blob ids', () =>
    withStore(async (blobs, dir) => {
      await writeFile(join(dir, 'blobs', 'staged', 'README'), 'x');
      const { blobId } = await blobs.write(Readable.from([Buffer.from('a')]));
      assert.deepEqual(await blobs.listStaged(), [blobId]);
    }));

  void it('reads a large blob in big chunks', () =>
    withStore(async (blobs) => {
      const data = randomBytes(5 * 1024 * 1024);
      const { blobId } = await blobs.write(chunked(data, 65_536));
      await blobs.publish([blobId]);
      const sizes: number[] = [];
      for await (const chunk of blobs.read(blobId)) sizes.push((chunk as Buffer).length);
      assert.equal(sizes.reduce((a, b) => a + b, 0), data.length);
      assert.equal(Math.max(...sizes), 1024 * 1024);
      assert.ok((await readAll(blobs.read(blobId, { start: 1, end: data.length - 2 }))).equals(data.subarray(1, -1)));
    }));

  void it('rejects ids that are not blob ids instead of touching other paths', () =>
    withStore(async (blobs) => {
      await assert.rejects(blobs.publish(['../../etc/passwd']), /not a blob id/);
      await assert.rejects(blobs.delete(['..']), /not a blob id/);
      await assert.rejects(readAll(blobs.read('../x')), /not a blob id/);
    }));
});
