import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type pg from 'pg';
import type { AclGrant } from '../../../src/core/access/AccessControlList.js';
import { NULL_VERSION_ID } from '../../../src/core/objects/ObjectVersion.js';
import type { PostgresDatabase } from '../../../src/storage/metadata/postgres/PostgresDatabase.js';
import { PostgresMetadataStore } from '../../../src/storage/metadata/postgres/PostgresMetadataStore.js';
import type { PostgresStorageStats } from '../../../src/storage/metadata/postgres/stats/PostgresStorageStats.js';
import { COMPACT_BUCKETS, COMPACT_TAGS } from '../../../src/storage/metadata/postgres/stats/statsSql.js';
import { bucketOf, newVersion } from '../metadata/contractKit.js';
import { check, figures, tagged, withFixture } from './statsFixture.js';
import { createBucket, put } from './statsSqlWriter.js';
import { untilSomeoneWaitsForALock } from './untilLockWait.js';

/**
 * The interleavings migration 002 and PostgresStorageStats are built for, each forced with two connections held open:
 * writers of one bucket never wait for each other, a tag write and a demotion of its version count once, tracking a
 * key waits for the writes in flight (those past the snapshot's xmax too) and counts the key it added, not one added
 * again meanwhile, a compaction never folds a delta twice. And the one SQLite trigger not ported.
 */

