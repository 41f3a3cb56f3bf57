import assert from 'node:assert/strict';
import type { BucketStats, TagValueCount } from '../../../src/core/ports/StorageStatsStore.js';
import type { Tag } from '../../../src/core/tags/Tag.js';
import { PostgresDatabase } from '../../../src/storage/metadata/postgres/PostgresDatabase.js';
import { PostgresStorageStats, type PostgresStorageStatsOptions } from '../../../src/storage/metadata/postgres/stats/PostgresStorageStats.js';
import { createTestDatabase } from '../../support/postgresCluster.js';
import { latestSlips, recountBuckets, recountTags } from './statsSqlWriter.js';

/** What the PostgreSQL storage-figure tests share: a fresh database with a store, and the check against a recount. */

export const TAG_KEYS = ['project', 'class', 'other'] as const;

export interface Fixture {
  readonly db: PostgresDatabase;
  readonly stats: PostgresStorageStats;
  close(): Promise<void>;
}

export async function withFixture(body: (f: Fixture) => Promise<void>, options: PostgresStorageStatsOptions = {}): Promise<void> {
  const database = await createTestDatabase();
  const db = await PostgresDatabase.open(database.url, { max: 8 });
  try {
    await body({ db, stats: new PostgresStorageStats(db, options), close: () => db.close() });
  } finally {
    await db.close();
    await database.dispose();
  }
}

/** The kept figures equal the recount: every bucket, each bucket alone, tracked values, countByTag for every key. */
export async function check(db: PostgresDatabase, stats: PostgresStorageStats, step: string): Promise<void> {
  const buckets = await recountBuckets(db);
  assert.deepEqual(await stats.bucketStats(), buckets, `bucket figures after ${step}`);
  for (const b of buckets) assert.deepEqual(await stats.bucketStatsOf(b.bucket), b, `bucketStatsOf(${b.bucket}) after ${step}`);
  assert.deepEqual(await stats.trackedTagStats(), await recountTags(db, await stats.trackedTagKeys()), `tag figures after ${step}`);
  const all = await recountTags(db, TAG_KEYS);
  for (const { bucket } of buckets) {
    for (const key of TAG_KEYS) {
      const expected: TagValueCount[] = all
        .filter((t) => t.bucket === bucket && t.key === key)
        .map((t) => ({ value: t.value, objects: t.objects, bytes: t.bytes }));
      assert.deepEqual(await stats.countByTag(bucket, key), expected, `countByTag(${bucket}, ${key}) after ${step}`);
    }
  }
  assert.equal(await latestSlips(db), 0, `is_latest agrees with seq after ${step}`);
}

export const tagged = (pairs: Record<string, string>): Tag[] => Object.entries(pairs).map(([key, value]) => ({ key, value }));
export const figures = async (stats: PostgresStorageStats, bucket: string): Promise<Omit<BucketStats, 'bucket'> | undefined> => {
  const s = await stats.bucketStatsOf(bucket);
  if (s === undefined) return undefined;
  const { bucket: _b, ...rest } = s;
  return rest;
};
export const deltaRows = async (db: PostgresDatabase): Promise<number> =>
  (await db.query<{ n: number }>('SELECT (SELECT count(*) FROM bucket_stats_deltas) + (SELECT count(*) FROM tag_stats_deltas) AS n')).rows[0]!
    .n;

