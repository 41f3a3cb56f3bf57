import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Job } from '../../../src/core/batch/Job.js';
import type { JobClaim, UnitOutcome, UnitTagWrites } from '../../../src/core/ports/JobStore.js';
import type { Tag } from '../../../src/core/tags/Tag.js';
import { validateTagSet } from '../../../src/core/tags/TagSet.js';
import { PostgresDatabase } from '../../../src/storage/metadata/postgres/PostgresDatabase.js';
import { PostgresJobStore } from '../../../src/storage/metadata/postgres/jobs/PostgresJobStore.js';
import { LOCK_KEYS } from '../../../src/storage/metadata/postgres/versionSql.js';
import { createTestDatabase } from '../../support/postgresCluster.js';
import { jobStoreContract, type JobVersionFixture, type OutboxRow } from '../jobContract.js';

/** Version rows written with plain SQL (the PostgreSQL metadata store is not this store's concern). */
function versionRows(db: PostgresDatabase): JobVersionFixture {
  return {
    async put(bucket, key, versionId, options = {}) {
      await db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO buckets (name, owner_account_id, region, created_at, versioning) VALUES ($1, '111111111111', 'us-east-1', 0, 'Enabled')
           ON CONFLICT (name) DO NOTHING`,
          [bucket],
        );
        await tx.query('UPDATE versions SET is_latest = 0 WHERE bucket = $1 AND key = $2 AND is_latest = 1', [bucket, key]);
        const deleteMarker = options.deleteMarker === true;
        const tags = options.tags ?? [];
        const row = await tx.query<{ id: number }>(
          `INSERT INTO versions (bucket, key, seq, version_id, is_latest, is_delete_marker, last_modified, owner_account_id,
             size, etag, storage_class, segments, tag_count)
           VALUES ($1, $2, nextval('version_seq'), $3, 1, $4, 0, '111111111111', $5, $6, 'STANDARD', '[]', $7) RETURNING id`,
          [bucket, key, versionId, deleteMarker ? 1 : 0, deleteMarker ? 0 : 10, deleteMarker ? '' : `etag-${versionId}`, tags.length],
        );
        for (const tag of tags) {
          await tx.query('INSERT INTO object_tags (version_row, key, value) VALUES ($1, $2, $3)', [row.rows[0]!.id, tag.key, tag.value]);
        }
      });
    },
    async tags(bucket, key, versionId) {
      const row = await db.query<{ id: number; tag_count: number }>(
        'SELECT id, tag_count FROM versions WHERE bucket = $1 AND key = $2 AND version_id = $3',
        [bucket, key, versionId],
      );
      const tags = await db.query<Tag>('SELECT key, value FROM object_tags WHERE version_row = $1 ORDER BY key COLLATE "C"', [row.rows[0]!.id]);
      return { tagCount: row.rows[0]!.tag_count, tags: tags.rows };
    },
    async follow(bucket) {
      await db.query("INSERT INTO change_feeds (bucket, consumer) VALUES ($1, 'contract')", [bucket]);
    },
    async outbox() {
      const rows = await db.query<OutboxRow>('SELECT bucket, key, version_id AS "versionId", kind, event FROM change_outbox ORDER BY txid, id');
      return rows.rows;
    },
  };
}

jobStoreContract('PostgreSQL', async () => {
  const database = await createTestDatabase();
  const db = await PostgresDatabase.open(database.url);
  return {
    store: new PostgresJobStore(db),
    versions: versionRows(db),
    async close() {
      await db.close();
      await database.dispose();
    },
  };
});

const NO_WRITES: UnitTagWrites = { tags: validateTagSet([], 'object'), targets: [] };

describe('PostgresJobStore: two nodes on one database', () => {
  let database: { url: string; dispose(): Promise<void> };
  let dbA: PostgresDatabase;
  let dbB: PostgresDatabase;
  let nodeA: PostgresJobStore;
  let nodeB: PostgresJobStore;
  let n = 0;

  function job(priority: number): Job {
    n++;
    return {
      id: `race-${n}`,
      accountId: '000000000000',
      seq: 0,
      status: 'New',
      priority,
      confirmationRequired: false,
      clientRequestToken: `race-token-${n}`,
      requestFingerprint: 'f',
      roleArn: 'arn:aws:iam::000000000000:role/r',
      spec: { operation: { kind: 'S3PutObjectTagging', tags: validateTagSet([{ key: 't', value: 'v' }], 'object') }, report: { enabled: false } },
      tags: [],
      creationTime: new Date(),
      failureReasons: [],
      succeeded: 0,
      failed: 0,
      cursor: 0,
      activeMs: 0,
    };
  }

  before(async () => {
    database = await createTestDatabase();
    dbA = await PostgresDatabase.open(database.url);
    dbB = await PostgresDatabase.open(database.url);
    nodeA = new PostgresJobStore(dbA);
    nodeB = new PostgresJobStore(dbB);
  });

  after(async () => {
    await dbA.close();
    await dbB.close();
    await database.dispose();
  });

  async function cancelAll(): Promise<void> {
    for (const j of await nodeA.runnableJobs()) await nodeA.transition(j.id, [j.status], 'Cancelled');
  }

  it('racing claims: two nodes get different jobs; with one job, one node gets none', async () => {
    for (let round = 0; round < 20; round++) {
      const one = (await nodeA.createJob(job(1))).job;
      const [a, b] = await Promise.all([nodeA.claimJob('A', 60_000), nodeB.claimJob('B', 60_000)]);
      assert.deepEqual([a?.job.id, b?.job.id].filter((id) => id !== undefined), [one.id], 'exactly one node has the job');
      await cancelAll();
      const x = (await nodeA.createJob(job(1))).job;
      const y = (await nodeA.createJob(job(1))).job;
      const [c, d] = await Promise.all([nodeA.claimJob('A', 60_000), nodeB.claimJob('B', 60_000)]);
      assert.ok(c !== undefined && d !== undefined, 'both nodes have a job');
      assert.deepEqual([c.job.id, d.job.id].sort(), [x.id, y.id].sort(), 'different jobs');
      await cancelAll();
      // one Active job: its ranges go to both nodes at once, each range to one of them
      const spread = (await nodeA.createJob(job(1))).job;
      await nodeA.transition(spread.id, ['New'], 'Active', { totalTasks: 20, ranges: [{ first: 0, end: 10 }, { first: 10, end: 20 }] });
      const [e, f] = await Promise.all([nodeA.claimJob('A', 60_000), nodeB.claimJob('B', 60_000)]);
      assert.deepEqual([e?.job.id, f?.job.id], [spread.id, spread.id], 'both nodes work on the job');
      assert.deepEqual([e?.range?.first, f?.range?.first].sort(), [0, 10], 'on different ranges');
      await cancelAll();
    }
  });

  it("a unit's commit and a claim race: the claim passes the range by, and the old holder's late unit applies nothing", async () => {
    const j = (await nodeA.createJob(job(1))).job;
    await nodeA.transition(j.id, ['New'], 'Active', { totalTasks: 10, ranges: [{ first: 0, end: 10 }] });
    assert.equal((await nodeA.claimJob('A', 60_000))?.range?.first, 0);
    // while A commits a unit (the range's row locked), B's claim skips the range instead of waiting
    let claimedDuringUnit: JobClaim | undefined | null = null;
    await nodeA.commitUnit(j.id, 0, 'A', NO_WRITES, () => ({ cursor: 1, succeeded: 1, failed: 0, activeMs: 0, failures: [] }));
    await dbA.query('UPDATE batch_job_ranges SET lease_until = 0 WHERE job_id = $1', [j.id]);
    await dbA.transaction(async (tx) => {
      await tx.query('SELECT 1 FROM batch_job_ranges WHERE job_id = $1 FOR UPDATE', [j.id]);
      claimedDuringUnit = await nodeB.claimJob('B', 60_000);
    });
    assert.equal(claimedDuringUnit, undefined, 'a locked range is passed by');
    // A is killed: its lease ran out, B takes the range over from its durable cursor
    const taken = await nodeB.claimJob('B', 60_000);
    assert.deepEqual(taken?.range, { first: 0, end: 10, cursor: 1 });
    let ran = 0;
    const unit = (): UnitOutcome => {
      ran++;
      return { cursor: 2, succeeded: 1, failed: 0, activeMs: 0, failures: [] };
    };
    assert.equal(await nodeA.commitUnit(j.id, 0, 'A', NO_WRITES, unit), undefined, "the old holder's unit applies nothing");
    assert.equal(ran, 0);
    assert.equal((await nodeB.commitUnit(j.id, 0, 'B', NO_WRITES, unit))?.cursor, 2);
    assert.equal((await nodeA.getJobById(j.id))?.succeeded, 2, 'each row counted once');
    await cancelAll();
  });

  it('units of two ranges of one job commit side by side on two nodes; a cancel committed first rolls a unit in flight back', async () => {
    const versions = versionRows(dbA);
    for (const key of ['r1', 'r2', 'r3']) await versions.put('spread', key, `v-${key}`);
    const j = (await nodeA.createJob(job(1))).job;
    await nodeA.transition(j.id, ['New'], 'Active', { totalTasks: 30, ranges: [{ first: 0, end: 10 }, { first: 10, end: 20 }, { first: 20, end: 30 }] });
    const [a, b] = [await nodeA.claimJob('A', 60_000), await nodeB.claimJob('B', 60_000)];
    assert.deepEqual([a?.range?.first, b?.range?.first], [0, 10]);
    const put = (key: string): UnitTagWrites => ({ tags: validateTagSet([{ key: 'n', value: key }], 'object'), targets: [{ bucket: 'spread', key }] });
    const unit = (cursor: number) => (r: readonly string[]): UnitOutcome => ({ cursor, succeeded: r.length, failed: 0, activeMs: 0, failures: [] });
    // A's unit holds its range's row (as a slow unit would) while B's unit of the other range commits
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const slow = dbA.transaction(async (tx) => {
      await tx.query('SELECT 1 FROM batch_job_ranges WHERE job_id = $1 AND first_row = 0 FOR UPDATE', [j.id]);
      await released;
    });
    assert.equal((await nodeB.commitUnit(j.id, 10, 'B', put('r2'), unit(20)))?.cursor, 10, "B's unit does not wait for A's range");
    release();
    await slow;
    assert.equal((await nodeA.commitUnit(j.id, 0, 'A', put('r1'), unit(10)))?.cursor, 20);

    // the third range: its unit waits for a cancel in flight (the job row locked), then finds the job cancelled
    const c = await nodeA.claimJob('C', 60_000);
    assert.equal(c?.range?.first, 20);
    let commitCancel: () => void = () => undefined;
    const cancelGo = new Promise<void>((resolve) => (commitCancel = resolve));
    let cancelLocked: () => void = () => undefined;
    const cancelHasRow = new Promise<void>((resolve) => (cancelLocked = resolve));
    const cancel = dbB.transaction(async (tx) => {
      await tx.query(`UPDATE batch_jobs SET status = 'Cancelling' WHERE id = $1`, [j.id]);
      cancelLocked();
      await cancelGo;
    });
    await cancelHasRow;
    const late = nodeA.commitUnit(j.id, 20, 'C', put('r3'), unit(30));
    await new Promise((resolve) => setTimeout(resolve, 200));
    commitCancel();
    await cancel;
    assert.equal(await late, undefined, 'the unit in flight is rolled back');
    assert.deepEqual(await versions.tags('spread', 'r3', 'v-r3'), { tagCount: 0, tags: [] }, 'its tag write is not applied');
    assert.deepEqual(await versions.tags('spread', 'r2', 'v-r2'), { tagCount: 1, tags: [{ key: 'n', value: 'r2' }] });
    assert.deepEqual((await nodeA.ranges(j.id)).map((r) => r.cursor), [10, 20, 20]);
    const after = await nodeA.getJobById(j.id);
    assert.deepEqual([after?.status, after?.cursor, after?.succeeded], ['Cancelling', 20, 2]);
    await cancelAll();
  });

  it("a unit waits for its keys' writers (their key locks), so the outbox follows each key's order; units are bounded", async () => {
    const versions = versionRows(dbA);
    await versions.put('ordered', 'k', 'k1');
    await versions.follow('ordered');
    const j = (await nodeA.createJob(job(1))).job;
    await nodeA.transition(j.id, ['New'], 'Active', { totalTasks: 10, ranges: [{ first: 0, end: 10 }] });
    assert.equal((await nodeB.claimJob('B', 60_000))?.job.id, j.id);
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let writerHasLock: () => void = () => undefined;
    const locked = new Promise<void>((resolve) => (writerHasLock = resolve));
    // another writer of the key (as the metadata store's writers do): the key's lock, then its write and outbox row
    const writer = dbA.transaction(async (tx) => {
      await tx.query(LOCK_KEYS, [['ordered'], ['k']]);
      writerHasLock();
      await released;
      await tx.query(
        `INSERT INTO change_outbox (bucket, key, version_id, kind, event, at) VALUES ('ordered', 'k', 'k1', 'tags', 'writer', 0)`,
      );
    });
    await locked;
    let unitDone = false;
    const unit = nodeB
      .commitUnit(j.id, 0, 'B', { tags: validateTagSet([{ key: 'u', value: '1' }], 'object'), targets: [{ bucket: 'ordered', key: 'k' }] }, (r) => ({
        cursor: 1,
        succeeded: r.length,
        failed: 0,
        activeMs: 0,
        failures: [],
      }))
      .then((after) => {
        unitDone = true;
        return after;
      });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(unitDone, false, "the unit waits for the key's writer");
    release();
    await writer;
    assert.equal((await unit)?.cursor, 1);
    const events = await dbA.query<{ event: string }>("SELECT event FROM change_outbox WHERE bucket = 'ordered' ORDER BY txid, id");
    assert.deepEqual(events.rows.map((r) => r.event), ['writer', 's3:ObjectTagging:Put'], 'in the order the key was written');
    const tooMany = Array.from({ length: nodeB.maxUnitTargets + 1 }, (_, i) => ({ bucket: 'ordered', key: `x${i}` }));
    await assert.rejects(nodeB.commitUnit(j.id, 0, 'B', { tags: validateTagSet([], 'object'), targets: tooMany }, () => assert.fail('not run')));
    await cancelAll();
  });

  it('concurrent units of two jobs writing the same versions keep tag rows and tag_count consistent', async () => {
    const versions = versionRows(dbA);
    const keys = Array.from({ length: 50 }, (_, i) => `k${String(i).padStart(3, '0')}`);
    for (const key of keys) await versions.put('shared', key, `v-${key}`, { tags: [{ key: 'old', value: '1' }] });
    const jobs = [(await nodeA.createJob(job(2))).job, (await nodeA.createJob(job(1))).job];
    for (const j of jobs) await nodeA.transition(j.id, ['New'], 'Active', { totalTasks: 1000, ranges: [{ first: 0, end: 1000 }] });
    const [a, b] = [(await nodeA.claimJob('A', 60_000))?.job, (await nodeB.claimJob('B', 60_000))?.job];
    assert.ok(a !== undefined && b !== undefined && a.id !== b.id);
    const writesA: UnitTagWrites = { tags: validateTagSet([{ key: 'a', value: '1' }], 'object'), targets: keys.map((key) => ({ bucket: 'shared', key })) };
    const writesB: UnitTagWrites = {
      tags: validateTagSet([{ key: 'b', value: '1' }, { key: 'old', value: '2' }], 'object'),
      targets: [...keys].reverse().map((key) => ({ bucket: 'shared', key })),
    };
    for (let round = 0; round < 5; round++) {
      const count = (results: readonly string[]): UnitOutcome => ({ cursor: (round + 1) * 50, succeeded: results.length, failed: 0, activeMs: 0, failures: [] });
      const [x, y] = await Promise.all([nodeA.commitUnit(a.id, 0, 'A', writesA, count), nodeB.commitUnit(b.id, 0, 'B', writesB, count)]);
      assert.ok(x !== undefined && y !== undefined, 'both units committed');
    }
    const mismatched = await dbA.query(
      `SELECT v.id FROM versions v WHERE v.bucket = 'shared'
         AND v.tag_count <> (SELECT count(*) FROM object_tags o WHERE o.version_row = v.id)`,
    );
    assert.equal(mismatched.rowCount, 0, 'tag_count equals the tag rows');
    const sets = await dbA.query<{ tags: string }>(
      `SELECT string_agg(o.key || '=' || o.value, ',' ORDER BY o.key) AS tags FROM versions v JOIN object_tags o ON o.version_row = v.id
        WHERE v.bucket = 'shared' GROUP BY v.id`,
    );
    for (const r of sets.rows) assert.ok(['a=1', 'b=1,old=2'].includes(r.tags), `a whole set, not a mix: ${r.tags}`);
    await cancelAll();
  });
});
