import assert from 'node:assert/strict';
import { mulberry32 } from '../support/seededRandom.js';
import { it } from 'node:test';
import { NULL_VERSION_ID } from '../../src/core/objects/ObjectVersion.js';
import type { MetadataStore } from '../../src/core/ports/MetadataStore.js';
import type { BucketStats, StorageStatsStore, TagStats, TagValueCount } from '../../src/core/ports/StorageStatsStore.js';
import type { Tag } from '../../src/core/tags/Tag.js';
import { bucketOf, deleteMarker, newVersion, part, upload } from './metadata/contractKit.js';

/** What the figures must equal: a count from scratch over the backend's own rows (the test's oracle; sync or not). */
export interface StatsRecount {
  buckets(): BucketStats[] | Promise<BucketStats[]>;
  /** Current non-delete-marker versions per (bucket, key, value) for the given tag keys, sorted. */
  tags(keys: readonly string[]): TagStats[] | Promise<TagStats[]>;
}

export interface StorageStatsFixture {
  readonly metadata: MetadataStore;
  readonly stats: StorageStatsStore;
  readonly recount: StatsRecount;
  close(): Promise<void>;
}

const TAG_KEYS = ['project', 'class', 'other'] as const;

/** The StorageStatsStore contract: every backend runs it (test/storage/sqliteStorageStats.test.ts for SQLite). */
export function storageStatsContract(name: string, open: () => Promise<StorageStatsFixture>): void {
  const test = (title: string, body: (f: StorageStatsFixture) => Promise<void>): void => {
    void it(`${name}: ${title}`, async () => {
      const f = await open();
      try {
        await body(f);
      } finally {
        await f.close();
      }
    });
  };

  /** The kept figures equal the recount: buckets, tracked values, and countByTag for tracked and untracked keys. */
  async function check(f: StorageStatsFixture, step: string): Promise<void> {
    const tracked = await f.stats.trackedTagKeys();
    const buckets = await f.recount.buckets();
    assert.deepEqual(await f.stats.bucketStats(), buckets, `bucket figures after ${step}`);
    assert.deepEqual(await f.stats.trackedTagStats(), await f.recount.tags(tracked), `tag figures after ${step}`);
    const all = await f.recount.tags(TAG_KEYS);
    for (const { bucket } of buckets) {
      for (const key of TAG_KEYS) {
        const expected: TagValueCount[] = all
          .filter((t) => t.bucket === bucket && t.key === key)
          .map((t) => ({ value: t.value, objects: t.objects, bytes: t.bytes }));
        assert.deepEqual(await f.stats.countByTag(bucket, key), expected, `countByTag(${bucket}, ${key}) after ${step}`);
      }
    }
  }

  const figures = async (f: StorageStatsFixture, bucket: string): Promise<Omit<BucketStats, 'bucket'> | undefined> => {
    const s = await f.stats.bucketStatsOf(bucket);
    if (s === undefined) return undefined;
    const { bucket: _b, ...rest } = s;
    return rest;
  };
  const tagged = (pairs: Record<string, string>): Tag[] => Object.entries(pairs).map(([key, value]) => ({ key, value }));

  test('an unversioned bucket: put, overwrite, retag, delete', async (f) => {
    const { metadata: m, stats } = f;
    await stats.setTrackedTagKeys(['project']);
    await m.createBucket(bucketOf('b'));
    assert.deepEqual(await figures(f, 'b'), { objects: 0, objectBytes: 0, versions: 0, versionBytes: 0, deleteMarkers: 0 });
    const put = (key: string, size: number, tags: Record<string, string> = {}) =>
      m.putVersion(newVersion('b', key, { versionId: NULL_VERSION_ID, size, tags: tagged(tags) }), { replaceNull: true });
    await put('a', 100, { project: 'x', other: '1' });
    await put('c', 50, { project: 'y' });
    await check(f, 'two puts');
    assert.deepEqual(await figures(f, 'b'), { objects: 2, objectBytes: 150, versions: 2, versionBytes: 150, deleteMarkers: 0 });
    await put('a', 30, { project: 'y' }); // overwrite in place: x loses a, y gains it at its new size
    await check(f, 'an overwrite');
    assert.deepEqual(await stats.countByTag('b', 'project'), [{ value: 'y', objects: 2, bytes: 80 }]);
    await m.replaceTags('b', 'c', undefined, tagged({ project: 'x' }));
    await check(f, 'a tag replace');
    await m.replaceTags('b', 'c', undefined, []);
    await check(f, 'a tag delete');
    await m.deleteVersion('b', 'a', NULL_VERSION_ID);
    await check(f, 'a delete');
    assert.deepEqual(await stats.trackedTagStats(), []);
    assert.deepEqual(await figures(f, 'b'), { objects: 1, objectBytes: 50, versions: 1, versionBytes: 50, deleteMarkers: 0 });
  });

  test('a versioned bucket: noncurrent versions, delete markers, promotion after deleting the latest', async (f) => {
    const { metadata: m, stats } = f;
    await stats.setTrackedTagKeys(['project', 'class']);
    await m.createBucket(bucketOf('v', '111111111111', 'Enabled'));
    const v1 = await m.putVersion(newVersion('v', 'k', { size: 10, tags: tagged({ project: 'old' }) }), { replaceNull: false });
    const v2 = await m.putVersion(newVersion('v', 'k', { size: 20, tags: tagged({ project: 'new', class: 'c' }) }), { replaceNull: false });
    await check(f, 'two versions');
    assert.deepEqual(await figures(f, 'v'), { objects: 1, objectBytes: 20, versions: 2, versionBytes: 30, deleteMarkers: 0 });
    const marker = await m.putVersion(deleteMarker('v', 'k'), { replaceNull: false });
    await check(f, 'a delete marker');
    assert.deepEqual(await figures(f, 'v'), { objects: 0, objectBytes: 0, versions: 2, versionBytes: 30, deleteMarkers: 1 });
    assert.deepEqual(await stats.trackedTagStats(), []);
    await m.deleteVersion('v', 'k', marker.versionId); // v2 is current again, with its tags
    await check(f, 'removing the delete marker');
    assert.deepEqual(await stats.countByTag('v', 'project'), [{ value: 'new', objects: 1, bytes: 20 }]);
    await m.replaceTags('v', 'k', v1.versionId, tagged({ project: 'older' })); // noncurrent: counts nothing
    await check(f, 'retagging a noncurrent version');
    await m.deleteVersion('v', 'k', v2.versionId); // v1 promoted
    await check(f, 'deleting the latest version');
    assert.deepEqual(await stats.countByTag('v', 'project'), [{ value: 'older', objects: 1, bytes: 10 }]);
    await m.deleteVersion('v', 'k', v1.versionId);
    await check(f, 'deleting the last version');
    assert.deepEqual(await figures(f, 'v'), { objects: 0, objectBytes: 0, versions: 0, versionBytes: 0, deleteMarkers: 0 });
  });

  test('a suspended bucket: the null version replaced wherever it is in the stack', async (f) => {
    const { metadata: m, stats } = f;
    await stats.setTrackedTagKeys(['project']);
    await m.createBucket(bucketOf('s', '111111111111', 'Suspended'));
    await m.putVersion(newVersion('s', 'k', { versionId: NULL_VERSION_ID, size: 5, tags: tagged({ project: 'p' }) }), { replaceNull: true });
    await m.putVersion(newVersion('s', 'k', { size: 7, tags: tagged({ project: 'q' }) }), { replaceNull: false });
    await check(f, 'a versioned write over the null version');
    await m.putVersion(newVersion('s', 'k', { versionId: NULL_VERSION_ID, size: 9, tags: tagged({ project: 'p' }) }), { replaceNull: true });
    await check(f, 'a null write replacing the noncurrent null version');
    await m.putVersion(deleteMarker('s', 'k', NULL_VERSION_ID), { replaceNull: true });
    await check(f, 'a null delete marker replacing the current null version');
    await m.putVersion(newVersion('s', 'k', { versionId: NULL_VERSION_ID, size: 11, tags: tagged({ project: 'r' }) }), { replaceNull: true });
    await check(f, 'a null version over the null delete marker');
    assert.deepEqual(await figures(f, 's'), { objects: 1, objectBytes: 11, versions: 2, versionBytes: 18, deleteMarkers: 0 });
  });

  test('multipart completion counts the object and its tags', async (f) => {
    const { metadata: m, stats } = f;
    await stats.setTrackedTagKeys(['class']);
    await m.createBucket(bucketOf('b'));
    await m.createUpload({ ...upload('b', 'big', 'u1'), tags: tagged({ class: 'gold' }) });
    const p1 = part('u1', 1);
    const p2 = part('u1', 2);
    await m.putPart(p1);
    await m.putPart(p2);
    await check(f, 'parts uploaded (not an object yet)');
    const size = p1.size + p2.size;
    const done = await m.completeUpload(
      'u1',
      newVersion('b', 'big', { versionId: NULL_VERSION_ID, size, segments: [p1.segment, p2.segment], partSizes: [p1.size, p2.size], tags: tagged({ class: 'gold' }) }),
      { replaceNull: true },
    );
    assert.equal(done.status, 'ok');
    await check(f, 'a completion');
    assert.deepEqual(await stats.countByTag('b', 'class'), [{ value: 'gold', objects: 1, bytes: size }]);
  });

  test('tracking a key counts what is already there; untracking drops its figures', async (f) => {
    const { metadata: m, stats } = f;
    await m.createBucket(bucketOf('b'));
    await m.createBucket(bucketOf('c'));
    for (let i = 0; i < 5; i++) {
      await m.putVersion(newVersion(i < 3 ? 'b' : 'c', `k${i}`, { versionId: NULL_VERSION_ID, size: i, tags: tagged({ project: i % 2 === 0 ? 'even' : 'odd' }) }), { replaceNull: true });
    }
    assert.deepEqual(await stats.trackedTagStats(), []);
    await check(f, 'nothing tracked');
    await stats.setTrackedTagKeys(['project', 'class']);
    assert.deepEqual(await stats.trackedTagKeys(), ['class', 'project']);
    await check(f, 'tracking project and class');
    assert.equal((await stats.trackedTagStats()).length, 4);
    await stats.setTrackedTagKeys(['project', 'class']); // unchanged: nothing counted twice
    await check(f, 'the same keys again');
    await stats.setTrackedTagKeys(['class']);
    await check(f, 'untracking project');
    assert.deepEqual(await stats.trackedTagStats(), []);
  });

  test('the figures go with the bucket', async (f) => {
    const { metadata: m, stats } = f;
    await stats.setTrackedTagKeys(['project']);
    await m.createBucket(bucketOf('gone'));
    await m.createBucket(bucketOf('kept'));
    await m.putVersion(newVersion('gone', 'k', { versionId: NULL_VERSION_ID, tags: tagged({ project: 'p' }) }), { replaceNull: true });
    await m.putVersion(newVersion('kept', 'k', { versionId: NULL_VERSION_ID, tags: tagged({ project: 'p' }) }), { replaceNull: true });
    await m.deleteVersion('gone', 'k', NULL_VERSION_ID);
    assert.equal(await m.deleteBucket('gone'), 'deleted');
    await check(f, 'a bucket delete');
    assert.equal(await stats.bucketStatsOf('gone'), undefined);
    assert.deepEqual((await stats.bucketStats()).map((s) => s.bucket), ['kept']);
    await m.createBucket(bucketOf('gone'));
    assert.deepEqual(await figures(f, 'gone'), { objects: 0, objectBytes: 0, versions: 0, versionBytes: 0, deleteMarkers: 0 });
    await check(f, 'the bucket created again');
  });

  test('a randomized sequence of writes keeps every figure equal to a recount', async (f) => {
    const seed = Number(process.env.TESSERA_STATS_SEED ?? Date.now() % 1_000_000);
    const random = mulberry32(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const { metadata: m, stats } = f;
    const buckets = [
      { name: 'r-plain', versioning: 'Unversioned' as const },
      { name: 'r-versioned', versioning: 'Enabled' as const },
      { name: 'r-suspended', versioning: 'Suspended' as const },
    ];
    for (const b of buckets) await m.createBucket(bucketOf(b.name, '111111111111', b.versioning));
    await stats.setTrackedTagKeys(['project', 'class']);
    const ids = new Map<string, string[]>(); // bucket/key → version ids written
    const keys = ['a', 'b', 'c', 'd/e'];
    const randomTags = (): Tag[] =>
      TAG_KEYS.filter(() => random() < 0.5).map((key) => ({ key, value: pick(['x', 'y', 'z']) }));
    let uploads = 0;
    for (let step = 0; step < 300; step++) {
      const bucket = pick(buckets);
      const key = pick(keys);
      const known = ids.get(`${bucket.name}/${key}`) ?? [];
      const versioned = bucket.versioning === 'Enabled';
      const remember = (versionId: string): void => {
        ids.set(`${bucket.name}/${key}`, [...known.filter((id) => id !== versionId), versionId]);
      };
      const r = random();
      let what: string;
      if (r < 0.35) {
        const v = newVersion(bucket.name, key, {
          size: Math.floor(random() * 1000),
          tags: randomTags(),
          ...(versioned ? {} : { versionId: NULL_VERSION_ID }),
        });
        remember((await m.putVersion(v, { replaceNull: !versioned })).versionId);
        what = `put ${bucket.name}/${key}`;
      } else if (r < 0.47) {
        const v = await m.putVersion(versioned ? deleteMarker(bucket.name, key) : deleteMarker(bucket.name, key, NULL_VERSION_ID), { replaceNull: !versioned });
        remember(v.versionId);
        what = `delete marker ${bucket.name}/${key}`;
      } else if (r < 0.65) {
        const versionId = known.length === 0 ? NULL_VERSION_ID : pick(known);
        await m.deleteVersion(bucket.name, key, versionId);
        what = `delete version ${bucket.name}/${key}?versionId=${versionId}`;
      } else if (r < 0.85) {
        const versionId = random() < 0.5 || known.length === 0 ? undefined : pick(known);
        await m.replaceTags(bucket.name, key, versionId, randomTags());
        what = `retag ${bucket.name}/${key}?versionId=${versionId ?? 'latest'}`;
      } else if (r < 0.93) {
        const uploadId = `up${uploads++}`;
        await m.createUpload(upload(bucket.name, key, uploadId));
        const p = part(uploadId, 1, { size: 1 + Math.floor(random() * 100) });
        await m.putPart(p);
        const done = await m.completeUpload(
          uploadId,
          newVersion(bucket.name, key, { size: p.size, segments: [p.segment], tags: randomTags(), ...(versioned ? {} : { versionId: NULL_VERSION_ID }) }),
          { replaceNull: !versioned },
        );
        if (done.status === 'ok') remember(done.version.versionId);
        what = `multipart ${bucket.name}/${key}`;
      } else if (r < 0.97) {
        const tracked = TAG_KEYS.filter(() => random() < 0.5);
        await stats.setTrackedTagKeys(tracked);
        what = `track ${tracked.join(',')}`;
      } else {
        // empty the bucket, delete it, create it again
        for (const [path, list] of ids) {
          if (!path.startsWith(`${bucket.name}/`)) continue;
          for (const id of list) await m.deleteVersion(bucket.name, path.slice(bucket.name.length + 1), id);
          ids.delete(path);
        }
        assert.equal(await m.deleteBucket(bucket.name), 'deleted', `seed ${seed}: bucket ${bucket.name} not empty`);
        await check(f, `seed ${seed} step ${step}: bucket delete`);
        await m.createBucket(bucketOf(bucket.name, '111111111111', bucket.versioning));
        what = `bucket ${bucket.name} deleted and created again`;
      }
      await check(f, `seed ${seed} step ${step}: ${what}`);
    }
  });
}

