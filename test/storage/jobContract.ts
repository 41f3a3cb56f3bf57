import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Job } from '../../src/core/batch/Job.js';
import type { BatchTagOutcome, JobStore, UnitOutcome, UnitTagWrites } from '../../src/core/ports/JobStore.js';
import type { Tag } from '../../src/core/tags/Tag.js';
import { validateTagSet } from '../../src/core/tags/TagSet.js';

/** What a version looks like after tag writes: its tag_count and its tag rows (in key order). */
export interface StoredTags {
  readonly tagCount: number;
  readonly tags: readonly Tag[];
}

/** A change-outbox row, as the contract compares them. */
export interface OutboxRow {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
  readonly kind: string;
  readonly event: string;
}

/** Version rows of the backend's metadata, for the unit's tag writes to act on (the store's own database). */
export interface JobVersionFixture {
  /** Create the bucket if new, then add a version of the key (the latest from now on), with these tags. */
  put(bucket: string, key: string, versionId: string, options?: { readonly deleteMarker?: boolean; readonly tags?: readonly Tag[] }): Promise<void>;
  /** The tags of one version. */
  tags(bucket: string, key: string, versionId: string): Promise<StoredTags>;
  /** Make a consumer follow the bucket (its changes go to the change outbox). */
  follow(bucket: string): Promise<void>;
  /** The change outbox in the order it was written. */
  outbox(): Promise<OutboxRow[]>;
}

export interface JobStoreFixture {
  readonly store: JobStore;
  readonly versions: JobVersionFixture;
  close(): Promise<void>;
}

const NO_WRITES: UnitTagWrites = { tags: validateTagSet([], 'object'), targets: [] };
const HOLDER = 'contract-worker';
const LONG = 60_000;

/**
 * The JobStore contract: every backend runs it (test/storage/sqliteJobs.test.ts for SQLite). `open` gives a fresh,
 * empty store on a database of its own, version rows for its tag writes, and a way to close it.
 */
