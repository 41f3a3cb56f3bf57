import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { LifecycleWrite } from '../../../src/core/ports/LifecycleStore.js';
import { PostgresDatabase } from '../../../src/storage/metadata/postgres/PostgresDatabase.js';
import { PostgresMetadataStore } from '../../../src/storage/metadata/postgres/PostgresMetadataStore.js';
import { PostgresLifecycleStore } from '../../../src/storage/metadata/postgres/lifecycle/PostgresLifecycleStore.js';
import { createTestDatabase } from '../../support/postgresCluster.js';
import { lifecycleStoreContract } from '../lifecycleContract.js';
import { lifecyclePassContract } from '../lifecyclePassContract.js';
import { bucketOf, deleteMarker, newVersion, upload } from '../metadata/contractKit.js';
import { openPostgres } from './postgresFeedFixtures.js';

async function openLifecycle(): Promise<{ metadata: PostgresMetadataStore; lifecycle: PostgresLifecycleStore; close(): Promise<void> }> {
  const opened = await openPostgres((d) => new PostgresLifecycleStore(d));
  return { metadata: opened.metadata, lifecycle: opened.store, close: () => opened.close() };
}

lifecycleStoreContract('PostgreSQL', openLifecycle);
lifecyclePassContract('PostgreSQL', openLifecycle);

/** Two nodes (two pools) on one new database. */
async function twoNodes(): Promise<{
  nodes: { metadata: PostgresMetadataStore; lifecycle: PostgresLifecycleStore }[];
  close: () => Promise<void>;
}> {
  const created = await createTestDatabase();
  const databases = [await PostgresDatabase.open(created.url, { max: 6 }), await PostgresDatabase.open(created.url, { max: 6 })];
  return {
    nodes: databases.map((d) => ({ metadata: new PostgresMetadataStore(d), lifecycle: new PostgresLifecycleStore(d) })),
    close: async () => {
      for (const d of databases) await d.close();
      await created.dispose();
    },
  };
}

void it('PostgreSQL: two nodes committing the same unit at once act on each version once', async () => {
  const { nodes, close } = await twoNodes();
  try {
    const [a, b] = [nodes[0]!, nodes[1]!];
    await a.metadata.createBucket(bucketOf('b', undefined, 'Enabled'));
    const reason = { ruleId: 'r', bytes: 10 };
    const writes: LifecycleWrite[] = [];
    const released: string[] = [];
    for (let i = 0; i < 8; i++) {
      const gone = await a.metadata.putVersion(newVersion('b', `gone/${i}`), { replaceNull: false });
      await a.metadata.putVersion(newVersion('b', `gone/${i}`), { replaceNull: false }); // gone/i's version is noncurrent
      writes.push({ kind: 'deleteVersion', action: 'expire-noncurrent', key: `gone/${i}`, versionId: gone.versionId, seq: gone.seq, ...reason });
      released.push(gone.segments[0]!.blobId);
      const current = await b.metadata.putVersion(newVersion('b', `marked/${i}`), { replaceNull: false });
      writes.push({ kind: 'addDeleteMarker', action: 'expire', key: `marked/${i}`, latestSeq: current.seq, marker: deleteMarker('b', `marked/${i}`), replaceNull: false, ...reason });
      const cold = await a.metadata.putVersion(newVersion('b', `cold/${i}`), { replaceNull: false });
      writes.push({
        kind: 'transition', action: 'transition:GLACIER', key: `cold/${i}`, versionId: cold.versionId, seq: cold.seq,
        fromStorageClass: 'STANDARD', storageClass: 'GLACIER', segments: [{ blobId: `t${String(i).padStart(32, '0')}`, size: 10 }], ...reason,
      });
      released.push(cold.segments[0]!.blobId);
      await b.metadata.createUpload(upload('b', `up/${i}`, `upload-${i}`));
      writes.push({ kind: 'abortUpload', action: 'abort-upload', uploadId: `upload-${i}`, key: `up/${i}`, ruleId: 'r', bytes: 0 });
    }
    const [passA, passB] = await Promise.all([a.lifecycle.startPass('b', new Date(1_800_000_000_000), 'test'), b.lifecycle.startPass('b', new Date(), 'test')]);
    assert.equal(passA.id, passB.id, 'two nodes starting the first pass at once run the same pass');
    const cursor = { phase: 'versions' as const, scan: 0, after: 'z' };
    const [outA, outB] = await Promise.all([
      a.lifecycle.commitUnit(passA.id, { cursor, writes }),
      b.lifecycle.commitUnit(passB.id, { cursor, writes: [...writes].reverse() }),
    ]);
    const reversedB = [...outB].reverse();
    writes.forEach((w, i) => {
      assert.deepEqual([outA[i], reversedB[i]].sort(), ['done', 'stale'], `${w.kind} ${'key' in w ? w.key : ''}: done by exactly one node`);
    });
    const resumed = await a.lifecycle.startPass('b', new Date(), 'test');
    assert.equal(resumed.stale, writes.length);
    assert.deepEqual(resumed.tally, {
      r: { objects: 32, bytes: 240, actions: { 'expire-noncurrent': 8, expire: 8, 'transition:GLACIER': 8, 'abort-upload': 8 } },
    });
    for (let i = 0; i < 8; i++) {
      const marked = await b.metadata.listVersions('b', { prefix: `marked/${i}`, limit: 10 });
      assert.deepEqual(marked.map((v) => [v.isDeleteMarker, v.isLatest]), [[true, true], [false, false]], `marked/${i}: one marker`);
      assert.equal((await a.metadata.listVersions('b', { prefix: `gone/${i}`, limit: 10 })).length, 1);
      assert.equal((await b.metadata.getVersion('b', `cold/${i}`))?.storageClass, 'GLACIER');
    }
    const taken = await a.metadata.takeReleasedBlobs(1000);
    assert.deepEqual([...taken].sort(), [...released].sort(), 'each old blob released once, no new one');
  } finally {
    await close();
  }
});