describe('PostgreSQL storage figures: races', () => {
  void it('a write of one bucket does not wait for another transaction writing the same bucket (no hot row)', () =>
    withFixture(async ({ db, stats }) => {
      await stats.setTrackedTagKeys(['project']);
      await createBucket(db, 'b');
      const client = await db.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO versions (bucket, key, seq, version_id, is_latest, is_delete_marker, last_modified, owner_account_id, size, etag,
             storage_class, segments) VALUES ('b', 'open', nextval('version_seq'), 'null', 1, 0, 0, 'o', 5, '', 'STANDARD', '[]')`,
        );
        const other = put(db, 'b', 'k', { versionId: 'null', size: 1, tags: tagged({ project: 'p' }) });
        const timeout = new Promise<'blocked'>((resolve) => setTimeout(() => resolve('blocked'), 3000));
        assert.equal(await Promise.race([other.then(() => 'done' as const), timeout]), 'done');
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      await check(db, stats, 'two writers');
    }));

  void it('a tag write racing a change of its version\'s liveness in another transaction counts once', () =>
    withFixture(async ({ db, stats }) => {
      await stats.setTrackedTagKeys(['project']);
      await createBucket(db, 'b', 'Enabled');
      await put(db, 'b', 'plain', { versionId: 'new', size: 5, tags: [] });
      await put(db, 'b', 'tagged', { versionId: 'new', size: 7, tags: tagged({ project: 'p' }) });
      const id = async (key: string): Promise<number> =>
        (await db.query<{ id: number }>('SELECT id FROM versions WHERE key = $1', [key])).rows[0]!.id;
      const [plain, withTags] = [await id('plain'), await id('tagged')];
      // each version demoted by one transaction while another writes its tags, with no lock of its own
      for (const [row, tagWrite] of [
        [plain, "INSERT INTO object_tags (version_row, key, value) VALUES ($1, 'project', 'q')"],
        [withTags, 'DELETE FROM object_tags WHERE version_row = $1'],
      ] as const) {
        const demoting = await db.pool.connect();
        const tagging = await db.pool.connect();
        try {
          await demoting.query('BEGIN');
          // a new version goes on top: the old one is demoted
          await demoting.query('UPDATE versions SET is_latest = 0 WHERE id = $1', [row]);
          await demoting.query(
            `INSERT INTO versions (bucket, key, seq, version_id, is_latest, is_delete_marker, last_modified, owner_account_id, size,
               etag, storage_class, segments)
             SELECT bucket, key, nextval('version_seq'), 'v' || id, 1, 0, 0, 'o', 1, '', 'STANDARD', '[]' FROM versions WHERE id = $1`,
            [row],
          );
          await tagging.query('BEGIN');
          const write = tagging.query(tagWrite, [row]); // waits for the demotion (the trigger's FOR SHARE)
          await new Promise((resolve) => setTimeout(resolve, 200));
          await demoting.query('COMMIT');
          await write;
          await tagging.query('COMMIT');
        } finally {
          demoting.release();
          tagging.release();
        }
        await check(db, stats, `a tag write racing a demotion (${tagWrite})`);
      }
    }));

  void it('tracking a key waits for the writes in flight, without stopping new ones, and counts each once', () =>
    withFixture(async ({ db, stats }) => {
      await createBucket(db, 'b');
      await put(db, 'b', 'k', { versionId: 'null', size: 5, tags: [] });
      await put(db, 'b', 'old', { versionId: 'null', size: 1, tags: tagged({ project: 'p' }) });
      const writer = await db.pool.connect();
      try {
        await writer.query('BEGIN');
        await tagProject(writer, 'k');
        let tracked = false;
        const tracking = stats.setTrackedTagKeys(['project']).then(() => {
          tracked = true;
        });
        await new Promise((resolve) => setTimeout(resolve, 200));
        // the key is not counted yet (reads answer from the tag index), and writers go on meanwhile
        assert.equal(tracked, false);
        assert.deepEqual(await stats.trackedTagKeys(), []);
        await put(db, 'b', 'new', { versionId: 'null', size: 10, tags: tagged({ project: 'p' }) });
        assert.deepEqual(await stats.countByTag('b', 'project'), [{ value: 'p', objects: 2, bytes: 11 }]);
        await writer.query('COMMIT');
        await tracking;
      } finally {
        writer.release();
      }
      await check(db, stats, 'tracking during writes');
      assert.deepEqual(await stats.trackedTagStats(), [{ bucket: 'b', key: 'project', value: 'p', objects: 3, bytes: 16 }]);
    }));

  void it('tracking a key waits for a writer that got its transaction id after the last commit (past the snapshot\'s xmax)', () =>
    withFixture(async ({ db, stats }) => {
      await stats.setTrackedTagKeys(['class']);
      await createBucket(db, 'b');
      await put(db, 'b', 'k', { versionId: 'null', size: 5, tags: tagged({ class: 'c' }) });
      await stats.compact(); // a base row of 'class', which the change below deletes
      const blocker = await db.pool.connect();
      const writer = await db.pool.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query("SELECT 1 FROM tag_stats WHERE key = 'class' FOR UPDATE");
        let tracked = false;
        const tracking = stats.setTrackedTagKeys(['project']).then(() => {
          tracked = true;
        });
        // the change has its transaction id (it deleted the row of 'class') and waits for the blocker's row lock
        await untilSomeoneWaitsForALock(db);
        // a writer gets its id after the change's and writes a 'project' tag; its trigger does not see the key yet
        await writer.query('BEGIN');
        await tagProject(writer, 'k');
        // the change commits: the last completed id, so the writer's id is past the xmax of any snapshot taken now
        await blocker.query('COMMIT');
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(tracked, false, 'the change waits for the writer');
        await writer.query('COMMIT');
        await tracking;
      } finally {
        blocker.release();
        writer.release();
      }
      await checkProjectP(db, stats, 'tracking while a writer past xmax was in flight');
    }));

  void it('a change of the tracked keys that finds its key dropped and added again meanwhile leaves the count to the call that added it', () =>
    withFixture(async ({ db, stats }) => {
      await createBucket(db, 'b');
      await put(db, 'b', 'k', { versionId: 'null', size: 5, tags: [] });
      await put(db, 'b', 'j', { versionId: 'null', size: 7, tags: [] });
      const early = await db.pool.connect();
      const late = await db.pool.connect();
      try {
        // a writer in flight when the first call adds the key: that call waits for it
        await early.query('BEGIN');
        await early.query("INSERT INTO object_tags (version_row, key, value) SELECT id, 'other', 'o' FROM versions WHERE key = 'j'");
        let firstDone = false;
        const first = stats.setTrackedTagKeys(['project']).then(() => {
          firstDone = true;
        });
        await untilKeys(db, ['project']);
        await stats.setTrackedTagKeys([]); // dropped…
        // …a writer tags while the key is not tracked, and is in flight when a third call adds the key again
        await late.query('BEGIN');
        await tagProject(late, 'k');
        let thirdDone = false;
        const third = stats.setTrackedTagKeys(['project']).then(() => {
          thirdDone = true;
        });
        await untilKeys(db, ['project']);
        // the first call's wait ends; the key it added is gone, the row there now is the third call's to count
        await early.query('COMMIT');
        await first;
        assert.equal(firstDone, true);
        assert.deepEqual(await stats.trackedTagKeys(), [], 'not counted before the late writer ends');
        assert.equal(thirdDone, false, 'the third call waits for the late writer');
        await late.query('COMMIT');
        await third;
      } finally {
        early.release();
        late.release();
      }
      await checkProjectP(db, stats, 'a key dropped and added again while a change waited');
    }));

  void it('a delta a writer in flight adds for a key just dropped is never read, and is folded out or corrected', () =>
    withFixture(async ({ db, stats }) => {
      await stats.setTrackedTagKeys(['project']);
      await createBucket(db, 'b');
      await put(db, 'b', 'k', { versionId: 'null', size: 5, tags: [] });
      const strayDelta = async (): Promise<void> => {
        const writer = await db.pool.connect();
        try {
          await writer.query('BEGIN');
          await writer.query("DELETE FROM object_tags WHERE key = 'project'");
          await tagProject(writer, 'k');
          await stats.setTrackedTagKeys([]); // drops the key's figures; the writer's delta is not committed yet
          await writer.query('COMMIT');
        } finally {
          writer.release();
        }
      };
      await strayDelta();
      assert.equal((await db.query("SELECT 1 FROM tag_stats_deltas WHERE key = 'project'")).rowCount, 1, 'a stray delta');
      assert.deepEqual(await stats.trackedTagStats(), []);
      await stats.setTrackedTagKeys(['project']); // the stray delta is part of what the count corrects
      await check(db, stats, 'tracking the key again');
      await strayDelta();
      await stats.compact(); // a compaction deletes it
      const left = await db.query("SELECT 1 FROM tag_stats_deltas WHERE key = 'project'");
      assert.equal(left.rowCount, 0);
      await stats.setTrackedTagKeys(['project']);
      await check(db, stats, 'tracking the key once more');
    }));

  void it('a compaction that starts while another holds the deltas waits, then folds none of them again', () =>
    withFixture(async ({ db, stats }) => {
      await stats.setTrackedTagKeys(['project']);
      await createBucket(db, 'b');
      for (let i = 0; i < 5; i++) await put(db, 'b', `k${i}`, { versionId: 'null', size: 10 + i, tags: tagged({ project: 'p' }) });
      const first = await db.pool.connect();
      try {
        await first.query('BEGIN');
        await first.query(COMPACT_BUCKETS);
        await first.query(COMPACT_TAGS);
        let waited = true;
        const second = stats.compact().then(() => {
          waited = false;
        }); // its DELETE waits on the rows the first one took
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.equal(waited, true, 'the second compaction waits for the first');
        await first.query('COMMIT');
        await second;
      } finally {
        first.release();
      }
      assert.deepEqual(await figures(stats, 'b'), { objects: 5, objectBytes: 60, versions: 5, versionBytes: 60, deleteMarkers: 0 });
      await check(db, stats, 'two compactions');
    }));

  void it("the metadata store's in-place overwrite keeps the ACL it writes and drops the old one (no trigger undoes it)", () =>
    withFixture(async ({ db }) => {
      const store = new PostgresMetadataStore(db);
      const grants = (uri: string): AclGrant[] => [{ grantee: { type: 'Group', uri }, permission: 'READ' }];
      await store.createBucket(bucketOf('b'));
      const put = (acl?: AclGrant[]) =>
        store.putVersion(newVersion('b', 'k', { versionId: NULL_VERSION_ID, ...(acl === undefined ? {} : { acl }) }), { replaceNull: true });
      await put(grants('http://acs.amazonaws.com/groups/global/AllUsers'));
      await put(grants('http://acs.amazonaws.com/groups/global/AuthenticatedUsers'));
      assert.deepEqual((await store.getObjectAcl('b', 'k'))?.acl, grants('http://acs.amazonaws.com/groups/global/AuthenticatedUsers'));
      await put();
      assert.equal((await store.getObjectAcl('b', 'k'))?.acl, undefined);
    }));
});

/** Until metrics_tag_keys holds exactly these keys (committed), counted or not. */
async function untilKeys(db: PostgresDatabase, keys: readonly string[]): Promise<void> {
  const sql = 'SELECT coalesce(array_agg(key ORDER BY key), ARRAY[]::text[]) AS keys FROM metrics_tag_keys';
  for (let i = 0; JSON.stringify((await db.query<{ keys: string[] }>(sql)).rows[0]!.keys) !== JSON.stringify(keys); i++) {
    if (i > 500) throw new Error(`metrics_tag_keys never held ${keys.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A 'project=p' tag on the (null) version of `key`, written in the connection's open transaction. */
async function tagProject(client: pg.PoolClient, key: string): Promise<void> {
  await client.query("INSERT INTO object_tags (version_row, key, value) SELECT id, 'project', 'p' FROM versions WHERE key = $1", [key]);
}

/** The figures equal a recount, and 'project' is tracked with one 5-byte object tagged p. */
async function checkProjectP(db: PostgresDatabase, stats: PostgresStorageStats, step: string): Promise<void> {
  await check(db, stats, step);
  assert.deepEqual(await stats.trackedTagStats(), [{ bucket: 'b', key: 'project', value: 'p', objects: 1, bytes: 5 }]);
}
