import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { migrate } from '../../../src/storage/metadata/postgres/migrate.js';
import { POSTGRES_MIGRATIONS } from '../../../src/storage/metadata/postgres/migrations/index.js';
import { PostgresDatabase } from '../../../src/storage/metadata/postgres/PostgresDatabase.js';
import { PostgresMetadataStore } from '../../../src/storage/metadata/postgres/PostgresMetadataStore.js';
import { PostgresStorageStats } from '../../../src/storage/metadata/postgres/stats/PostgresStorageStats.js';
import { createTestDatabase } from '../../support/postgresCluster.js';
import { storageStatsContract } from '../storageStatsContract.js';
import { check, deltaRows, figures, tagged, withFixture } from './statsFixture.js';
import { createBucket, deleteVersion, emptyAndDeleteBucket, put, recountBuckets, recountTags, retag } from './statsSqlWriter.js';

/**
 * PostgresStorageStats and migration 002's triggers, driven by plain-SQL writes (statsSqlWriter.ts) and checked
 * against a count from scratch, and the storage-figures contract with writes by PostgresMetadataStore. The races are
 * in postgresStorageStatsRaces.test.ts, random and concurrent sequences in postgresStorageStatsRandom.test.ts.
 */

storageStatsContract('PostgreSQL', async () => {
  const database = await createTestDatabase();
  const db = await PostgresDatabase.open(database.url, { max: 8 });
  const metadata = new PostgresMetadataStore(db);
  return {
    metadata,
    stats: new PostgresStorageStats(db, { compactAfter: 3 }),
    recount: { buckets: () => recountBuckets(db), tags: (keys) => recountTags(db, keys) },
    async close() {
      await db.close();
      await database.dispose();
    },
  };
});

