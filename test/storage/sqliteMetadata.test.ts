import { SqliteBatchTagWriter } from '../../src/storage/metadata/sqlite/jobs/SqliteBatchTagWriter.js';
import { validateTagSet } from '../../src/core/tags/TagSet.js';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { NULL_VERSION_ID } from '../../src/core/objects/ObjectVersion.js';
import type { MetadataStore } from '../../src/core/ports/MetadataStore.js';
import { migrate } from '../../src/storage/metadata/sqlite/migrate.js';
import { MIGRATIONS } from '../../src/storage/metadata/sqlite/migrations/index.js';
import { METADATA_FILE, openDatabase } from '../../src/storage/metadata/sqlite/openDatabase.js';
import { SqliteDatabase } from '../../src/storage/metadata/sqlite/SqliteDatabase.js';
import { SqliteMetadataStore } from '../../src/storage/metadata/sqlite/SqliteMetadataStore.js';
import { withReadCaches } from '../../src/storage/cache/withReadCaches.js';
import {
  SELECT_BY_VERSION_ID,
  SELECT_LATEST,
  SELECT_OLDER_OF_KEY,
  SELECT_LIVE_TARGETS,
  listingSql,
} from '../../src/storage/metadata/sqlite/versionSql.js';
import { newVersion, runMetadataContract, type MetadataFixture } from './metadataContract.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'tessera-sqlite-'));
}

interface SqliteFixture {
  readonly dir: string;
  readonly store: SqliteMetadataStore;
  reopen(): Promise<SqliteMetadataStore>;
  dispose(): Promise<void>;
}

