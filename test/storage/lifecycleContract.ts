import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { LifecycleConfiguration } from '../../src/core/lifecycle/LifecycleRule.js';
import type { LifecycleStore, LifecycleWrite } from '../../src/core/ports/LifecycleStore.js';
import type { MetadataStore } from '../../src/core/ports/MetadataStore.js';
import { bucketOf, deleteMarker, newVersion, upload } from './metadata/contractKit.js';

/** A fresh, empty backend: the metadata store (to make buckets and versions) and the lifecycle store on the same data. */
export interface LifecycleFixture {
  readonly metadata: MetadataStore;
  readonly lifecycle: LifecycleStore;
  close(): Promise<void>;
}

const CONFIG: LifecycleConfiguration = {
  rules: [
    {
      id: 'raw',
      status: 'Enabled',
      scope: { kind: 'filter', filter: { kind: 'and', and: { prefix: 'photos/', tags: [{ key: 'type', value: 'raw' }] } } },
      expiration: { kind: 'date', date: new Date('2030-01-01T00:00:00Z') },
      transitions: [{ kind: 'days', days: 30, storageClass: 'GLACIER' }],
      noncurrentVersionTransitions: [],
    },
  ],
};

const raw = [{ key: 'type', value: 'raw' }];

/**
 * The LifecycleStore contract: every backend runs it (test/storage/sqliteLifecycle.test.ts for SQLite). Each test gets
 * a fresh fixture.
 */