void it('PostgreSQL: guarded writes racing object writes on another node never break a key\'s stack', async () => {
  const { nodes, close } = await twoNodes();
  try {
    const [a, b] = [nodes[0]!, nodes[1]!];
    await a.metadata.createBucket(bucketOf('b', undefined, 'Enabled'));
    const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
    const current = await Promise.all(keys.map((k) => a.metadata.putVersion(newVersion('b', k), { replaceNull: false })));
    const pass = await a.lifecycle.startPass('b', new Date(), 'test');
    const reason = { ruleId: 'r', bytes: 10 };
    const writes: LifecycleWrite[] = keys.flatMap((key, i) => [
      { kind: 'addDeleteMarker' as const, action: 'expire', key, latestSeq: current[i]!.seq, marker: deleteMarker('b', key), replaceNull: false, ...reason },
      { kind: 'deleteVersion' as const, action: 'expire', key, versionId: current[i]!.versionId, seq: current[i]!.seq, ...reason },
    ]);
    const [outcomes] = await Promise.all([
      a.lifecycle.commitUnit(pass.id, { cursor: { phase: 'versions', scan: 0 }, writes }),
      Promise.all(keys.map((k) => b.metadata.putVersion(newVersion('b', k), { replaceNull: false }))),
    ]);
    for (const [i, key] of keys.entries()) {
      const stack = await b.metadata.listVersions('b', { prefix: key, limit: 10 });
      assert.equal(stack.filter((v) => v.isLatest).length, 1, `${key}: one latest`);
      assert.equal(stack[0]!.isLatest, true, `${key}: the newest is the latest`);
      const [marked, deleted] = [outcomes[2 * i], outcomes[2 * i + 1]];
      // the marker goes on top only while the version read is current; the version itself goes whatever is on top
      assert.equal(deleted, 'done');
      assert.equal(stack.length, marked === 'done' ? 2 : 1, `${key}: ${stack.map((v) => (v.isDeleteMarker ? 'marker' : 'object')).join(', ')}`);
      assert.equal(stack.some((v) => v.versionId === current[i]!.versionId), false);
    }
  } finally {
    await close();
  }
});
