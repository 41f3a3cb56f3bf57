import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import type { BlobStore } from '../../src/core/ports/BlobStore.js';

/** One blob store under test, fresh and empty. */
export interface BlobFixture {
  readonly blobs: BlobStore;
  /** Close the store and remove its data. */
  dispose(): Promise<void>;
}

export interface BlobContractTarget {
  create(): Promise<BlobFixture>;
  /** Set to a reason to skip the whole suite. */
  readonly skip?: string;
}

/** The behaviour every BlobStore backend must have. */
export function runBlobContract(name: string, target: BlobContractTarget): void {
  const test = (title: string, body: (blobs: BlobStore) => Promise<void>): void => {
    void it(title, async () => {
      const fixture = await target.create();
      try {
        await body(fixture.blobs);
      } finally {
        await fixture.dispose();
      }
    });
  };

  void describe(`BlobStore contract: ${name}`, { skip: target.skip ?? false }, () => {
    test('write then read, staged and after publish', async (blobs) => {
      const data = randomBytes(100_000);
      const { blobId, size } = await blobs.write(chunked(data, 7_000));
      assert.equal(size, data.length);
      assert.deepEqual(await blobs.listStaged(), [blobId]);
      assert.ok((await readAll(blobs.read(blobId))).equals(data), 'staged blob reads back');
      await blobs.publish([blobId]);
      assert.deepEqual(await blobs.listStaged(), []);
      assert.ok((await readAll(blobs.read(blobId))).equals(data), 'published blob reads back');
    });

    test('ids are fresh for every write, even of identical bytes', async (blobs) => {
      const a = await blobs.write(Readable.from([Buffer.from('same')]));
      const b = await blobs.write(Readable.from([Buffer.from('same')]));
      assert.notEqual(a.blobId, b.blobId);
    });

    test('empty blob', async (blobs) => {
      const { blobId, size } = await blobs.write(Readable.from([]));
      assert.equal(size, 0);
      await blobs.publish([blobId]);
      assert.equal((await readAll(blobs.read(blobId))).length, 0);
    });

    test('large blob written from many chunks', async (blobs) => {
      const data = randomBytes(6 * 1024 * 1024 + 13);
      const { blobId, size } = await blobs.write(chunked(data, 64 * 1024));
      assert.equal(size, data.length);
      await blobs.publish([blobId]);
      assert.ok((await readAll(blobs.read(blobId))).equals(data));
    });

    test('ranges are inclusive; a range past the end stops at the end', async (blobs) => {
      const data = randomBytes(3 * 1024 * 1024 + 5);
      const { blobId } = await blobs.write(chunked(data, 100_000));
      const cases: [number, number][] = [
        [0, 0],
        [0, 9],
        [5, 5],
        [100, 1024 * 1024 + 100],
        [data.length - 1, data.length - 1],
        [data.length - 10, data.length + 1000],
        [1024 * 1024 - 1, 2 * 1024 * 1024],
      ];
      for (const published of [false, true]) {
        if (published) await blobs.publish([blobId]);
        for (const [start, end] of cases) {
          const got = await readAll(blobs.read(blobId, { start, end }));
          assert.ok(got.equals(data.subarray(start, end + 1)), `range ${start}-${end} published=${published}`);
        }
      }
    });

    test('a failing source rejects with its own error and leaves nothing behind', async (blobs) => {
      const failure = new Error('checksum mismatch');
      let sent = 0;
      const source = new Readable({
        read() {
          this.push(randomBytes(64 * 1024));
          if (++sent === 5) this.destroy(failure);
        },
      });
      await assert.rejects(blobs.write(source), (err) => err === failure);
      assert.deepEqual(await blobs.listStaged(), []);

      const immediate = new Readable({
        read() {
          this.destroy(failure);
        },
      });
      await assert.rejects(blobs.write(immediate), (err) => err === failure);
      assert.deepEqual(await blobs.listStaged(), []);
    });

    test('publish is idempotent and ignores blobs deleted meanwhile', async (blobs) => {
      const { blobId } = await blobs.write(Readable.from([Buffer.from('x')]));
      await blobs.publish([blobId]);
      await blobs.publish([blobId]);
      assert.equal((await readAll(blobs.read(blobId))).toString(), 'x');
      const gone = await blobs.write(Readable.from([Buffer.from('y')]));
      await blobs.delete([gone.blobId]);
      await blobs.publish([gone.blobId]);
      await assert.rejects(readAll(blobs.read(gone.blobId)));
      await blobs.publish([]);
    });

    test('delete removes staged and published blobs; missing ones are ignored', async (blobs) => {
      const staged = await blobs.write(Readable.from([Buffer.from('s')]));
      const published = await blobs.write(Readable.from([Buffer.from('p')]));
      const kept = await blobs.write(Readable.from([Buffer.from('k')]));
      await blobs.publish([published.blobId, kept.blobId]);
      await blobs.delete([staged.blobId, published.blobId, '0'.repeat(32)]);
      assert.deepEqual(await blobs.listStaged(), []);
      await assert.rejects(readAll(blobs.read(staged.blobId)));
      await assert.rejects(readAll(blobs.read(published.blobId)));
      assert.equal((await readAll(blobs.read(kept.blobId))).toString(), 'k');
      await blobs.delete([staged.blobId]);
    });

    test('reading a missing blob is a stream error', async (blobs) => {
      const stream = blobs.read('f'.repeat(32));
      await assert.rejects(readAll(stream));
      await assert.rejects(readAll(blobs.read('not-a-blob-id/../../etc/passwd')));
    });

    test('copy makes a new staged blob with the same bytes', async (blobs) => {
      const data = randomBytes(300_000);
      const original = await blobs.write(chunked(data, 50_000));
      const fromStaged = await blobs.copy(original.blobId);
      await blobs.publish([original.blobId]);
      const fromPublished = await blobs.copy(original.blobId);
      for (const copy of [fromStaged, fromPublished]) {
        assert.notEqual(copy.blobId, original.blobId);
        assert.equal(copy.size, data.length);
        assert.ok((await readAll(blobs.read(copy.blobId))).equals(data));
      }
      assert.deepEqual((await blobs.listStaged()).sort(), [fromStaged.blobId, fromPublished.blobId].sort());
      await blobs.delete([original.blobId]);
      assert.ok((await readAll(blobs.read(fromStaged.blobId))).equals(data), 'a copy does not share the original');
      await assert.rejects(blobs.copy(original.blobId));
      assert.equal((await blobs.listStaged()).length, 2, 'a failed copy leaves nothing staged');
    });

    test('concurrent writes', async (blobs) => {
      const payloads = Array.from({ length: 25 }, (_, i) => randomBytes(1000 + i * 997));
      const written = await Promise.all(payloads.map((p) => blobs.write(chunked(p, 333))));
      assert.equal(new Set(written.map((w) => w.blobId)).size, 25);
      await blobs.publish(written.map((w) => w.blobId));
      for (const [i, w] of written.entries()) {
        assert.equal(w.size, payloads[i]!.length);
        assert.ok((await readAll(blobs.read(w.blobId))).equals(payloads[i]!));
      }
    });
  });
}

export function chunked(data: Buffer, chunkSize: number): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += chunkSize) chunks.push(data.subarray(i, i + chunkSize));
  return Readable.from(chunks);
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