export function lifecycleStoreContract(name: string, open: () => Promise<LifecycleFixture>): void {
  const test = (title: string, body: (f: LifecycleFixture) => Promise<void>): void => {
    void it(`${name}: ${title}`, async () => {
      const f = await open();
      try {
        await body(f);
      } finally {
        await f.close();
      }
    });
  };

  test('a configuration round-trips (dates included), is listed, and goes with its bucket', async ({ metadata, lifecycle }) => {
    assert.equal(await lifecycle.putLifecycle('nope', { configuration: CONFIG, transitionMinimumSize: 'all_storage_classes_128K' }), 'missing');
    await metadata.createBucket(bucketOf('b1'));
    await metadata.createBucket(bucketOf('b2'));
    assert.equal(await lifecycle.getLifecycle('b1'), undefined);
    assert.equal(await lifecycle.putLifecycle('b1', { configuration: CONFIG, transitionMinimumSize: 'varies_by_storage_class' }), 'ok');
    const stored = await lifecycle.getLifecycle('b1');
    assert.deepEqual(stored, { configuration: CONFIG, transitionMinimumSize: 'varies_by_storage_class' });
    assert.ok(stored?.configuration.rules[0]?.expiration?.kind === 'date' && stored.configuration.rules[0].expiration.date instanceof Date);
    assert.deepEqual(await lifecycle.bucketsWithLifecycle(), ['b1']);
    assert.equal(await lifecycle.deleteLifecycle('b2'), 'ok');
    assert.equal(await lifecycle.deleteLifecycle('nope'), 'missing');
    assert.equal(await metadata.deleteBucket('b1'), 'deleted');
    assert.deepEqual(await lifecycle.bucketsWithLifecycle(), []);
    await metadata.createBucket(bucketOf('b1'));
    assert.equal(await lifecycle.getLifecycle('b1'), undefined, 'a bucket created again under the name has no rules');
  });

  test('scanKeys: whole stacks in key order under the prefix, page by page', async ({ metadata, lifecycle }) => {
    await metadata.createBucket(bucketOf('b', undefined, 'Enabled'));
    await metadata.createBucket(bucketOf('c'));
    for (const key of ['a/1', 'photos/1', 'photos/2', 'photos/3', 'q']) await metadata.putVersion(newVersion('b', key), { replaceNull: false });
    for (let i = 0; i < 4; i++) await metadata.putVersion(newVersion('b', 'photos/2', { tags: i === 3 ? raw : [] }), { replaceNull: false });
    await metadata.putVersion(newVersion('c', 'photos/1'), { replaceNull: false });
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await lifecycle.scanKeys('b', { prefix: 'photos/', ...(after === undefined ? {} : { after }), limit: 2 });
      for (const k of page.items) {
        seen.push(`${k.key}:${k.versions.length}`);
        assert.ok(k.versions.every((v, i) => i === 0 || v.seq < k.versions[i - 1]!.seq), 'newest first');
        assert.equal(k.versions.filter((v) => v.isLatest).length, 1);
      }
      after = page.next;
      pages++;
    } while (after !== undefined && pages < 10);
    assert.deepEqual(seen, ['photos/1:1', 'photos/2:5', 'photos/3:1']);
    const stack = (await lifecycle.scanKeys('b', { prefix: 'photos/2', limit: 100 })).items[0]!;
    assert.deepEqual(stack.versions[0]!.tags, raw);
    assert.deepEqual(stack.versions[1]!.tags, []);
  });

  test('scanTagged: only versions carrying the tag, in the bucket and under the prefix, with their stacks', async ({ metadata, lifecycle }) => {
    await metadata.createBucket(bucketOf('b', undefined, 'Enabled'));
    await metadata.createBucket(bucketOf('other'));
    const tagged = await metadata.putVersion(newVersion('b', 'photos/1', { tags: raw }), { replaceNull: false });
    await metadata.putVersion(newVersion('b', 'photos/1'), { replaceNull: false });
    await metadata.putVersion(newVersion('b', 'photos/2', { tags: [{ key: 'type', value: 'finished' }] }), { replaceNull: false });
    await metadata.putVersion(newVersion('b', 'docs/1', { tags: raw }), { replaceNull: false });
    await metadata.putVersion(newVersion('other', 'photos/1', { tags: raw }), { replaceNull: false });
    for (let i = 3; i < 8; i++) await metadata.putVersion(newVersion('b', `photos/${i}`, { tags: raw }), { replaceNull: false });
    const found: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await lifecycle.scanTagged('b', { tag: raw[0]!, prefix: 'photos/', ...(after === undefined ? {} : { after }), limit: 2 });
      for (const k of page.items) {
        found.push(k.key);
        if (k.key === 'photos/1') {
          assert.equal(k.versions.length, 2, 'the whole stack');
          assert.deepEqual(k.found, [tagged.versionId], 'only the tagged version is found');
        }
      }
      after = page.next;
      pages++;
    } while (after !== undefined && pages < 10);
    assert.deepEqual(found.sort(), ['photos/1', 'photos/3', 'photos/4', 'photos/5', 'photos/6', 'photos/7']);
  });

  test('scanUploads pages through the uploads under a prefix', async ({ metadata, lifecycle }) => {
    await metadata.createBucket(bucketOf('b'));
    for (const [key, id] of [['x/1', 'u1'], ['x/2', 'u2'], ['x/2', 'u3'], ['y', 'u4']] as const) await metadata.createUpload(upload('b', key, id));
    const ids: string[] = [];
    let after: string | undefined;
    do {
      const page = await lifecycle.scanUploads('b', { prefix: 'x/', ...(after === undefined ? {} : { after }), limit: 1 });
      ids.push(...page.items.map((u) => u.uploadId));
      after = page.next;
    } while (after !== undefined && ids.length < 10);
    assert.deepEqual(ids.sort(), ['u1', 'u2', 'u3']);
  });

  test('a unit applies guarded writes with its cursor and tally; stale writes change nothing', async ({ metadata, lifecycle }) => {
    await metadata.createBucket(bucketOf('b', undefined, 'Enabled'));
    const gone = await metadata.putVersion(newVersion('b', 'gone'), { replaceNull: false });
    const raced = await metadata.putVersion(newVersion('b', 'raced'), { replaceNull: false });
    const moved = await metadata.putVersion(newVersion('b', 'moved', { size: 10 }), { replaceNull: false });
    const marked = await metadata.putVersion(newVersion('b', 'marked'), { replaceNull: false });
    await metadata.createUpload(upload('b', 'u', 'up-1'));
    const pass = await lifecycle.startPass('b', new Date(1_800_000_000_000), 'test');
    assert.equal(pass.evaluatedAt.getTime(), 1_800_000_000_000);
    assert.deepEqual(pass.cursor, { phase: 'versions', scan: 0 });
    // a write that happens after the pass read "raced": its guard (the seq read) no longer holds
    const newer = await metadata.putVersion(newVersion('b', 'raced'), { replaceNull: false });
    const reason = { ruleId: 'r', bytes: 10 };
    const writes: LifecycleWrite[] = [
      { kind: 'deleteVersion', action: 'expire', key: 'gone', versionId: gone.versionId, seq: gone.seq, ...reason },
      { kind: 'addDeleteMarker', action: 'expire', key: 'raced', latestSeq: raced.seq, marker: deleteMarker('b', 'raced'), replaceNull: false, ...reason },
      { kind: 'transition', action: 'transition:GLACIER', key: 'moved', versionId: moved.versionId, seq: moved.seq, fromStorageClass: 'STANDARD', storageClass: 'GLACIER', segments: [{ blobId: `t${'a'.repeat(32)}`, size: 10 }], ...reason },
      { kind: 'addDeleteMarker', action: 'expire', key: 'marked', latestSeq: marked.seq, marker: deleteMarker('b', 'marked'), replaceNull: false, ...reason },
      { kind: 'abortUpload', action: 'abort-upload', uploadId: 'up-1', key: 'u', ruleId: 'r', bytes: 0 },
      { kind: 'abortUpload', action: 'abort-upload', uploadId: 'no-such-upload', key: 'u', ruleId: 'r', bytes: 0 },
    ];
    const outcomes = await lifecycle.commitUnit(pass.id, { cursor: { phase: 'versions', scan: 0, after: 'x' }, writes, errors: ['one error'] });
    assert.deepEqual(outcomes, ['done', 'stale', 'done', 'done', 'done', 'stale']);
    assert.equal(await metadata.getVersion('b', 'gone', gone.versionId), undefined);
    assert.equal((await metadata.getVersion('b', 'raced'))?.versionId, newer.versionId, 'the racing write stays current');
    const after = await metadata.getVersion('b', 'moved', moved.versionId);
    assert.equal(after?.storageClass, 'GLACIER');
    assert.deepEqual(after?.segments, [{ blobId: `t${'a'.repeat(32)}`, size: 10 }]);
    assert.equal(after?.versionId, moved.versionId);
    assert.ok((await metadata.takeReleasedBlobs(100)).includes(moved.segments[0]!.blobId), 'the old bytes are released');
    assert.equal((await metadata.getVersion('b', 'marked'))?.isDeleteMarker, true);
    assert.equal(await metadata.getUpload('b', 'u', 'up-1'), undefined);
    // replaying the same unit (a crash after the commit, before the caller saw it) acts on nothing twice
    const replay = await lifecycle.commitUnit(pass.id, { cursor: { phase: 'versions', scan: 0, after: 'x' }, writes });
    assert.deepEqual(replay, ['stale', 'stale', 'stale', 'stale', 'stale', 'stale']);
    const resumed = await lifecycle.startPass('b', new Date(), 'test');
    assert.equal(resumed.id, pass.id, 'an unfinished pass is resumed');
    assert.equal(resumed.evaluatedAt.getTime(), 1_800_000_000_000, 'at its own evaluation time');
    assert.deepEqual(resumed.cursor, { phase: 'versions', scan: 0, after: 'x' });
    assert.deepEqual(resumed.tally, {
      r: { objects: 4, bytes: 30, actions: { expire: 2, 'transition:GLACIER': 1, 'abort-upload': 1 } },
    });
    assert.equal(resumed.stale, 8);
    assert.deepEqual(resumed.errors, ['one error']);
    await lifecycle.finishPass(pass.id, new Date());
    const next = await lifecycle.startPass('b', new Date(), 'test');
    assert.notEqual(next.id, pass.id);
    const listed = await lifecycle.listPasses('b', 10);
    assert.deepEqual(listed.map((p) => p.id), [next.id, pass.id]);
    assert.ok(listed[1]!.finishedAt instanceof Date);
  });

  test('a restore belongs to its version and goes with an overwrite', async ({ metadata, lifecycle }) => {
    await metadata.createBucket(bucketOf('b'));
    const v = await metadata.putVersion(newVersion('b', 'k', { versionId: 'null', storageClass: 'GLACIER' }), { replaceNull: true });
    assert.equal(await lifecycle.putRestore('b', 'nope', 'null', { requestedAt: new Date(1), expiry: new Date(2) }), 'missing');
    assert.equal(await lifecycle.putRestore('b', 'k', v.versionId, { requestedAt: new Date(1000), expiry: new Date(5000) }), 'ok');
    assert.deepEqual(await lifecycle.getRestore('b', 'k', 'null'), { requestedAt: new Date(1000), expiry: new Date(5000) });
    await metadata.putVersion(newVersion('b', 'k', { versionId: 'null' }), { replaceNull: true });
    assert.equal(await lifecycle.getRestore('b', 'k', 'null'), undefined);
  });
}
