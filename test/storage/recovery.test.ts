import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { NULL_VERSION_ID } from '../../src/core/objects/ObjectVersion.js';
import type { BlobStore } from '../../src/core/ports/BlobStore.js';
import { FsBlobStore } from '../../src/storage/blobs/fs/FsBlobStore.js';
import { SqliteMetadataStore } from '../../src/storage/metadata/sqlite/SqliteMetadataStore.js';
import { recoverStorage } from '../../src/storage/recovery.js';
import { silentLog, type StorageLog } from '../../src/core/ports/StorageLog.js';
import { BlobReaper } from '../../src/workers/BlobReaper.js';
import { readAll } from './blobContract.js';
import { newVersion } from './metadataContract.js';

interface Stores {
  metadata: SqliteMetadataStore;
  blobs: FsBlobStore;
}

async function withStores(body: (stores: Stores) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-recovery-'));
  const metadata = await SqliteMetadataStore.open({ dataDir: dir });
  const blobs = await FsBlobStore.open({ dataDir: dir });
  try {
    await metadata.createBucket({
      name: 'b',
      ownerAccountId: '111111111111',
      region: 'us-east-1',
      createdAt: new Date(),
      versioning: 'Unversioned',
    });
    await body({ metadata, blobs });
  } finally {
    await metadata.close();
    await blobs.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function blob(blobs: BlobStore, text: string): Promise<{ blobId: string; size: number }> {
  return blobs.write(Readable.from([Buffer.from(text)]));
}

async function exists(blobs: BlobStore, blobId: string): Promise<boolean> {
  try {
    await readAll(blobs.read(blobId));
    return true;
  } catch {
    return false;
  }
}

void describe('recoverStorage', () => {
  void it('publishes referenced staged blobs, discards the rest and drains the outbox; a second run finds nothing', () =>
    withStores(async ({ metadata, blobs }) => {
      // Crash between commit and publish: the version refers to a staged blob.
      const committed = await blob(blobs, 'committed');
      await metadata.putVersion(newVersion('b', 'a', { versionId: NULL_VERSION_ID, segments: [committed] }), {
        replaceNull: true,
      });
      // A part likewise.
      await metadata.createUpload({
        uploadId: 'u1',
        bucket: 'b',
        key: 'm',
        initiated: new Date(),
        ownerAccountId: '111111111111',
        initiatorArn: 'arn:aws:iam::111111111111:root',
        storageClass: 'STANDARD',
        contentHeaders: {},
        userMetadata: {},
        tags: [],
      });
      const partBlob = await blob(blobs, 'part');
      await metadata.putPart({
        uploadId: 'u1',
        partNumber: 1,
        size: partBlob.size,
        etag: 'e',
        lastModified: new Date(),
        segment: partBlob,
      });
      // Crash before commit: nothing refers to this one.
      const orphan = await blob(blobs, 'orphan');
      // An overwritten object: its old blob sits in the outbox, published.
      const old = await blob(blobs, 'old');
      await metadata.putVersion(newVersion('b', 'c', { versionId: NULL_VERSION_ID, segments: [old] }), { replaceNull: true });
      await blobs.publish([old.blobId]);
      const current = await blob(blobs, 'new');
      await metadata.putVersion(newVersion('b', 'c', { versionId: NULL_VERSION_ID, segments: [current] }), {
        replaceNull: true,
      });
      await blobs.publish([current.blobId]);

      const messages: string[] = [];
      const log: StorageLog = { ...silentLog, info: (_obj, msg) => messages.push(msg) };
      assert.deepEqual(await recoverStorage(metadata, blobs, log), { published: 2, discarded: 1, reaped: 1 });
      assert.deepEqual(messages, ['storage recovered']);
      assert.deepEqual(await blobs.listStaged(), []);
      assert.equal((await readAll(blobs.read(committed.blobId))).toString(), 'committed');
      assert.equal((await readAll(blobs.read(partBlob.blobId))).toString(), 'part');
      assert.equal((await readAll(blobs.read(current.blobId))).toString(), 'new');
      assert.equal(await exists(blobs, orphan.blobId), false);
      assert.equal(await exists(blobs, old.blobId), false);
      assert.deepEqual(await metadata.takeReleasedBlobs(10), []);
      const published: string[] = [];
      for await (const id of blobs.listPublished()) published.push(id);
      assert.deepEqual(published.sort(), [committed.blobId, partBlob.blobId, current.blobId].sort());

      assert.deepEqual(await recoverStorage(metadata, blobs, silentLog), { published: 0, discarded: 0, reaped: 0 });
    }));

  void it("with stagedBefore, leaves younger staged blobs alone (another node's writes in flight)", () =>
    withStores(async ({ metadata, blobs }) => {
      const inFlight = await blob(blobs, 'in flight');
      const before = new Date(Date.now() - 60_000);
      assert.deepEqual(await recoverStorage(metadata, blobs, silentLog, { stagedBefore: before }), { published: 0, discarded: 0, reaped: 0 });
      assert.deepEqual(await blobs.listStaged(), [inFlight.blobId]);
      assert.deepEqual(await blobs.listStaged(new Date(Date.now() + 60_000)), [inFlight.blobId]);
      assert.deepEqual(await recoverStorage(metadata, blobs, silentLog, { stagedBefore: new Date(Date.now() + 60_000) }), {
        published: 0,
        discarded: 1,
        reaped: 0,
      });
      assert.deepEqual(await blobs.listStaged(), []);
    }));
});

void describe('BlobReaper', () => {
  void it('drains the outbox in bounded batches', () =>
    withStores(async ({ metadata, blobs }) => {
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        const b = await blob(blobs, `v${i}`);
        ids.push(b.blobId);
        await metadata.putVersion(newVersion('b', `k${i}`, { versionId: NULL_VERSION_ID, segments: [b] }), {
          replaceNull: true,
        });
        await blobs.publish([b.blobId]);
        await metadata.deleteVersion('b', `k${i}`, NULL_VERSION_ID);
      }
      const taken: number[] = [];
      const spy = Object.create(metadata) as SqliteMetadataStore;
      spy.takeReleasedBlobs = async (limit) => {
        const got = await metadata.takeReleasedBlobs(limit);
        taken.push(got.length);
        return got;
      };
      const reaper = new BlobReaper({ metadata: spy, blobs, log: silentLog, batchSize: 3 });
      assert.equal(await reaper.drain(), 7);
      assert.deepEqual(taken, [3, 3, 1]);
      for (const id of ids) assert.equal(await exists(blobs, id), false);
      assert.deepEqual(await metadata.takeReleasedBlobs(10), []);
      await reaper.stop();
      assert.equal(await reaper.drain(), 0, 'a stopped reaper does nothing');
    }));

  void it('kick, start and stop; a failing delete is logged and retried later', () =>
    withStores(async ({ metadata, blobs }) => {
      const b = await blob(blobs, 'x');
      await metadata.putVersion(newVersion('b', 'k', { versionId: NULL_VERSION_ID, segments: [b] }), { replaceNull: true });
      await metadata.deleteVersion('b', 'k', NULL_VERSION_ID);
      let failures = 1;
      const flaky = Object.create(blobs) as FsBlobStore;
      flaky.delete = async (ids) => {
        if (failures-- > 0) throw new Error('disk on fire');
        return blobs.delete(ids);
      };
      const errors: string[] = [];
      const reaper = new BlobReaper({
        metadata,
        blobs: flaky,
        log: { ...silentLog, error: (_obj, msg) => errors.push(msg) },
        intervalMs: 60_000,
      });
      reaper.start();
      await reaper.drain(); // waits for the start's round (which fails), then runs another one
      assert.equal(errors.length, 1);
      assert.deepEqual(await metadata.takeReleasedBlobs(10), []);
      assert.equal(await exists(blobs, b.blobId), false);
      reaper.kick();
      await reaper.stop();
    }));
});
