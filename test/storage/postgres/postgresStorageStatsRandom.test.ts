import assert from 'node:assert/strict';
import { mulberry32 } from '../../support/seededRandom.js';
import { describe, it } from 'node:test';
import type { Tag } from '../../../src/core/tags/Tag.js';
import { NULL_VERSION_ID } from '../../../src/core/objects/ObjectVersion.js';
import { PostgresDatabase } from '../../../src/storage/metadata/postgres/PostgresDatabase.js';
import { PostgresMetadataStore } from '../../../src/storage/metadata/postgres/PostgresMetadataStore.js';
import { PostgresStorageStats } from '../../../src/storage/metadata/postgres/stats/PostgresStorageStats.js';
import { createTestDatabase } from '../../support/postgresCluster.js';
import { bucketOf, deleteMarker, newVersion } from '../metadata/contractKit.js';
import { check, TAG_KEYS } from './statsFixture.js';
import {
  createBucket,
  deleteVersion,
  emptyAndDeleteBucket,
  expireNoncurrent,
  put,
  retag,
  type VersioningState,
} from './statsSqlWriter.js';

/**
 * Random sequences of writes (plain SQL, statsSqlWriter.ts) with compactions among them: one at a time, checked
 * after every step; then many at once on two pools (two nodes) with compactions racing each other, checked at the
 * end. A failing run prints its seed; TESSERA_STATS_SEED replays it.
 */

const BUCKETS: readonly { readonly name: string; readonly versioning: VersioningState }[] = [
  { name: 'r-plain', versioning: 'Unversioned' },
  { name: 'r-versioned', versioning: 'Enabled' },
  { name: 'r-suspended', versioning: 'Suspended' },
];
const KEYS = ['a', 'b', 'c', 'd/e'];


function seedOf(): number {
  return Number(process.env.TESSERA_STATS_SEED ?? Date.now() % 1_000_000);
}

/** One random write (or compaction, or change of the tracked keys); returns what it did. */
async function randomStep(
  db: PostgresDatabase,
  stats: PostgresStorageStats,
  random: () => number,
  options: { readonly unlockedRetags: boolean; readonly bucketDeletes: boolean },
): Promise<string> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const randomTags = (): Tag[] => TAG_KEYS.filter(() => random() < 0.5).map((key) => ({ key, value: pick(['x', 'y', 'z']) }));
  const bucket = pick(BUCKETS);
  const key = pick(KEYS);
  const mode = bucket.versioning === 'Enabled' ? 'new' : 'null';
  const versionIds = async (): Promise<string[]> =>
    (await db.query<{ version_id: string }>('SELECT version_id FROM versions WHERE bucket = $1 AND key = $2', [bucket.name, key])).rows.map(
      (r) => r.version_id,
    );
  const r = random();
  if (r < 0.35) {
    await put(db, bucket.name, key, { versionId: mode, size: Math.floor(random() * 1000), tags: randomTags() });
    return `put ${bucket.name}/${key}`;
  }
  if (r < 0.45) {
    await put(db, bucket.name, key, { versionId: mode, size: 0, tags: [], deleteMarker: true });
    return `delete marker ${bucket.name}/${key}`;
  }
  if (r < 0.6) {
    const known = await versionIds();
    const versionId = known.length === 0 ? 'null' : pick(known);
    await deleteVersion(db, bucket.name, key, versionId);
    return `delete version ${bucket.name}/${key}?versionId=${versionId}`;
  }
  if (r < 0.8) {
    const known = await versionIds();
    const versionId = random() < 0.5 || known.length === 0 ? undefined : pick(known);
    const locked = !options.unlockedRetags || random() < 0.5;
    await retag(db, bucket.name, key, versionId, randomTags(), locked);
    return `retag ${bucket.name}/${key}?versionId=${versionId ?? 'latest'}${locked ? '' : ' (no lock)'}`;
  }
  if (r < 0.85) {
    await expireNoncurrent(db, bucket.name, key);
    return `expire noncurrent ${bucket.name}/${key}`;
  }
  if (r < 0.93) {
    await stats.compact();
    return 'compact';
  }
  if (r < 0.97 || !options.bucketDeletes) {
    const tracked = TAG_KEYS.filter(() => random() < 0.5);
    await stats.setTrackedTagKeys(tracked);
    return `track ${tracked.join(',')}`;
  }
  await emptyAndDeleteBucket(db, bucket.name);
  await createBucket(db, bucket.name, bucket.versioning);
  return `bucket ${bucket.name} deleted and created again`;
}