async function sqliteFixture(): Promise<SqliteFixture> {
  const dir = await tempDir();
  let current = await SqliteMetadataStore.open({ dataDir: dir });
  return {
    dir,
    store: current,
    async reopen() {
      await current.close();
      current = await SqliteMetadataStore.open({ dataDir: dir });
      return current;
    },
    async dispose() {
      await current.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

runMetadataContract('sqlite', { create: sqliteFixture });

/** The same store behind the read caches of the composition root: the contract holds through them too. */
async function cachedFixture(): Promise<MetadataFixture> {
  const raw = await sqliteFixture();
  const cached = (store: SqliteMetadataStore): MetadataStore => withReadCaches(store, store.writeSignal);
  return {
    store: cached(raw.store),
    async reopen() {
      return cached(await raw.reopen());
    },
    dispose: () => raw.dispose(),
  };
}

runMetadataContract('sqlite behind the read caches', { create: cachedFixture });

void describe('SqliteMetadataStore specifics', () => {
  void it('uses WAL, synchronous=NORMAL (the group commit fsyncs the WAL itself) and foreign keys', async () => {
    const dir = await tempDir();
    try {
      const db = openDatabase(dir);
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('synchronous', { simple: true }), 1); // NORMAL: COMMIT does not fsync…
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
      db.close();
      const store = await SqliteMetadataStore.open({ dataDir: dir });
      try {
        assert.equal(store.commitStats.walSyncs, 0);
        await store.createAccount({ id: '111111111111', canonicalId: 'c'.repeat(64), displayName: 'a', createdAt: new Date(0) });
        // …so the write resolved only after the group commit's own WAL fsync
        assert.equal(store.commitStats.walSyncs, 1);
        await Promise.all([
          store.createBucket({ name: 'b1', ownerAccountId: '111111111111', region: 'us-east-1', createdAt: new Date(0), versioning: 'Unversioned' }),
          store.createBucket({ name: 'b2', ownerAccountId: '111111111111', region: 'us-east-1', createdAt: new Date(0), versioning: 'Unversioned' }),
        ]);
        assert.ok(store.commitStats.walSyncs >= 2);
      } finally {
        await store.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  void it('read caches remember version lookups only until the next write, whoever writes', async () => {
    const dir = await tempDir();
    const database = await SqliteDatabase.open(dir);
    const raw = new SqliteMetadataStore(database, true);
    const store = withReadCaches(raw, database.writeSignal);
    try {
      await store.createBucket({ name: 'b', ownerAccountId: '111111111111', region: 'us-east-1', createdAt: new Date(0), versioning: 'Unversioned' });
      assert.equal(await store.getVersion('b', 'k'), undefined);
      await store.putVersion(newVersion('b', 'k', { versionId: NULL_VERSION_ID }), { replaceNull: true });
      const first = await store.getVersion('b', 'k');
      assert.equal(first?.tagCount, 0, 'a remembered miss is gone after the write');
      assert.equal(await store.getVersion('b', 'k'), first, 'the second lookup is served from memory');
      assert.ok(Object.isFrozen(first), 'shared versions are frozen');
      // a bulk writer's own unit on the shared connection (as S3 Batch Operations does)
      const writer = new SqliteBatchTagWriter(database);
      await database.commits.run(() => writer.replaceTagsOfTargets([{ bucket: 'b', key: 'k' }], validateTagSet([{ key: 't', value: 'v' }], 'object')));
      assert.equal((await store.getVersion('b', 'k'))?.tagCount, 1);
      await store.deleteVersion('b', 'k', NULL_VERSION_ID);
      assert.equal(await store.getVersion('b', 'k'), undefined);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  void it('read caches forget only the written key: tags, versions and deletes of one key leave the others cached', async () => {
    const dir = await tempDir();
    const database = await SqliteDatabase.open(dir);
    const raw = new SqliteMetadataStore(database, true);
    // count the reads that reach the store behind the caches
    const reads = { tags: 0, versions: 0 };
    const counted = new Proxy(raw, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => unknown;
        return (...args: unknown[]): unknown => {
          if (property === 'getTagsOnly') reads.tags++;
          if (property === 'getVersion') reads.versions++;
          return method.apply(target, args);
        };
      },
    });
    const store = withReadCaches(counted, database.writeSignal);
    const tagsOf = async (key: string, versionId?: string): Promise<unknown> => [...((await store.getTagsOnly?.('b', key, versionId)) ?? ['missing'])];
    const tag = (value: string): { key: string; value: string }[] => [{ key: 'security', value }];
    try {
      await store.createBucket({ name: 'b', ownerAccountId: '111111111111', region: 'us-east-1', createdAt: new Date(0), versioning: 'Enabled' });
      const a1 = await store.putVersion(newVersion('b', 'a', { tags: tag('a1') }), { replaceNull: false });
      const a2 = await store.putVersion(newVersion('b', 'a', { tags: tag('a2') }), { replaceNull: false });
      await store.putVersion(newVersion('b', 'b', { tags: tag('b') }), { replaceNull: false });
      assert.deepEqual(await tagsOf('a'), tag('a2'));
      assert.deepEqual(await tagsOf('a', a1.versionId), tag('a1'));
      assert.deepEqual(await tagsOf('b'), tag('b'));
      assert.equal((await store.getVersion('b', 'b'))?.tagCount, 1);
      const before = { ...reads };
      assert.deepEqual(await tagsOf('b'), tag('b'));
      assert.deepEqual(await tagsOf('a', a1.versionId), tag('a1'));
      assert.deepEqual(reads, before, 'served from memory');

      // a tag write on a: a's lookups show the new tags at once (the write leaves them remembered); b stays cached
      assert.equal((await store.replaceTags('b', 'a', undefined, tag('a2-new'))).status, 'ok');
      assert.deepEqual(await tagsOf('a'), tag('a2-new'));
      assert.deepEqual(await tagsOf('a', a2.versionId), tag('a2-new'));
      assert.deepEqual(await tagsOf('a', a1.versionId), tag('a1'));
      assert.deepEqual(await tagsOf('b'), tag('b'));
      assert.equal((await store.getVersion('b', 'b'))?.tagCount, 1);
      assert.equal(reads.tags, before.tags + 2, "only a's versions by id, forgotten with their key, were read again");
      assert.equal(reads.versions, before.versions, "b's version stayed cached");

      // a tag write on an older version of a
      assert.equal((await store.replaceTags('b', 'a', a1.versionId, tag('a1-new'))).status, 'ok');
      assert.deepEqual(await tagsOf('a', a1.versionId), tag('a1-new'));
      assert.deepEqual(await tagsOf('a'), tag('a2-new'));

      // a new version of a: the latest lookups follow it, the versions by id keep theirs
      const a3 = await store.putVersion(newVersion('b', 'a', { tags: tag('a3') }), { replaceNull: false });
      assert.equal((await store.getVersion('b', 'a'))?.versionId, a3.versionId);
      assert.deepEqual(await tagsOf('a'), tag('a3'));
      assert.deepEqual(await tagsOf('a', a2.versionId), tag('a2-new'));

      // deleting the latest version: a's latest is a2 again; deleting a1: it is gone
      await store.deleteVersion('b', 'a', a3.versionId);
      assert.equal((await store.getVersion('b', 'a'))?.versionId, a2.versionId);
      assert.deepEqual(await tagsOf('a'), tag('a2-new'));
      assert.deepEqual(await tagsOf('a', a3.versionId), ['missing']);
      await store.deleteVersion('b', 'a', a1.versionId);
      assert.deepEqual(await tagsOf('a', a1.versionId), ['missing']);
      assert.equal(await store.getVersion('b', 'a', a1.versionId), undefined);

      // a write that names no key (a batch job's unit) drops everything
      const writer = new SqliteBatchTagWriter(database);
      await database.commits.run(() => writer.replaceTagsOfTargets([{ bucket: 'b', key: 'a' }], validateTagSet(tag('batch'), 'object')));
      assert.deepEqual(await tagsOf('a'), tag('batch'));
      const readsOfB = reads.tags;
      assert.deepEqual(await tagsOf('b'), tag('b'));
      assert.equal(reads.tags, readsOfB + 1, "b's tags were read again after the unscoped write");
      assert.equal(await store.getTagsOnly?.('b', 'b'), await store.getTagsOnly?.('b', 'b'), 'and remembered again');

      // two tag writes to one key in one transaction: the later one's tags are stored, and none is remembered wrongly
      const racing = [store.replaceTags('b', 'a', undefined, tag('first')), store.replaceTags('b', 'a', undefined, tag('second'))];
      await Promise.all(racing);
      assert.deepEqual(await tagsOf('a'), tag('second'));
      // a write to the key on the store behind the caches, right after a tag write through them
      const through = store.replaceTags('b', 'a', undefined, tag('cached'));
      const behind = raw.replaceTags('b', 'a', undefined, tag('behind'));
      await Promise.all([through, behind]);
      assert.deepEqual(await tagsOf('a'), tag('behind'));
      // a write naming no key (a batch unit) right after a tag write through the caches
      const tagged = store.replaceTags('b', 'a', undefined, tag('cached'));
      const unit = database.commits.run(() => writer.replaceTagsOfTargets([{ bucket: 'b', key: 'a' }], validateTagSet(tag('batch2'), 'object')));
      await Promise.all([tagged, unit]);
      assert.deepEqual(await tagsOf('a'), tag('batch2'));
      // a write naming no key that changes no row (a worker's poll finding nothing to do) keeps every cache
      assert.deepEqual(await tagsOf('b'), tag('b'));
      const polled = reads.tags;
      await database.commits.run(() => database.db.prepare("SELECT * FROM object_tags WHERE key = 'none'").all());
      assert.deepEqual(await tagsOf('b'), tag('b'));
      assert.equal(reads.tags, polled, 'still served from memory');
      // one that changes a row drops them
      await database.commits.run(() => database.db.prepare("UPDATE object_tags SET value = 'raw' WHERE value = 'b'").run());
      assert.deepEqual(await tagsOf('b'), tag('raw'));
      // the tags a write leaves remembered are in the order the store reads them back (UTF-8 byte order)
      const unordered = [{ key: 'z', value: '1' }, { key: '\u{1F600}', value: '2' }, { key: '\uFF21', value: '3' }, { key: 'a', value: '4' }];
      assert.equal((await store.replaceTags('b', 'a', undefined, unordered)).status, 'ok');
      const remembered = await tagsOf('a');
      assert.deepEqual(remembered, await raw.getTagsOnly('b', 'a'));
      assert.deepEqual(remembered, [unordered[3], unordered[0], unordered[2], unordered[1]]);
      // a write that fails (no such key) leaves nothing remembered
      assert.equal((await store.replaceTags('b', 'nokey', undefined, tag('x'))).status, 'missing');
      assert.deepEqual(await tagsOf('nokey'), ['missing']);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  void it('a batch unit logs its tag changes to the change outbox exactly for followed buckets', async () => {
    const dir = await tempDir();
    const database = await SqliteDatabase.open(dir);
    const store = new SqliteMetadataStore(database, true);
    try {
      for (const bucket of ['quiet', 'followed']) {
        await store.createBucket({ name: bucket, ownerAccountId: '111111111111', region: 'us-east-1', createdAt: new Date(0), versioning: 'Unversioned' });
        for (const key of ['a', 'b']) await store.putVersion(newVersion(bucket, key, { versionId: NULL_VERSION_ID }), { replaceNull: true });
      }
      const outbox = (): unknown[] => database.db.prepare("SELECT bucket, key, kind FROM change_outbox WHERE kind = 'tags' ORDER BY bucket, key").all();
      const writer = new SqliteBatchTagWriter(database);
      const tags = validateTagSet([{ key: 't', value: 'v' }], 'object');
      const unit = (): void => {
        for (const bucket of ['quiet', 'followed']) for (const key of ['a', 'b']) writer.replaceTagsOfTargets([{ bucket, key }], tags);
      };
      await database.commits.run(unit);
      assert.deepEqual(outbox(), [], 'nobody follows either bucket yet');
      // followed from the next transaction on: the writer asks again in every transaction
      await database.commits.run(() => database.db.prepare("INSERT INTO change_feeds (bucket, consumer) VALUES ('followed', 'test')").run());
      await database.commits.run(unit);
      assert.deepEqual(outbox(), [
        { bucket: 'followed', key: 'a', kind: 'tags' },
        { bucket: 'followed', key: 'b', kind: 'tags' },
      ]);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  void it('caches buckets without ever serving a stale or rolled-back row', async () => {
    const dir = await tempDir();
    const database = await SqliteDatabase.open(dir);
    const store = withReadCaches(new SqliteMetadataStore(database, true), database.writeSignal);
    try {
      const bucket = { name: 'b', ownerAccountId: '111111111111', region: 'us-east-1', createdAt: new Date(0), versioning: 'Unversioned' as const };
      assert.equal(await store.getBucket('b'), undefined);
      await store.createBucket(bucket);
      assert.equal((await store.getBucket('b'))?.versioning, 'Unversioned');
      await store.setBucketVersioning('b', 'Enabled');
      // a read inside a write that is then rolled back must not leave its view in the cache
      await assert.rejects(
        database.commits.run(() => {
          database.db.prepare("UPDATE buckets SET versioning = 'Suspended' WHERE name = 'b'").run();
          let seen: string | undefined;
          void store.getBucket('b').then((b) => (seen = b?.versioning));
          throw new Error(`fail after the change (seen ${String(seen)})`);
        }),
      );
      assert.equal((await store.getBucket('b'))?.versioning, 'Enabled');
      assert.equal((await store.getBucket('b'))?.versioning, 'Enabled');
      assert.equal(await store.deleteBucket('b'), 'deleted');
      assert.equal(await store.getBucket('b'), undefined);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  void it('records migrations once and refuses a schema newer than it knows', async () => {
    const dir = await tempDir();
    try {
      const db = openDatabase(dir);
      const recorded = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
      assert.deepEqual(recorded, MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      assert.deepEqual(migrate(db, MIGRATIONS), [], 'nothing to apply the second time');
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        MIGRATIONS.length + 1,
        'from-the-future',
        Date.now(),
      );
      db.close();
      assert.throws(() => openDatabase(dir), /newer than this build knows/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  void it('applies only migrations newer than the recorded version', () => {
    const db = new Database(':memory:');
    const first = { version: 1, name: 'one', sql: 'CREATE TABLE t1 (a INTEGER)' };
    const second = { version: 2, name: 'two', sql: 'CREATE TABLE t2 (a INTEGER)' };
    assert.deepEqual(migrate(db, [first]), [1]);
    assert.deepEqual(migrate(db, [first, second]), [2]);
    assert.throws(() => migrate(db, [second]), /expected 1/);
    db.close();
  });

  void it('group commit: writes of one turn share a transaction; a failing one rejects alone', async () => {
    const fixture = await sqliteFixture();
    try {
      const store = fixture.store;
      await store.createBucket({
        name: 'b',
        ownerAccountId: '111111111111',
        region: 'us-east-1',
        createdAt: new Date(),
        versioning: 'Unversioned',
      });
      const before = { ...store.commitStats };
      const inputs = Array.from({ length: 200 }, (_, i) => newVersion('b', `k${i}`, { versionId: NULL_VERSION_ID }));
      const failing = newVersion('b', 'bad', {
        versionId: NULL_VERSION_ID,
        tags: [
          { key: 'same', value: '1' },
          { key: 'same', value: '2' },
        ],
      });
      const settled = await Promise.allSettled([
        ...inputs.slice(0, 100).map((v) => store.putVersion(v, { replaceNull: true })),
        store.putVersion(failing, { replaceNull: true }),
        ...inputs.slice(100).map((v) => store.putVersion(v, { replaceNull: true })),
      ]);
      assert.equal(settled.filter((s) => s.status === 'rejected').length, 1);
      assert.equal(settled[100]?.status, 'rejected');
      const commits = store.commitStats.commits - before.commits;
      assert.equal(store.commitStats.writes - before.writes, 201);
      assert.equal(commits, 1, 'all 201 writes issued in one turn went into one transaction');
      assert.equal((await store.listLatest('b', { prefix: '', limit: 1000 })).length, 200);
      assert.equal(await store.getVersion('b', 'bad'), undefined);

      // And they are on disk: a second connection sees them.
      const other = new Database(join(fixture.dir, METADATA_FILE), { readonly: true });
      const count = other.prepare("SELECT count(*) AS n FROM versions WHERE bucket = 'b'").get() as { n: number };
      assert.equal(count.n, 200);
      other.close();
      assert.deepEqual(store.checkIntegrity(), []);
    } finally {
      await fixture.dispose();
    }
  });

  void it('group commit: work queued with atEndOfWrite commits or rolls back with its own write, and only with it', async () => {
    const dir = await tempDir();
    const database = await SqliteDatabase.open(dir);
    try {
      const { db, commits } = database;
      await commits.run(() => db.exec('CREATE TABLE t (n INTEGER PRIMARY KEY, note TEXT)'));
      const insert = db.prepare('INSERT INTO t (n, note) VALUES (?, ?)');
      assert.equal(commits.currentWrite, undefined);
      assert.equal(commits.atEndOfWrite(() => insert.run(99, 'never')), false, 'outside a write nothing is queued');
      const seen: (number | undefined)[] = [];
      const settled = await Promise.allSettled([
        commits.run(() => {
          seen.push(commits.currentWrite);
          commits.atEndOfWrite(() => insert.run(1, 'finished'));
          return 'first';
        }),
        commits.run(() => {
          seen.push(commits.currentWrite);
          commits.atEndOfWrite(() => insert.run(2, 'thrown away'));
          throw new Error('work fails');
        }),
        commits.run(() => {
          seen.push(commits.currentWrite);
          insert.run(3, 'own row');
          commits.atEndOfWrite(() => insert.run(3, 'duplicate key')); // the finisher throws: its write fails alone
        }),
        commits.run(() => {
          seen.push(commits.currentWrite);
          commits.atEndOfWrite(() => commits.atEndOfWrite(() => insert.run(4, 'queued by a finisher')));
        }),
      ]);
      assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'rejected', 'rejected', 'fulfilled']);
      assert.equal(new Set(seen).size, 4, 'every write has its own number');
      assert.equal(commits.currentWrite, undefined);
      assert.deepEqual(db.prepare('SELECT n, note FROM t ORDER BY n').all(), [
        { n: 1, note: 'finished' },
        { n: 4, note: 'queued by a finisher' },
      ]);
    } finally {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  void it('writes after close are refused', async () => {
    const fixture = await sqliteFixture();
    await fixture.store.close();
    await assert.rejects(fixture.store.setBucketVersioning('b', 'Enabled'), /closed/);
    await fixture.dispose();
  });

  void it('close waits for queued writes', async () => {
    const fixture = await sqliteFixture();
    try {
      const store = fixture.store;
      const pending = store.createAccount({
        id: '111111111111',
        canonicalId: 'c'.repeat(64),
        displayName: 'a',
        createdAt: new Date(),
      });
      const reopened = await fixture.reopen();
      assert.equal(await pending, 'created');
      assert.equal((await reopened.getAccount('111111111111'))?.displayName, 'a');
    } finally {
      await fixture.dispose();
    }
  });

  void it('query plans: single index seeks, listings from the right index, no full scans or sorts', async () => {
    const dir = await tempDir();
    try {
      const db = openDatabase(dir);
      // Give the planner statistics resembling a big bucket so it does not pick plans that only suit empty tables.
      db.exec('ANALYZE');
      db.exec(`INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
        ('versions', 'versions_by_version_id', '1000000 1000000 2 1'),
        ('versions', 'versions_by_key', '1000000 1000000 2 1'),
        ('versions', 'versions_live', '800000 800000 1')`);
      db.exec('ANALYZE sqlite_schema');
      const plan = (sql: string): string =>
        (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...placeholders(sql)) as { detail: string }[])
          .map((r) => r.detail)
          .join(' | ');
      const expectPlan = (sql: string, index: string): void => {
        const p = plan(sql);
        assert.match(p, new RegExp(`USING (COVERING )?INDEX ${index}\\b`), p);
        assert.doesNotMatch(p, /SCAN versions(?! USING)|TEMP B-TREE/, p);
      };
      expectPlan(SELECT_LATEST, 'versions_by_key');
      expectPlan(SELECT_BY_VERSION_ID, 'versions_by_version_id');
      expectPlan(SELECT_OLDER_OF_KEY, 'versions_by_key');
      expectPlan(SELECT_LIVE_TARGETS, 'versions_live');
      assert.match(plan(SELECT_LIVE_TARGETS), /COVERING INDEX versions_live/, 'a batch lookup never reads the table row');
      for (const inclusive of [true, false]) {
        for (const hasUpper of [true, false]) {
          expectPlan(listingSql('live', inclusive, hasUpper), 'versions_live');
          expectPlan(listingSql('all', inclusive, hasUpper), 'versions_by_key');
          assert.match(plan(listingSql('live', inclusive, hasUpper)), /key>\?/);
        }
      }
      db.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

function placeholders(sql: string): string[] {
  return Array.from(sql.matchAll(/\?/g), () => 'x');
}

