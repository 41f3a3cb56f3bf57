import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AclGrant } from '../../../src/core/access/AccessControlList.js';
import { NULL_VERSION_ID } from '../../../src/core/objects/ObjectVersion.js';
import { PostgresMetadataStore } from '../../../src/storage/metadata/postgres/PostgresMetadataStore.js';
import { COMPACT_BUCKETS, COMPACT_TAGS } from '../../../src/storage/metadata/postgres/stats/statsSql.js';
import { bucketOf, newVersion } from '../metadata/contractKit.js';
import { check, figures, tagged, withFixture } from './statsFixture.js';
import { createBucket, put } from './statsSqlWriter.js';

/**
 * The interleavings migration 002 and PostgresStorageStats are built for, each forced with two connections held open:
 * writers of one bucket never wait for each other, a tag write and a demotion of its version count once, tracking a
 * key waits for the writes in flight, a compaction never folds a delta twice. And the one SQLite trigger not ported.
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
        await writer.query("INSERT INTO object_tags (version_row, key, value) SELECT id, 'project', 'p' FROM versions WHERE key = 'k'");
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
          await writer.query("INSERT INTO object_tags (version_row, key, value) SELECT id, 'project', 'p' FROM versions WHERE key = 'k'");
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
