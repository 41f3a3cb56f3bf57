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
import { bucketOf, deleteMarker, newVersion } from './metadata/contractKit.js';

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
        writer.replaceTagsOfTargets([{ bucket: 'b', key: 'k1' }], validateTagSet([{ key: 'project', value: 'new' }], 'object'));
        writer.replaceTagsOfTargets([{ bucket: 'b', key: 'k2' }], validateTagSet([], 'object'));
      });
      assert.deepEqual(await stats.trackedTagStats(), [{ bucket: 'b', key: 'project', value: 'new', objects: 1, bytes: 5 }]);
      assert.deepEqual(await stats.trackedTagStats(), recountOf(database.db).tags(['project']));
    } finally {
      await metadata.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void it('a batch unit of many mixed targets leaves every kept figure equal to a recount (no drift)', async () => {
    // what the set-based unit writer (SqliteBatchTagWriter → VersionRepo.replaceTagsOfRows) must get exactly right:
    // untagged, identically tagged, differently tagged and over-tagged objects, older versions, delete markers,
    // missing keys, a key named twice, a second tag set and an empty one in the same write, a followed bucket, and a
    // unit that throws after queueing (nothing of it may land)
    const dir = mkdtempSync(join(tmpdir(), 'tessera-stats-'));
    const database = await SqliteDatabase.open(dir);
    const metadata = new SqliteMetadataStore(database, true);
    const db = database.db;
    try {
      const stats = new SqliteStorageStats(database);
      await stats.setTrackedTagKeys(['project', 'tier']);
      await metadata.createBucket(bucketOf('plain'));
      await metadata.createBucket(bucketOf('vers', '111111111111', 'Enabled'));
      await database.commits.run(() => db.prepare("INSERT INTO change_feeds (bucket, consumer) VALUES ('vers', 'test')").run());
      const tagsOf = (i: number): { key: string; value: string }[] =>
        [[], [{ key: 'project', value: 'new' }], [{ key: 'project', value: 'old' }], [{ key: 'project', value: 'old' }, { key: 'tier', value: 'hot' }, { key: 'other', value: 'x' }]][i % 4]!;
      const key = (i: number): string => `k${String(i).padStart(4, '0')}`;
      for (let i = 0; i < 400; i++) {
        await metadata.putVersion(newVersion('plain', key(i), { versionId: 'null', size: i + 1, tags: tagsOf(i) }), { replaceNull: true });
        await metadata.putVersion(newVersion('vers', key(i), { size: 1000 + i, tags: tagsOf(i + 1) }), { replaceNull: false });
        if (i % 3 === 0) await metadata.putVersion(newVersion('vers', key(i), { size: 2000 + i, tags: tagsOf(i + 2) }), { replaceNull: false });
        if (i % 7 === 0) await metadata.putVersion(deleteMarker('vers', key(i)), { replaceNull: false });
      }
      const writer = new SqliteBatchTagWriter(database);
      const put = validateTagSet([{ key: 'project', value: 'new' }, { key: 'tier', value: 'cold' }], 'object');
      const other = validateTagSet([{ key: 'tier', value: 'hot' }], 'object');
      const none = validateTagSet([], 'object');
      const outboxBefore = db.prepare('SELECT count(*) FROM change_outbox').pluck().get() as number;
      const targets = [...Array(450).keys()].map((i) => ({ bucket: i % 2 === 0 ? 'plain' : 'vers', key: key(i) }));
      targets.push({ bucket: 'plain', key: key(10) }, { bucket: 'vers', key: key(11) }); // named twice
      const results = await database.commits.run(() => {
        const first = writer.replaceTagsOfTargets(targets, put);
        writer.replaceTagsOfTargets([{ bucket: 'plain', key: key(20) }], other); // another tag set: the queue is applied first
        writer.replaceTagsOfTargets([{ bucket: 'vers', key: key(25) }], none);
        writer.replaceTagsOfTargets([{ bucket: 'vers', key: key(23) }], put);
        return first;
      });
      assert.equal(results.filter((r) => r === 'missing').length, 50, 'keys 400–449 do not exist');
      assert.equal(results.filter((r) => r === 'delete-marker').length, 29, 'odd multiples of 7 are delete markers in vers');

      // a unit that throws after queueing leaves nothing behind, and the next one is whole
      const figures = (): unknown => [db.prepare('SELECT * FROM bucket_stats ORDER BY bucket').all(), db.prepare('SELECT * FROM tag_stats ORDER BY 1, 2, 3').all(), db.prepare('SELECT count(*) FROM object_tags').pluck().get()];
      const before = figures();
      await assert.rejects(
        database.commits.run(() => {
          writer.replaceTagsOfTargets([...Array(50).keys()].map((i) => ({ bucket: 'plain', key: key(i) })), none);
          throw new Error('unit fails');
        }),
        /unit fails/,
      );
      assert.deepEqual(figures(), before, 'the failed unit changed nothing');
      await database.commits.run(() => writer.replaceTagsOfTargets([{ bucket: 'plain', key: key(2) }], other));

      const expected = new Map<string, string>();
      const tagRows = db.prepare(`SELECT v.bucket, v.key, v.is_latest,
          (SELECT group_concat(t.key || '=' || t.value, ',') FROM (SELECT key, value FROM object_tags WHERE version_row = v.id ORDER BY key) t) AS tags
        FROM versions v WHERE v.is_delete_marker = 0`).all() as { bucket: string; key: string; is_latest: number; tags: string | null }[];
      for (const r of tagRows) {
        if (r.is_latest === 1) expected.set(`${r.bucket}/${r.key}`, r.tags ?? '');
      }
      assert.equal(expected.get('plain/k0002'), 'tier=hot', 'the last write wins');
      assert.equal(expected.get('plain/k0020'), 'tier=hot');
      assert.equal(expected.get('vers/k0025'), '');
      assert.equal(expected.get('plain/k0010'), 'project=new,tier=cold');
      assert.equal(expected.get('vers/k0001'), 'project=new,tier=cold');
      assert.equal(expected.get('vers/k0003'), 'project=new,tier=cold', 'the other keys of the set go');
      assert.deepEqual(await stats.bucketStats(), recountOf(db).buckets());
      assert.deepEqual(await stats.trackedTagStats(), recountOf(db).tags(['project', 'tier']));
      // the change feed: one row per write of a current version of the followed bucket, in write order
      const logged = db.prepare('SELECT key, event FROM change_outbox WHERE seq > ? ORDER BY seq').all(outboxBefore) as { key: string; event: string }[];
      const expectedLog = targets.filter((t, i) => t.bucket === 'vers' && results[i] === 'ok').map((t) => ({ key: t.key, event: 's3:ObjectTagging:Put' }));
      expectedLog.push({ key: key(25), event: 's3:ObjectTagging:Delete' }, { key: key(23), event: 's3:ObjectTagging:Put' });
      assert.deepEqual(logged, expectedLog);
    } finally {
      await metadata.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void it('migration 015 keeps every tag row and the figures, drops only the foreign key, and a version still takes its tags along', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.filter((m) => m.version < 15));
    db.exec(`INSERT INTO buckets (name, owner_account_id, region, created_at, versioning) VALUES ('a', 'o', 'us-east-1', 0, 'Enabled');
      INSERT INTO metrics_tag_keys (key) VALUES ('project')`);
    const insert = db.prepare(`INSERT INTO versions (bucket, key, seq, version_id, is_latest, is_delete_marker, last_modified,
      owner_account_id, size, etag, storage_class, segments, tag_count) VALUES ('a', ?, ?, ?, ?, 0, 0, 'o', ?, '', 'STANDARD', '[]', 2)`);
    const tag = db.prepare('INSERT INTO object_tags (version_row, key, value) VALUES (?, ?, ?)');
    for (let i = 0; i < 50; i++) {
      const row = Number(insert.run(`k${i}`, i + 1, `v${i}`, 1, 10 + i).lastInsertRowid);
      tag.run(row, 'project', `p${i % 3}`);
      tag.run(row, 'n', String(i));
    }
    const tagsBefore = db.prepare('SELECT * FROM object_tags ORDER BY version_row, key').all();
    const statsBefore = db.prepare('SELECT * FROM tag_stats ORDER BY key, value').all();
    assert.equal(tagsBefore.length, 100);
    assert.equal(statsBefore.length, 3);
    migrate(db, MIGRATIONS.filter((m) => m.version <= 15));
    assert.deepEqual(db.prepare('SELECT * FROM object_tags ORDER BY version_row, key').all(), tagsBefore);
    assert.deepEqual(db.prepare('SELECT * FROM tag_stats ORDER BY key, value').all(), statsBefore);
    assert.deepEqual(db.pragma('foreign_key_list(object_tags)'), [], 'no foreign key left on object_tags');
    const names = db.prepare("SELECT name FROM sqlite_schema WHERE tbl_name IN ('object_tags', 'versions') AND type IN ('trigger', 'index') ORDER BY name").pluck().all();
    for (const name of ['object_tags_by_key_value', 'object_tags_version_delete', 'tag_stats_tag_delete', 'tag_stats_tag_insert',
      'tag_stats_tag_update', 'tag_stats_version_delete', 'tag_stats_version_update']) {
      assert.ok(names.includes(name), `${name} is there`);
    }
    // the triggers all work on the rebuilt table: delete versions, retag one, and compare with a recount
    db.prepare("DELETE FROM versions WHERE key IN ('k0', 'k1', 'k7')").run();
    db.prepare("UPDATE object_tags SET value = 'p9' WHERE version_row = (SELECT id FROM versions WHERE key = 'k2') AND key = 'project'").run();
    db.prepare("DELETE FROM object_tags WHERE version_row = (SELECT id FROM versions WHERE key = 'k3')").run();
    db.prepare("UPDATE versions SET tag_count = 0 WHERE key = 'k3'").run();
    assert.equal(db.prepare('SELECT count(*) FROM object_tags WHERE version_row NOT IN (SELECT id FROM versions)').pluck().get(), 0,
      'the deleted versions took their tags along');
    assert.equal(db.prepare('SELECT count(*) FROM object_tags').pluck().get(), 100 - 3 * 2 - 2);
    const figures = db.prepare('SELECT bucket, key, value, objects, bytes FROM tag_stats ORDER BY bucket, key, value').all();
    assert.deepEqual(figures, recountOf(db).tags(['project']));
    db.close();
  });

  void it('migration 016 drops versions.tag_count; the counts read are the tag rows, and the figures stay right', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-stats-'));
    try {
      const file = join(dir, 'metadata.sqlite');
      const db = new Database(file);
      db.pragma('foreign_keys = ON');
      migrate(db, MIGRATIONS.filter((m) => m.version < 16));
      db.exec(`INSERT INTO buckets (name, owner_account_id, region, created_at, versioning) VALUES ('a', 'o', 'us-east-1', 0, 'Enabled');
        INSERT INTO metrics_tag_keys (key) VALUES ('project')`);
      const insert = db.prepare(`INSERT INTO versions (bucket, key, seq, version_id, is_latest, is_delete_marker, last_modified,
        owner_account_id, size, etag, storage_class, segments, tag_count) VALUES ('a', ?, ?, ?, 1, 0, 0, 'o', ?, '', 'STANDARD', '[]', ?)`);
      const tag = db.prepare('INSERT INTO object_tags (version_row, key, value) VALUES (?, ?, ?)');
      for (let i = 0; i < 30; i++) {
        const row = Number(insert.run(`k${i}`, i + 1, `v${i}`, 10 + i, i % 3).lastInsertRowid);
        for (let t = 0; t < i % 3; t++) tag.run(row, t === 0 ? 'project' : `t${t}`, `p${i % 5}`);
      }
      db.prepare("UPDATE counters SET value = 1000 WHERE name = 'version_seq'").run(); // the store's next versions go on top
      const statsBefore = db.prepare('SELECT * FROM tag_stats ORDER BY key, value').all();
      migrate(db, MIGRATIONS);
      const columns = (db.pragma('table_info(versions)') as { name: string }[]).map((c) => c.name);
      assert.ok(!columns.includes('tag_count'), 'the column is gone');
      assert.deepEqual(db.prepare('SELECT * FROM tag_stats ORDER BY key, value').all(), statsBefore);
      db.close();

      const database = await SqliteDatabase.open(dir);
      const metadata = new SqliteMetadataStore(database, true);
      const stats = new SqliteStorageStats(database);
      try {
        for (let i = 0; i < 30; i++) assert.equal((await metadata.getVersion('a', `k${i}`))!.tagCount, i % 3, `tag count of k${i}`);
        // the version triggers still see the tags: a delete and an overwrite of tagged current versions, and a
        // demotion by a new version, each move the figures as a recount says
        await metadata.deleteVersion('a', 'k1', 'v1');
        await metadata.putVersion(newVersion('a', 'k4', { versionId: 'v4b', size: 99, tags: [{ key: 'project', value: 'z' }] }), { replaceNull: false });
        await metadata.putVersion(newVersion('a', 'k7', { versionId: 'v7b', size: 5 }), { replaceNull: false });
        assert.equal((await metadata.getVersion('a', 'k4'))!.tagCount, 1);
        assert.equal((await metadata.getVersion('a', 'k7'))!.tagCount, 0);
        assert.equal((await metadata.getVersion('a', 'k7', 'v7'))!.tagCount, 1);
        assert.deepEqual(await stats.trackedTagStats(), recountOf(database.db).tags(['project']));
      } finally {
        await metadata.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void it('checkIntegrity names tag rows whose version is gone (no foreign key check covers them now)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-stats-'));
    const database = await SqliteDatabase.open(dir);
    try {
      assert.deepEqual(database.checkIntegrity(), []);
      database.db.prepare("INSERT INTO object_tags (version_row, key, value) VALUES (424242, 'k', 'v')").run();
      assert.deepEqual(database.checkIntegrity(), ['object_tags: tags of version row 424242, which does not exist']);
    } finally {
      await database.close();
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
