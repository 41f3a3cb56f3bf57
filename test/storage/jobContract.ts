import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Job } from '../../src/core/batch/Job.js';
import type { JobStore } from '../../src/core/ports/JobStore.js';

/**
 * The JobStore contract: every backend runs it (test/storage/sqliteJobs.test.ts for SQLite). `open` gives a fresh,
 * empty store and a way to close it.
 */
export function jobStoreContract(name: string, open: () => Promise<{ store: JobStore; close(): Promise<void> }>): void {
  let store: JobStore;
  let close: () => Promise<void>;
  let n = 0;

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
    let ran = 0;
    const unit = () => {
      ran++;
      return { cursor: 10, succeeded: 8, failed: 2, activeMs: 5, failures: [3, 7].map((row) => ({ row, httpStatus: 404, errorCode: 'NoSuchKey', message: 'm' })) };
    };
    assert.equal(await store.commitUnit(j.id, unit), undefined, 'not Active: nothing applied');
    assert.equal(ran, 0);
    await store.transition(j.id, ['New'], 'Active');
    const after = await store.commitUnit(j.id, unit);
    assert.equal(ran, 1);
    assert.deepEqual([after?.cursor, after?.succeeded, after?.failed, after?.activeMs], [10, 8, 2, 5]);
    assert.deepEqual((await store.failures(j.id, -1, 10)).map((f) => f.row), [3, 7]);
    assert.deepEqual((await store.failures(j.id, 3, 10)).map((f) => f.row), [7]);
    const active = (await store.summary()).find((s) => s.status === 'Active');
    assert.deepEqual(active, { status: 'Active', jobs: 1, tasksSucceeded: 8, tasksFailed: 2 }, 'the summary counts the job and its tasks');
    // a unit that throws is rolled back whole
    await assert.rejects(
      store.commitUnit(j.id, () => {
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
    const rows = [1, 2, 5, 8, 13];
    await store.commitUnit(j.id, () => ({ cursor: 20, succeeded: 15, failed: 5, activeMs: 1, failures: rows.map((row) => ({ row, httpStatus: 403, errorCode: 'AccessDenied', message: 'Access Denied' })) }));
    assert.deepEqual((await store.failures(j.id, -1, 2)).map((f) => f.row), [1, 2]);
    assert.deepEqual((await store.failures(j.id, 2, 2)).map((f) => f.row), [5, 8]);
    assert.deepEqual((await store.failures(j.id, 8, 2)).map((f) => f.row), [13]);
    assert.deepEqual(await store.failures(j.id, 13, 2), []);
    assert.deepEqual((await store.failures(j.id, -1, 1))[0], { row: 1, httpStatus: 403, errorCode: 'AccessDenied', message: 'Access Denied' });
    await store.transition(j.id, ['Active'], 'Cancelling');
  });
  });
}