async function openDatabase(url: string): Promise<PostgresDatabase> {
  return PostgresDatabase.open(url, { max: 6 });
}

describe('PostgreSQL storage figures: random writes', () => {
  void it('a randomized sequence of writes and compactions keeps every figure equal to a recount', async () => {
    const seed = seedOf();
    const random = mulberry32(seed);
    const database = await createTestDatabase();
    const db = await openDatabase(database.url);
    try {
      const stats = new PostgresStorageStats(db, { compactAfter: 4 });
      for (const b of BUCKETS) await createBucket(db, b.name, b.versioning);
      await stats.setTrackedTagKeys(['project', 'class']);
      for (let step = 0; step < 300; step++) {
        const what = await randomStep(db, stats, random, { unlockedRetags: false, bucketDeletes: true });
        await check(db, stats, `seed ${seed} step ${step}: ${what}`);
      }
    } finally {
      await db.close();
      await database.dispose();
    }
  });

  void it('concurrent writers on two pools, with compactions racing on both, keep every figure equal to a recount', async () => {
    const seed = seedOf();
    const database = await createTestDatabase();
    const [a, b] = await Promise.all([openDatabase(database.url), openDatabase(database.url)]);
    try {
      const nodes = [
        { db: a, stats: new PostgresStorageStats(a, { compactAfter: 8 }) },
        { db: b, stats: new PostgresStorageStats(b, { compactAfter: 8 }) },
      ];
      for (const bucket of BUCKETS) await createBucket(a, bucket.name, bucket.versioning);
      await nodes[0]!.stats.setTrackedTagKeys(['project', 'class']);
      const failures: unknown[] = [];
      // 4 writers per node, 60 steps each, on 3 buckets × 4 keys: the same keys and versions, written at once
      const writers = nodes.flatMap((node, n) =>
        Array.from({ length: 4 }, async (_, w) => {
          const random = mulberry32(seed * 31 + n * 7 + w);
          for (let step = 0; step < 60; step++) {
            try {
              await randomStep(node.db, node.stats, random, { unlockedRetags: true, bucketDeletes: false });
              if (random() < 0.2) await node.stats.bucketStats(); // reads past compactAfter compact in the background
            } catch (error) {
              // an unlocked retag may lose its version to a delete (23503) or its tag rows to another retag (23505)
              const code = (error as { code?: string }).code;
              if (code !== '23503' && code !== '23505') failures.push(error);
            }
          }
        }),
      );
      const compactions = nodes.map(async (node) => {
        for (let i = 0; i < 15; i++) {
          await node.stats.compact();
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      });
      await Promise.all([...writers, ...compactions]);
      assert.deepEqual(failures, [], `seed ${seed}`);
      await check(a, nodes[0]!.stats, `seed ${seed}: concurrent writes`);
      await check(b, nodes[1]!.stats, `seed ${seed}: concurrent writes, read on the other node`);
      await Promise.all([nodes[0]!.stats.compact(), nodes[1]!.stats.compact()]);
      const left = await a.query<{ n: number }>('SELECT (SELECT count(*) FROM bucket_stats_deltas) + (SELECT count(*) FROM tag_stats_deltas) AS n');
      assert.equal(left.rows[0]!.n, 0, `seed ${seed}: every delta folded`);
      await check(a, nodes[0]!.stats, `seed ${seed}: all compacted`);
    } finally {
      await a.close();
      await b.close();
      await database.dispose();
    }
  });

  void it('the metadata store writing on two nodes at once, with compactions racing, keeps every figure equal to a recount', async () => {
    const seed = seedOf();
    const database = await createTestDatabase();
    const [a, b] = await Promise.all([openDatabase(database.url), openDatabase(database.url)]);
    try {
      const nodes = [a, b].map((db) => ({ db, metadata: new PostgresMetadataStore(db), stats: new PostgresStorageStats(db, { compactAfter: 8 }) }));
      for (const bucket of BUCKETS) await nodes[0]!.metadata.createBucket(bucketOf(bucket.name, '111111111111', bucket.versioning));
      await nodes[0]!.stats.setTrackedTagKeys(['project', 'class']);
      const writers = nodes.flatMap(({ db, metadata, stats }, n) =>
        Array.from({ length: 4 }, async (_, w) => {
          const random = mulberry32(seed * 17 + n * 5 + w);
          const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
          const randomTags = (): Tag[] => TAG_KEYS.filter(() => random() < 0.5).map((key) => ({ key, value: pick(['x', 'y', 'z']) }));
          for (let step = 0; step < 50; step++) {
            const bucket = pick(BUCKETS);
            const key = pick(KEYS);
            const versioned = bucket.versioning === 'Enabled';
            const nullId = versioned ? {} : { versionId: NULL_VERSION_ID };
            const known = async (): Promise<string[]> =>
              (await db.query<{ version_id: string }>('SELECT version_id FROM versions WHERE bucket = $1 AND key = $2', [bucket.name, key])).rows.map(
                (r) => r.version_id,
              );
            const r = random();
            if (r < 0.35) {
              await metadata.putVersion(newVersion(bucket.name, key, { size: Math.floor(random() * 1000), tags: randomTags(), ...nullId }), {
                replaceNull: !versioned,
              });
            } else if (r < 0.45) {
              await metadata.putVersion(deleteMarker(bucket.name, key, versioned ? undefined : NULL_VERSION_ID), { replaceNull: !versioned });
            } else if (r < 0.62) {
              const ids = await known();
              await metadata.deleteVersion(bucket.name, key, ids.length === 0 ? NULL_VERSION_ID : pick(ids));
            } else if (r < 0.85) {
              const ids = await known();
              await metadata.replaceTags(bucket.name, key, random() < 0.5 || ids.length === 0 ? undefined : pick(ids), randomTags());
            } else if (r < 0.97) {
              await (random() < 0.5 ? stats.compact() : stats.bucketStats());
            } else {
              await stats.setTrackedTagKeys(TAG_KEYS.filter(() => random() < 0.5));
            }
          }
        }),
      );
      await Promise.all(writers);
      const miscounted = await a.query<{ n: number }>(
        'SELECT count(*) AS n FROM versions v WHERE v.tag_count <> (SELECT count(*) FROM object_tags t WHERE t.version_row = v.id)',
      );
      assert.equal(miscounted.rows[0]!.n, 0, `seed ${seed}: every tag count equals its tag rows`);
      await check(a, nodes[0]!.stats, `seed ${seed}: two nodes writing`);
      await check(b, nodes[1]!.stats, `seed ${seed}: two nodes writing, read on the other`);
    } finally {
      await a.close();
      await b.close();
      await database.dispose();
    }
  });

  void it('many compactions at once on two pools fold each delta exactly once', async () => {
    const database = await createTestDatabase();
    const [a, b] = await Promise.all([openDatabase(database.url), openDatabase(database.url)]);
    try {
      const stats = [new PostgresStorageStats(a), new PostgresStorageStats(b)];
      await stats[0]!.setTrackedTagKeys(['project']);
      for (const bucket of BUCKETS) await createBucket(a, bucket.name, bucket.versioning);
      const writes = (db: PostgresDatabase, from: number) =>
        (async () => {
          for (let i = from; i < from + 150; i++) {
            const bucket = BUCKETS[i % BUCKETS.length]!;
            await put(db, bucket.name, `k${i % 7}`, {
              versionId: bucket.versioning === 'Enabled' ? 'new' : 'null',
              size: i,
              tags: [{ key: 'project', value: `p${i % 4}` }],
            });
          }
        })();
      await Promise.all([writes(a, 0), writes(b, 1000)]);
      // base rows exist for some buckets and values, deltas for all: then 12 compactions at once, while writes go on
      await Promise.all([
        ...Array.from({ length: 12 }, (_, i) => stats[i % 2]!.compact()),
        writes(a, 2000),
        writes(b, 3000),
        ...Array.from({ length: 12 }, (_, i) => stats[i % 2]!.compact()),
      ]);
      await check(a, stats[0]!, 'concurrent compactions');
      await stats[1]!.compact();
      await check(b, stats[1]!, 'a last compaction');
    } finally {
      await a.close();
      await b.close();
      await database.dispose();
    }
  });
});
