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

  /** Lease `j` to `holder`: it is made the most urgent job, then claimed. */
  async function lease(j: Job, holder = HOLDER): Promise<void> {
    await store.updatePriority(j.accountId, j.id, ++urgent);
    assert.equal((await store.claimJob(holder, LONG))?.id, j.id, 'the most urgent job is claimed');
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

  it('leases a job to one holder at a time; an expired lease is taken over; a lost lease commits nothing', async () => {
    assert.equal(await store.claimJob('A', LONG), undefined, 'nothing runnable');
    const j = (await store.createJob(job(5))).job;
    const other = (await store.createJob(job(1))).job;
    assert.equal((await store.claimJob('A', LONG))?.id, j.id, 'the most urgent job');
    assert.equal((await store.claimJob('B', LONG))?.id, other.id, 'another holder gets another job');
    assert.equal(await store.claimJob('C', LONG), undefined, 'every runnable job is held');
    assert.equal((await store.claimJob('A', LONG))?.id, j.id, 'a holder claims its own job again');
    assert.equal(await store.renewJob(j.id, 'B', LONG), false, 'only the holder renews');
    assert.equal(await store.renewJob(j.id, 'A', LONG), true);
    await store.releaseJob(j.id, 'B');
    assert.equal(await store.claimJob('C', LONG), undefined, "another holder's release changes nothing");

    await store.transition(j.id, ['New'], 'Active');
    let ran = 0;
    const outcome = (): UnitOutcome => {
      ran++;
      return { cursor: 1, succeeded: 1, failed: 0, activeMs: 1, failures: [] };
    };
    assert.equal(await store.commitUnit(j.id, 'B', NO_WRITES, outcome), undefined, 'not the holder: nothing applied');
    assert.equal(ran, 0);
    assert.equal((await store.commitUnit(j.id, 'A', NO_WRITES, outcome))?.cursor, 1);

    // A stops renewing (killed): once its lease expires, C takes the job over and A's next unit applies nothing
    assert.equal(await store.renewJob(j.id, 'A', 1), true);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const taken = await store.claimJob('C', LONG);
    assert.equal(taken?.id, j.id, 'the expired lease is taken over');
    assert.equal(taken?.cursor, 1, 'with the durable cursor');
    assert.equal(await store.commitUnit(j.id, 'A', NO_WRITES, () => ({ ...outcome(), cursor: 2 })), undefined, 'the old holder commits nothing');
    assert.equal(await store.renewJob(j.id, 'A', LONG), false, 'nor renews');
    assert.equal((await store.commitUnit(j.id, 'C', NO_WRITES, () => ({ ...outcome(), cursor: 2 })))?.cursor, 2);
    assert.equal((await store.getJobById(j.id))?.succeeded, 2);

    await store.releaseJob(j.id, 'C');
    assert.equal((await store.claimJob('A', LONG))?.id, j.id, 'a released job may be claimed at once');
    await store.transition(j.id, ['Active'], 'Cancelled');
    await store.transition(other.id, ['New'], 'Cancelled');
    assert.equal(await store.claimJob('A', LONG), undefined, 'an ended job is not claimed');
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
    assert.equal(await store.commitUnit(j.id, HOLDER, NO_WRITES, unit), undefined, 'not Active: nothing applied');
    assert.equal(ran, 0);
    await store.transition(j.id, ['New'], 'Active');
    const after = await store.commitUnit(j.id, HOLDER, NO_WRITES, unit);
    assert.equal(ran, 1);
    assert.deepEqual([after?.cursor, after?.succeeded, after?.failed, after?.activeMs], [10, 8, 2, 5]);
    assert.deepEqual((await store.failures(j.id, -1, 10)).map((f) => f.row), [3, 7]);
    assert.deepEqual((await store.failures(j.id, 3, 10)).map((f) => f.row), [7]);
    const active = (await store.summary()).find((s) => s.status === 'Active');
    assert.deepEqual(active, { status: 'Active', jobs: 1, tasksSucceeded: 8, tasksFailed: 2 }, 'the summary counts the job and its tasks');
    // a unit that throws is rolled back whole
    await assert.rejects(
      store.commitUnit(j.id, HOLDER, NO_WRITES, () => {
        throw new Error('boom');
      }),
    );
    assert.equal((await store.getJobById(j.id))?.cursor, 10);
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
    await store.transition(j.id, ['New'], 'Active');
    await lease(j);
    const rows = [1, 2, 5, 8, 13];
    await store.commitUnit(j.id, HOLDER, NO_WRITES, () => ({ cursor: 20, succeeded: 15, failed: 5, activeMs: 1, failures: rows.map((row) => ({ row, httpStatus: 403, errorCode: 'AccessDenied', message: 'Access Denied' })) }));
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
    await store.transition(j.id, ['New'], 'Active');
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
    const count = (results: readonly BatchTagOutcome[]): UnitOutcome => {
      seen = results;
      const ok = results.filter((r) => r === 'ok').length;
      return { cursor: results.length, succeeded: ok, failed: results.length - ok, activeMs: 1, failures: [] };
    };
    // refused (not the holder; a unit that throws): nothing of the writes is applied
    assert.equal(await store.commitUnit(j.id, 'someone-else', { tags: put, targets }, count), undefined);
    await assert.rejects(
      store.commitUnit(j.id, HOLDER, { tags: put, targets }, () => {
        throw new Error('boom');
      }),
    );
    assert.deepEqual(await versions.tags('tb', 'a', 'a2'), { tagCount: 0, tags: [] });
    assert.deepEqual(await versions.tags('tb', 'c', 'c1'), { tagCount: 2, tags: [{ key: 'x', value: '1' }, { key: 'y', value: '2' }] });
    assert.deepEqual(await versions.outbox(), outbox);

    const after = await store.commitUnit(j.id, HOLDER, { tags: put, targets }, count);
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

    // DeleteObjectTagging: the empty set
    await store.commitUnit(j.id, HOLDER, { tags: validateTagSet([], 'object'), targets: [{ bucket: 'tb', key: 'c' }] }, count);
    assert.deepEqual(seen, ['ok']);
    assert.deepEqual(await versions.tags('tb', 'c', 'c1'), { tagCount: 0, tags: [] });
    assert.deepEqual((await versions.outbox()).at(-1), { bucket: 'tb', key: 'c', versionId: 'c1', kind: 'tags', event: 's3:ObjectTagging:Delete' });
    await store.transition(j.id, ['Active'], 'Cancelled');
  });
  });
}
