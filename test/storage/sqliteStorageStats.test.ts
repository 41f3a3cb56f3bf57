import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { BucketStats, TagStats } from '../../src/core/ports/StorageStatsStore.js';
import { migrate } from '../../src/storage/metadata/sqlite/migrate.js';
import { MIGRATIONS } from '../../src/storage/metadata/sqlite/migrations/index.js';
import { SqliteDatabase } from '../../src/storage/metadata/sqlite/SqliteDatabase.js';
import { SqliteMetadataStore } from '../../src/storage/metadata/sqlite/SqliteMetadataStore.js';
import { SqliteStorageStats } from '../../src/storage/metadata/sqlite/stats/SqliteStorageStats.js';
import { SqliteBatchTagWriter } from '../../src/storage/metadata/sqlite/jobs/SqliteBatchTagWriter.js';
import { validateTagSet } from '../../src/core/tags/TagSet.js';
import { storageStatsContract, type StatsRecount } from './storageStatsContract.js';
import { bucketOf, newVersion } from './metadata/contractKit.js';

/**
 * The oracle: the figures counted from scratch with plain SQL. "Current" is computed here from seq (the newest
 * version of its key), not read from is_latest, so a slip in either the triggers or VersionRepo's is_latest shows.
 */
const RECOUNT_BUCKETS = `
  WITH v AS (
    SELECT bucket, size, is_delete_marker,
      seq = (SELECT max(seq) FROM versions n WHERE n.bucket = versions.bucket AND n.key = versions.key) AS current
    FROM versions
  )
  SELECT b.name AS bucket,
    (SELECT count(*) FROM v WHERE v.bucket = b.name AND current AND NOT is_delete_marker) AS objects,
    (SELECT coalesce(sum(size), 0) FROM v WHERE v.bucket = b.name AND current AND NOT is_delete_marker) AS objectBytes,
    (SELECT count(*) FROM v WHERE v.bucket = b.name AND NOT is_delete_marker) AS versions,
    (SELECT coalesce(sum(size), 0) FROM v WHERE v.bucket = b.name AND NOT is_delete_marker) AS versionBytes,
    (SELECT count(*) FROM v WHERE v.bucket = b.name AND is_delete_marker) AS deleteMarkers
  FROM buckets b ORDER BY b.name`;

function recountTags(keys: readonly string[]): string {
  return `
  SELECT v.bucket AS bucket, t.key AS key, t.value AS value, count(*) AS objects, sum(v.size) AS bytes
  FROM object_tags t JOIN versions v ON v.id = t.version_row
  WHERE v.is_delete_marker = 0
    AND v.seq = (SELECT max(seq) FROM versions n WHERE n.bucket = v.bucket AND n.key = v.key)
    AND t.key IN (${keys.map(() => '?').join(', ')})
  GROUP BY v.bucket, t.key, t.value ORDER BY v.bucket, t.key, t.value`;
}

/** SQLite counts synchronously (the contract also takes a recount that returns promises). */
interface SyncRecount extends StatsRecount {
  buckets(): BucketStats[];
  tags(keys: readonly string[]): TagStats[];
}

function recountOf(db: Database.Database): SyncRecount {
  return {
    buckets: () => db.prepare(RECOUNT_BUCKETS).all() as BucketStats[],
    tags: (keys) => (keys.length === 0 ? [] : (db.prepare(recountTags(keys)).all(...keys) as TagStats[])),
  };
}

storageStatsContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-stats-'));
  const database = await SqliteDatabase.open(dir);
  const metadata = new SqliteMetadataStore(database, true);
  return {
    metadata,
    stats: new SqliteStorageStats(database),
    recount: recountOf(database.db),
    async close() {
      await metadata.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite storage figures: triggers', () => {
  void it('SQLite deletes a parent row between its BEFORE DELETE trigger and the cascade to its children', () => {
    // the order migration 012 relies on, checked on this build's SQLite rather than assumed
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    db.exec(`
      CREATE TABLE p (id INTEGER PRIMARY KEY);
      CREATE TABLE c (pid INTEGER NOT NULL REFERENCES p (id) ON DELETE CASCADE, k TEXT);
      CREATE TABLE log (n INTEGER PRIMARY KEY, what TEXT);
      CREATE TRIGGER p_bd BEFORE DELETE ON p BEGIN INSERT INTO log (what) SELECT 'p before: children ' || (SELECT count(*) FROM c WHERE pid = OLD.id); END;
      CREATE TRIGGER p_ad AFTER DELETE ON p BEGIN INSERT INTO log (what) SELECT 'p after: children ' || (SELECT count(*) FROM c WHERE pid = OLD.id); END;
      CREATE TRIGGER c_ad AFTER DELETE ON c BEGIN INSERT INTO log (what) SELECT 'c after: parent ' || (SELECT count(*) FROM p WHERE id = OLD.pid); END;
      INSERT INTO p VALUES (1); INSERT INTO c VALUES (1, 'a'), (1, 'b');
      DELETE FROM p WHERE id = 1;`);
    assert.deepEqual(db.prepare('SELECT what FROM log ORDER BY n').pluck().all(), [
      'p before: children 2',
      'c after: parent 0',
      'c after: parent 0',
      'p after: children 0',
    ]);
    db.close();
  });

  void it('deleting a tagged current version subtracts its tags once (BEFORE DELETE, not again by the cascade)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-stats-'));
    const database = await SqliteDatabase.open(dir);
    const metadata = new SqliteMetadataStore(database, true);
    try {
      const stats = new SqliteStorageStats(database);
      await stats.setTrackedTagKeys(['project']);
      await metadata.createBucket(bucketOf('b'));
      const tags = [{ key: 'project', value: 'p' }];
      await metadata.putVersion(newVersion('b', 'k1', { versionId: 'null', size: 3, tags }), { replaceNull: true });
      await metadata.putVersion(newVersion('b', 'k2', { versionId: 'null', size: 4, tags }), { replaceNull: true });
      await metadata.deleteVersion('b', 'k1', 'null');
      assert.deepEqual(await stats.trackedTagStats(), [{ bucket: 'b', key: 'project', value: 'p', objects: 1, bytes: 4 }]);
    } finally {
      await metadata.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void it("a batch job's tag writes (their own writer, in the unit's transaction) move objects between values", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-stats-'));
    const database = await SqliteDatabase.open(dir);
    const metadata = new SqliteMetadataStore(database, true);
    try {
      const stats = new SqliteStorageStats(database);
      await stats.setTrackedTagKeys(['project']);
      await metadata.createBucket(bucketOf('b'));
      for (const key of ['k1', 'k2']) {
        await metadata.putVersion(newVersion('b', key, { versionId: 'null', size: 5, tags: [{ key: 'project', value: 'old' }] }), { replaceNull: true });
      }
      const writer = new SqliteBatchTagWriter(database);
      await database.commits.run(() => {
        writer.replaceTags('b', 'k1', undefined, validateTagSet([{ key: 'project', value: 'new' }], 'object'));
        writer.replaceTags('b', 'k2', undefined, validateTagSet([], 'object'));
      });
      assert.deepEqual(await stats.trackedTagStats(), [{ bucket: 'b', key: 'project', value: 'new', objects: 1, bytes: 5 }]);
      assert.deepEqual(await stats.trackedTagStats(), recountOf(database.db).tags(['project']));
    } finally {
      await metadata.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void it('migration 012 counts the versions already stored', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    const before = MIGRATIONS.filter((m) => m.version < 12);
    migrate(db, before);
    db.exec(`INSERT INTO buckets (name, owner_account_id, region, created_at, versioning) VALUES
      ('a', 'o', 'us-east-1', 0, 'Enabled'), ('empty', 'o', 'us-east-1', 0, 'Unversioned')`);
    const insert = db.prepare(`INSERT INTO versions (bucket, key, seq, version_id, is_latest, is_delete_marker, last_modified,
      owner_account_id, size, etag, storage_class, segments) VALUES ('a', ?, ?, ?, ?, ?, 0, 'o', ?, '', 'STANDARD', '[]')`);
    insert.run('k', 1, 'v1', 0, 0, 10);
    insert.run('k', 2, 'v2', 1, 0, 20);
    insert.run('m', 3, 'v3', 0, 0, 5);
    insert.run('m', 4, 'v4', 1, 1, 0);
    migrate(db, MIGRATIONS);
    const stats = db.prepare('SELECT * FROM bucket_stats ORDER BY bucket').all();
    assert.deepEqual(stats, [{ bucket: 'a', objects: 1, object_bytes: 20, versions: 3, version_bytes: 35, delete_markers: 1 }]);
    assert.deepEqual(recountOf(db).buckets()[0], { bucket: 'a', objects: 1, objectBytes: 20, versions: 3, versionBytes: 35, deleteMarkers: 1 });
    db.close();
  });
});