describe('PostgreSQL storage figures', () => {
  void it('an unversioned bucket: put, overwrite in place, retag, delete', () =>
    withFixture(async ({ db, stats }) => {
      await stats.setTrackedTagKeys(['project']);
      await createBucket(db, 'b');
      assert.deepEqual(await figures(stats, 'b'), { objects: 0, objectBytes: 0, versions: 0, versionBytes: 0, deleteMarkers: 0 });
      assert.equal(await stats.bucketStatsOf('nope'), undefined);
      await put(db, 'b', 'a', { versionId: 'null', size: 100, tags: tagged({ project: 'x', other: '1' }) });
      await put(db, 'b', 'c', { versionId: 'null', size: 50, tags: tagged({ project: 'y' }) });
      await check(db, stats, 'two puts');
      assert.deepEqual(await figures(stats, 'b'), { objects: 2, objectBytes: 150, versions: 2, versionBytes: 150, deleteMarkers: 0 });
      await put(db, 'b', 'a', { versionId: 'null', size: 30, tags: tagged({ project: 'y' }) });
      await check(db, stats, 'an overwrite');
      assert.deepEqual(await stats.countByTag('b', 'project'), [{ value: 'y', objects: 2, bytes: 80 }]);
      await retag(db, 'b', 'c', undefined, tagged({ project: 'x' }));
      await check(db, stats, 'a retag');
      await retag(db, 'b', 'c', undefined, []);
      await check(db, stats, 'a tag delete');
      await deleteVersion(db, 'b', 'a', 'null');
      await check(db, stats, 'a delete');
      assert.deepEqual(await stats.trackedTagStats(), []);
      assert.deepEqual(await figures(stats, 'b'), { objects: 1, objectBytes: 50, versions: 1, versionBytes: 50, deleteMarkers: 0 });
      await stats.compact();
      assert.equal(await deltaRows(db), 0);
      await check(db, stats, 'a compaction');
    }));

  void it('a versioned bucket: noncurrent versions, delete markers, promotion after deleting the latest', () =>
    withFixture(async ({ db, stats }) => {
      await stats.setTrackedTagKeys(['project', 'class']);
      await createBucket(db, 'v', 'Enabled');
      const v1 = await put(db, 'v', 'k', { versionId: 'new', size: 10, tags: tagged({ project: 'old' }) });
      const v2 = await put(db, 'v', 'k', { versionId: 'new', size: 20, tags: tagged({ project: 'new', class: 'c' }) });
      await check(db, stats, 'two versions');
      assert.deepEqual(await figures(stats, 'v'), { objects: 1, objectBytes: 20, versions: 2, versionBytes: 30, deleteMarkers: 0 });
      const marker = await put(db, 'v', 'k', { versionId: 'new', size: 0, tags: [], deleteMarker: true });
      await check(db, stats, 'a delete marker');
      assert.deepEqual(await figures(stats, 'v'), { objects: 0, objectBytes: 0, versions: 2, versionBytes: 30, deleteMarkers: 1 });
      assert.deepEqual(await stats.trackedTagStats(), []);
      await deleteVersion(db, 'v', 'k', marker);
      await check(db, stats, 'removing the delete marker');
      assert.deepEqual(await stats.countByTag('v', 'project'), [{ value: 'new', objects: 1, bytes: 20 }]);
      await retag(db, 'v', 'k', v1, tagged({ project: 'older' }));
      await check(db, stats, 'retagging a noncurrent version');
      await deleteVersion(db, 'v', 'k', v2);
      await check(db, stats, 'deleting the latest version');
      assert.deepEqual(await stats.countByTag('v', 'project'), [{ value: 'older', objects: 1, bytes: 10 }]);
      await deleteVersion(db, 'v', 'k', v1);
      await check(db, stats, 'deleting the last version');
      assert.deepEqual(await figures(stats, 'v'), { objects: 0, objectBytes: 0, versions: 0, versionBytes: 0, deleteMarkers: 0 });
    }));

  void it('tracking a key counts what is already there; untracking drops its figures', () =>
    withFixture(async ({ db, stats }) => {
      await createBucket(db, 'b');
      await createBucket(db, 'c');
      for (let i = 0; i < 5; i++) {
        await put(db, i < 3 ? 'b' : 'c', `k${i}`, { versionId: 'null', size: i, tags: tagged({ project: i % 2 === 0 ? 'even' : 'odd' }) });
      }
      assert.deepEqual(await stats.trackedTagStats(), []);
      await check(db, stats, 'nothing tracked');
      await stats.setTrackedTagKeys(['project', 'class']);
      assert.deepEqual(await stats.trackedTagKeys(), ['class', 'project']);
      await check(db, stats, 'tracking project and class');
      assert.equal((await stats.trackedTagStats()).length, 4);
      await stats.setTrackedTagKeys(['project', 'class']);
      await check(db, stats, 'the same keys again');
      await put(db, 'b', 'k0', { versionId: 'null', size: 7, tags: tagged({ project: 'odd' }) }); // a delta for project
      await stats.setTrackedTagKeys(['class']);
      await check(db, stats, 'untracking project');
      assert.deepEqual(await stats.trackedTagStats(), []);
      await stats.setTrackedTagKeys(['project']);
      await check(db, stats, 'tracking project again (its old deltas gone, not counted twice)');
      // two nodes starting at once with the same new key: counted once
      await Promise.all([stats.setTrackedTagKeys(['project', 'other']), stats.setTrackedTagKeys(['project', 'other'])]);
      await check(db, stats, 'two calls at once');
    }));

  void it('the figures go with the bucket, deltas and base rows alike', () =>
    withFixture(async ({ db, stats }) => {
      await stats.setTrackedTagKeys(['project']);
      await createBucket(db, 'gone');
      await createBucket(db, 'kept');
      for (const bucket of ['gone', 'kept']) await put(db, bucket, 'k', { versionId: 'null', size: 3, tags: tagged({ project: 'p' }) });
      await stats.compact(); // base rows for both
      await put(db, 'gone', 'j', { versionId: 'null', size: 4, tags: tagged({ project: 'p' }) }); // and deltas
      await emptyAndDeleteBucket(db, 'gone');
      await check(db, stats, 'a bucket delete');
      assert.equal(await stats.bucketStatsOf('gone'), undefined);
      assert.deepEqual((await stats.bucketStats()).map((s) => s.bucket), ['kept']);
      const left = await db.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM bucket_stats WHERE bucket = 'gone') + (SELECT count(*) FROM bucket_stats_deltas WHERE bucket = 'gone')
          + (SELECT count(*) FROM tag_stats WHERE bucket = 'gone') + (SELECT count(*) FROM tag_stats_deltas WHERE bucket = 'gone') AS n`,
      );
      assert.equal(left.rows[0]!.n, 0);
      await createBucket(db, 'gone');
      assert.deepEqual(await figures(stats, 'gone'), { objects: 0, objectBytes: 0, versions: 0, versionBytes: 0, deleteMarkers: 0 });
      await check(db, stats, 'the bucket created again');
    }));

  void it('deleting a tagged current version subtracts its tags once (BEFORE DELETE, not again by the cascade)', () =>
    withFixture(async ({ db, stats }) => {
      await stats.setTrackedTagKeys(['project']);
      await createBucket(db, 'b');
      await put(db, 'b', 'k1', { versionId: 'null', size: 3, tags: tagged({ project: 'p' }) });
      await put(db, 'b', 'k2', { versionId: 'null', size: 4, tags: tagged({ project: 'p' }) });
      await deleteVersion(db, 'b', 'k1', 'null');
      assert.deepEqual(await stats.trackedTagStats(), [{ bucket: 'b', key: 'project', value: 'p', objects: 1, bytes: 4 }]);
      await check(db, stats, 'a delete');
    }));
  void it('compaction folds every delta into the base rows, drops values at zero, and runs when a read finds many', () =>
    withFixture(
      async ({ db, stats }) => {
        await stats.setTrackedTagKeys(['project']);
        await createBucket(db, 'b', 'Enabled');
        for (let i = 0; i < 6; i++) await put(db, 'b', `k${i % 2}`, { versionId: 'new', size: i, tags: tagged({ project: `p${i % 3}` }) });
        await check(db, stats, 'six puts');
        await stats.compact();
        assert.equal(await deltaRows(db), 0);
        await check(db, stats, 'a compaction');
        await retag(db, 'b', 'k0', undefined, []);
        await retag(db, 'b', 'k1', undefined, []);
        await stats.compact();
        const base = await db.query('SELECT * FROM tag_stats');
        assert.equal(base.rowCount, 0, 'values at zero objects are deleted');
        await check(db, stats, 'untagging everything');
        for (let i = 0; i < 12; i++) await put(db, 'b', 'k', { versionId: 'new', size: i, tags: [] });
        assert.ok((await deltaRows(db)) > 10);
        await stats.bucketStats(); // past the threshold: compacts in the background
        for (let i = 0; i < 100 && (await deltaRows(db)) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
        assert.equal(await deltaRows(db), 0);
        await check(db, stats, 'a background compaction');
      },
      { compactAfter: 10 },
    ));
  void it('migration 002 counts the versions already stored', async () => {
    const database = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    try {
      const bare = { pool } as unknown as PostgresDatabase;
      await migrate(bare, POSTGRES_MIGRATIONS.slice(0, 1));
      await pool.query(`INSERT INTO buckets (name, owner_account_id, region, created_at, versioning) VALUES
        ('a', 'o', 'us-east-1', 0, 'Enabled'), ('empty', 'o', 'us-east-1', 0, 'Unversioned')`);
      const insert = `INSERT INTO versions (bucket, key, seq, version_id, is_latest, is_delete_marker, last_modified,
        owner_account_id, size, etag, storage_class, segments) VALUES ('a', $1, $2, $3, $4, $5, 0, 'o', $6, '', 'STANDARD', '[]')`;
      await pool.query(insert, ['k', 1, 'v1', 0, 0, 10]);
      await pool.query(insert, ['k', 2, 'v2', 1, 0, 20]);
      await pool.query(insert, ['m', 3, 'v3', 0, 0, 5]);
      await pool.query(insert, ['m', 4, 'v4', 1, 1, 0]);
      await migrate(bare, POSTGRES_MIGRATIONS);
      const rows = await pool.query('SELECT * FROM bucket_stats ORDER BY bucket');
      assert.deepEqual(rows.rows, [{ bucket: 'a', objects: 1, object_bytes: 20, versions: 3, version_bytes: 35, delete_markers: 1 }]);
    } finally {
      await pool.end();
      await database.dispose();
    }
  });
});