export function jobStoreContract(name: string, open: () => Promise<JobStoreFixture>): void {
  let store: JobStore;
  let versions: JobVersionFixture;
  let close: () => Promise<void>;
  let n = 0;
  let urgent = 1_000_000;

  /** Lease `j` (or its first range with rows left, when Active) to `holder`: it is made the most urgent job, then claimed. */
  async function lease(j: Job, holder = HOLDER): Promise<number | undefined> {
    await store.updatePriority(j.accountId, j.id, ++urgent);
    const claim = await store.claimJob(holder, LONG);
    assert.equal(claim?.job.id, j.id, 'the most urgent job is claimed');
    return claim?.range?.first;
  }

  /** Move a new job to Active with one range of `rows` rows. */
  async function activate(j: Job, rows = 1_000): Promise<void> {
    assert.equal((await store.transition(j.id, ['New'], 'Active', { totalTasks: rows, ranges: [{ first: 0, end: rows }] }))?.status, 'Active');
  }

  function job(priority: number, overrides: Partial<Job> = {}): Job {
    n += 1;
    return {
      id: `job-${n}`,
      accountId: '000000000000',
      seq: 0,
      status: 'New',
      priority,
      confirmationRequired: false,
      clientRequestToken: `token-${n}`,
      requestFingerprint: 'f',
      roleArn: 'arn:aws:iam::000000000000:role/r',
      spec: { operation: { kind: 'S3DeleteObjectTagging' }, report: { enabled: false } },
      tags: [],
      creationTime: new Date(),
      failureReasons: [],
      succeeded: 0,
      failed: 0,
      cursor: 0,
      activeMs: 0,
      ...overrides,
    };
  }

  before(async () => {
    const opened = await open();
    store = opened.store;
    versions = opened.versions;
    close = () => opened.close();
  });

  after(async () => {
    await close();
  });

  describe(`JobStore contract: ${name}`, () => {
  it('orders waiting work by priority (highest first), then age; UpdateJobPriority reorders', async () => {
    const low = (await store.createJob(job(1))).job;
    const high = (await store.createJob(job(50))).job;
    const mid = (await store.createJob(job(10))).job;
    const alsoHigh = (await store.createJob(job(50))).job;
    assert.deepEqual((await store.runnableJobs()).map((j) => j.id), [high.id, alsoHigh.id, mid.id, low.id]);
    await store.updatePriority('000000000000', low.id, 99);
    assert.deepEqual((await store.runnableJobs()).map((j) => j.id), [low.id, high.id, alsoHigh.id, mid.id]);
    for (const j of [low, high, mid, alsoHigh]) await store.transition(j.id, ['New'], 'Cancelled');
    assert.deepEqual(await store.runnableJobs(), []);
  });

  it('leases a job to one holder at a time; an expired lease is taken over', async () => {
    assert.equal(await store.claimJob('A', LONG), undefined, 'nothing runnable');
    const j = (await store.createJob(job(5))).job;
    const other = (await store.createJob(job(1))).job;
    const a = await store.claimJob('A', LONG);
    assert.equal(a?.job.id, j.id, 'the most urgent job');
    assert.equal(a?.range, undefined, 'a job step, not a range');
    assert.equal((await store.claimJob('B', LONG))?.job.id, other.id, 'another holder gets another job');
    assert.equal(await store.claimJob('C', LONG), undefined, 'every runnable job is held');
    assert.equal((await store.claimJob('A', LONG))?.job.id, j.id, 'a holder claims its own job again');
    assert.equal(await store.renewJob(j.id, 'B', LONG), false, 'only the holder renews');
    assert.equal(await store.renewJob(j.id, 'A', LONG), true);
    await store.releaseJob(j.id, 'B');
    assert.equal(await store.claimJob('C', LONG), undefined, "another holder's release changes nothing");
    // A stops renewing (killed): once its lease expires, C takes the job over
    assert.equal(await store.renewJob(j.id, 'A', 1), true);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal((await store.claimJob('C', LONG))?.job.id, j.id, 'the expired lease is taken over');
    assert.equal(await store.renewJob(j.id, 'A', LONG), false, 'the old holder no longer renews');
    await store.releaseJob(j.id, 'C');
    assert.equal((await store.claimJob('A', LONG))?.job.id, j.id, 'a released job may be claimed at once');
    await store.transition(j.id, ['New'], 'Cancelled');
    await store.transition(other.id, ['New'], 'Cancelled');
    assert.equal(await store.claimJob('A', LONG), undefined, 'an ended job is not claimed');
  });

  it("leases an Active job's ranges to several holders at once; a range's units commit only for its holder, exactly once", async () => {
    const j = (await store.createJob(job(5))).job;
    const made = await store.transition(j.id, ['New'], 'Active', { totalTasks: 25, ranges: [{ first: 0, end: 10 }, { first: 10, end: 20 }, { first: 20, end: 25 }] });
    assert.equal(made?.status, 'Active');
    assert.deepEqual(await store.ranges(j.id), [{ first: 0, end: 10, cursor: 0 }, { first: 10, end: 20, cursor: 10 }, { first: 20, end: 25, cursor: 20 }], 'each starts undone');
    const claims = [await store.claimJob('A', LONG), await store.claimJob('B', LONG), await store.claimJob('C', LONG)];
    assert.deepEqual(claims.map((c) => [c?.job.id, c?.range?.first]), [[j.id, 0], [j.id, 10], [j.id, 20]], 'one range each, lowest first');
    assert.equal(await store.claimJob('D', LONG), undefined, 'every range with rows left is held');
    assert.equal((await store.claimJob('A', LONG))?.range?.first, 0, 'a holder claims its own range again');

    let ran = 0;
    const unit = (cursor: number, succeeded = 1) => (): UnitOutcome => {
      ran++;
      return { cursor, succeeded, failed: 0, activeMs: 1, failures: [] };
    };
    assert.equal(await store.commitUnit(j.id, 0, 'B', NO_WRITES, unit(5)), undefined, "not the range's holder: nothing applied");
    assert.equal(ran, 0);
    assert.equal(await store.renewJob(j.id, 'B', LONG, 0), false, "only the range's holder renews it");
    assert.equal(await store.renewJob(j.id, 'B', LONG, 10), true);
    assert.equal((await store.commitUnit(j.id, 0, 'A', NO_WRITES, unit(5, 5)))?.cursor, 5, "the job's cursor counts the rows applied");
    await assert.rejects(store.commitUnit(j.id, 0, 'A', NO_WRITES, unit(5)), 'a cursor that does not move is refused');
    await assert.rejects(store.commitUnit(j.id, 0, 'A', NO_WRITES, unit(11)), "a cursor past the range's end is refused");

    // A stops renewing (killed): once its range's lease expires, D takes the range over from its cursor
    assert.equal(await store.renewJob(j.id, 'A', 1, 0), true);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const taken = await store.claimJob('D', LONG);
    assert.deepEqual(taken?.range, { first: 0, end: 10, cursor: 5 }, 'the expired range, with its durable cursor');
    assert.equal(await store.commitUnit(j.id, 0, 'A', NO_WRITES, unit(10)), undefined, 'the old holder commits nothing');
    assert.equal(await store.renewJob(j.id, 'A', LONG, 0), false, 'nor renews');
    assert.equal((await store.commitUnit(j.id, 0, 'D', NO_WRITES, unit(10, 5)))?.cursor, 10);
    assert.equal(await store.commitUnit(j.id, 0, 'D', NO_WRITES, unit(10)), undefined, 'a done range commits nothing more');
    assert.equal((await store.commitUnit(j.id, 10, 'B', NO_WRITES, unit(20, 10)))?.cursor, 20);
    assert.equal(await store.claimJob('E', LONG), undefined, 'the last range is still held: nothing to claim, not even the job');
    const last = await store.commitUnit(j.id, 20, 'C', NO_WRITES, unit(25, 5));
    assert.deepEqual([last?.cursor, last?.succeeded], [25, 25], 'every row counted once');
    assert.deepEqual((await store.ranges(j.id)).map((r) => r.cursor), [10, 20, 25]);

    // every range done: the job itself is claimed (to be finished), by one holder
    const finisher = await store.claimJob('E', LONG);
    assert.deepEqual([finisher?.job.id, finisher?.range], [j.id, undefined]);
    assert.equal(await store.claimJob('F', LONG), undefined, "the job's lease is held");
    await store.releaseJob(j.id, 'C', 20);
    assert.equal(await store.claimJob('F', LONG), undefined, "releasing a done range's lease changes nothing");
    await store.transition(j.id, ['Active'], 'Complete');
    assert.equal(await store.claimJob('A', LONG), undefined);
  });

  it('passes over an Active job whose ranges are all held for a less urgent job; a released range is claimed at once', async () => {
    const busy = (await store.createJob(job(9))).job;
    await store.transition(busy.id, ['New'], 'Active', { totalTasks: 4, ranges: [{ first: 0, end: 4 }] });
    const waiting = (await store.createJob(job(2))).job;
    assert.deepEqual([(await store.claimJob('A', LONG))?.range?.first, (await store.claimJob('B', LONG))?.job.id], [0, waiting.id]);
    await store.releaseJob(busy.id, 'A', 0);
    assert.deepEqual((await store.claimJob('C', LONG))?.range, { first: 0, end: 4, cursor: 0 });
    assert.equal(await store.transition(waiting.id, ['Ready'], 'Active', { ranges: [{ first: 0, end: 1 }] }), undefined);
    assert.deepEqual(await store.ranges(waiting.id), [], 'a transition refused makes no range');
    await store.transition(busy.id, ['Active'], 'Cancelling');
    await store.transition(waiting.id, ['New'], 'Cancelled');
    assert.equal((await store.claimJob('D', LONG))?.job.id, busy.id, 'a Cancelling job is claimed whole');
    await store.transition(busy.id, ['Cancelling'], 'Cancelled');
  });

  it('returns the existing job for a repeated ClientRequestToken', async () => {
    const first = await store.createJob(job(1, { clientRequestToken: 'same' }));
    const again = await store.createJob(job(1, { clientRequestToken: 'same' }));
    assert.equal(first.status, 'created');
    assert.equal(again.status, 'exists');
    assert.equal(again.job.id, first.job.id);
    await store.transition(first.job.id, ['New'], 'Cancelled');
  });

  it('transitions only from the expected states', async () => {
    const j = (await store.createJob(job(1))).job;
    assert.equal(await store.transition(j.id, ['Active'], 'Complete'), undefined);
    assert.equal((await store.transition(j.id, ['New'], 'Preparing'))?.status, 'Preparing');
    await store.transition(j.id, ['Preparing'], 'Cancelled');
  });

  it('commits a unit with its failures and counters only while the job is Active', async () => {
    const j = (await store.createJob(job(1))).job;
    await lease(j);
    let ran = 0;
    const unit = () => {
      ran++;
      return { cursor: 10, succeeded: 8, failed: 2, activeMs: 5, failures: [3, 7].map((row) => ({ row, httpStatus: 404, errorCode: 'NoSuchKey', message: 'm' })) };
    };
    assert.equal(await store.commitUnit(j.id, 0, HOLDER, NO_WRITES, unit), undefined, 'not Active (no range yet): nothing applied');
    assert.equal(ran, 0);
    await activate(j, 100);
    assert.equal(await lease(j), 0);
    const after = await store.commitUnit(j.id, 0, HOLDER, NO_WRITES, unit);
    assert.equal(ran, 1);
    assert.deepEqual([after?.cursor, after?.succeeded, after?.failed, after?.activeMs], [10, 8, 2, 5]);
    assert.deepEqual((await store.failures(j.id, -1, 10)).map((f) => f.row), [3, 7]);
    assert.deepEqual((await store.failures(j.id, 3, 10)).map((f) => f.row), [7]);
    const active = (await store.summary()).find((s) => s.status === 'Active');
    assert.deepEqual(active, { status: 'Active', jobs: 1, tasksSucceeded: 8, tasksFailed: 2 }, 'the summary counts the job and its tasks');
    // a unit that throws is rolled back whole
    await assert.rejects(
      store.commitUnit(j.id, 0, HOLDER, NO_WRITES, () => {
        throw new Error('boom');
      }),
    );
    assert.equal((await store.getJobById(j.id))?.cursor, 10);
    assert.deepEqual(await store.ranges(j.id), [{ first: 0, end: 100, cursor: 10 }]);
    // cancelled: the next unit applies nothing
    await store.transition(j.id, ['Active'], 'Cancelling');
    assert.equal(await store.commitUnit(j.id, 0, HOLDER, NO_WRITES, () => ({ ...unit(), cursor: 20 })), undefined);
    assert.equal((await store.getJobById(j.id))?.cursor, 10);
    await store.transition(j.id, ['Cancelling'], 'Cancelled');
  });

  it('lists an account\'s jobs newest first, filtered by status, in pages', async () => {
    const all = await store.listJobs('000000000000', [], undefined, 100);
    assert.ok(all.length >= 6);
    for (let i = 1; i < all.length; i++) assert.ok(all[i - 1]!.seq > all[i]!.seq);
    const page = await store.listJobs('000000000000', [], all[1]!.seq, 2);
    assert.deepEqual(page.map((j) => j.id), all.slice(2, 4).map((j) => j.id));
    assert.ok((await store.listJobs('000000000000', ['Active'], undefined, 100)).every((j) => j.status === 'Active'));
    assert.deepEqual(await store.listJobs('999999999999', [], undefined, 100), []);
  });

  it('finds a job only in its own account; getJobById finds it anywhere', async () => {
    const j = (await store.createJob(job(1))).job;
    assert.equal((await store.getJob('000000000000', j.id))?.id, j.id);
    assert.equal(await store.getJob('999999999999', j.id), undefined);
    assert.equal((await store.getJobById(j.id))?.id, j.id);
    assert.equal(await store.getJobById('no-such-job'), undefined);
    assert.equal(await store.transition('no-such-job', ['New'], 'Cancelled'), undefined);
    await store.transition(j.id, ['New'], 'Cancelled');
  });

  it('replaces a job\'s tags, only in its own account', async () => {
    const j = (await store.createJob(job(1))).job;
    assert.equal(await store.setJobTags('000000000000', j.id, [{ key: 'a', value: '1' }]), 'ok');
    assert.deepEqual((await store.getJobById(j.id))?.tags, [{ key: 'a', value: '1' }]);
    assert.equal(await store.setJobTags('999999999999', j.id, []), 'missing');
    assert.equal(await store.setJobTags('000000000000', j.id, []), 'ok');
    assert.deepEqual((await store.getJobById(j.id))?.tags, []);
    await store.transition(j.id, ['New'], 'Cancelled');
  });

  it('pages failures in row order', async () => {
    const j = (await store.createJob(job(1))).job;
    await activate(j);
    await lease(j);
    const rows = [1, 2, 5, 8, 13];
    await store.commitUnit(j.id, 0, HOLDER, NO_WRITES, () => ({ cursor: 20, succeeded: 15, failed: 5, activeMs: 1, failures: rows.map((row) => ({ row, httpStatus: 403, errorCode: 'AccessDenied', message: 'Access Denied' })) }));
    assert.deepEqual((await store.failures(j.id, -1, 2)).map((f) => f.row), [1, 2]);
    assert.deepEqual((await store.failures(j.id, 2, 2)).map((f) => f.row), [5, 8]);
    assert.deepEqual((await store.failures(j.id, 8, 2)).map((f) => f.row), [13]);
    assert.deepEqual(await store.failures(j.id, 13, 2), []);
    assert.deepEqual((await store.failures(j.id, -1, 1))[0], { row: 1, httpStatus: 403, errorCode: 'AccessDenied', message: 'Access Denied' });
    await store.transition(j.id, ['Active'], 'Cancelling');
  });

  it("applies a unit's tag writes with PutObjectTagging's rules, in the unit's transaction", async () => {
    await versions.put('tb', 'a', 'a1');
    await versions.put('tb', 'a', 'a2');
    await versions.put('tb', 'b', 'b1');
    await versions.put('tb', 'b', 'b2', { deleteMarker: true });
    await versions.put('tb', 'c', 'c1', { tags: [{ key: 'x', value: '1' }, { key: 'y', value: '2' }] });
    await versions.put('quiet', 'q', 'q1', { tags: [{ key: 'x', value: '1' }] });
    await versions.follow('tb');
    const j = (await store.createJob(job(1))).job;
    await activate(j);
    await lease(j);
    const put = validateTagSet([{ key: 't', value: '1' }, { key: 'x', value: '1' }], 'object');
    const targets = [
      { bucket: 'quiet', key: 'q' },
      { bucket: 'tb', key: 'a' },
      { bucket: 'tb', key: 'a', versionId: 'a1' },
      { bucket: 'tb', key: 'a', versionId: 'no-such-version' },
      { bucket: 'tb', key: 'b' },
      { bucket: 'tb', key: 'b', versionId: 'b1' },
      { bucket: 'tb', key: 'c' },
      { bucket: 'tb', key: 'no-such-key' },
    ];
    const outbox = await versions.outbox();
    let seen: readonly BatchTagOutcome[] = [];
    let at = 0;
    const count = (results: readonly BatchTagOutcome[]): UnitOutcome => {
      seen = results;
      const ok = results.filter((r) => r === 'ok').length;
      return { cursor: at + results.length, succeeded: ok, failed: results.length - ok, activeMs: 1, failures: [] };
    };
    // refused (not the holder; a unit that throws): nothing of the writes is applied
    assert.equal(await store.commitUnit(j.id, 0, 'someone-else', { tags: put, targets }, count), undefined);
    await assert.rejects(
      store.commitUnit(j.id, 0, HOLDER, { tags: put, targets }, () => {
        throw new Error('boom');
      }),
    );
    assert.deepEqual(await versions.tags('tb', 'a', 'a2'), { tagCount: 0, tags: [] });
    assert.deepEqual(await versions.tags('tb', 'c', 'c1'), { tagCount: 2, tags: [{ key: 'x', value: '1' }, { key: 'y', value: '2' }] });
    assert.deepEqual(await versions.outbox(), outbox);

    const after = await store.commitUnit(j.id, 0, HOLDER, { tags: put, targets }, count);
    at = 8;
    assert.deepEqual(seen, ['ok', 'ok', 'ok', 'missing', 'delete-marker', 'ok', 'ok', 'missing']);
    assert.deepEqual([after?.cursor, after?.succeeded, after?.failed], [8, 5, 3]);
    const tagged = { tagCount: 2, tags: [{ key: 't', value: '1' }, { key: 'x', value: '1' }] };
    for (const [bucket, key, versionId] of [['quiet', 'q', 'q1'], ['tb', 'a', 'a2'], ['tb', 'a', 'a1'], ['tb', 'b', 'b1'], ['tb', 'c', 'c1']] as const) {
      assert.deepEqual(await versions.tags(bucket, key, versionId), tagged, `${bucket}/${key}@${versionId}`);
    }
    const logged = (await versions.outbox()).slice(outbox.length);
    assert.deepEqual(
      logged,
      [['a', 'a2'], ['a', 'a1'], ['b', 'b1'], ['c', 'c1']].map(([key, versionId]) => ({ bucket: 'tb', key, versionId, kind: 'tags', event: 's3:ObjectTagging:Put' })),
      'the followed bucket\'s tag changes, in the unit\'s order',
    );

    // keys that JSON escapes (the SQLite store looks a unit's keys up as one JSON array), latest and by version
    const odd = ['q"uote\\back', 'tab\there/😀', 'é ü%2F+'];
    for (const [i, key] of odd.entries()) await versions.put('tb', key, `o${i}`);
    await store.commitUnit(
      j.id,
      0,
      HOLDER,
      { tags: put, targets: [...odd.map((key) => ({ bucket: 'tb', key })), { bucket: 'tb', key: odd[1]!, versionId: 'o1' }, { bucket: 'tb', key: 'q"uote' }] },
      count,
    );
    at += 5;
    assert.deepEqual(seen, ['ok', 'ok', 'ok', 'ok', 'missing']);
    for (const [i, key] of odd.entries()) assert.deepEqual(await versions.tags('tb', key, `o${i}`), tagged, key);

    // DeleteObjectTagging: the empty set
    await store.commitUnit(j.id, 0, HOLDER, { tags: validateTagSet([], 'object'), targets: [{ bucket: 'tb', key: 'c' }] }, count);
    assert.deepEqual(seen, ['ok']);
    assert.deepEqual(await versions.tags('tb', 'c', 'c1'), { tagCount: 0, tags: [] });
    assert.deepEqual((await versions.outbox()).at(-1), { bucket: 'tb', key: 'c', versionId: 'c1', kind: 'tags', event: 's3:ObjectTagging:Delete' });
    await store.transition(j.id, ['Active'], 'Cancelled');
  });
  });
}
