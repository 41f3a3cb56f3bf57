import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Bucket } from '../../../src/core/buckets/Bucket.js';
import type { Job, JobSpec, JobStatus } from '../../../src/core/batch/Job.js';
import type { JobRequest } from '../../../src/core/batch/JobRequest.js';
import { JobService } from '../../../src/core/batch/JobService.js';
import { validateOperationTags } from '../../../src/core/batch/jobTags.js';
import { validateTagSet } from '../../../src/core/tags/TagSet.js';
import type { RoleInfo } from '../../../src/core/identity/RoleDirectory.js';
import type { JobStore, UnitOutcome, UnitTagWrites } from '../../../src/core/ports/JobStore.js';
import { ControlError } from '../../../src/errors/ControlError.js';
import { SqliteJobStore } from '../../../src/storage/metadata/sqlite/jobs/SqliteJobStore.js';
import { SqliteDatabase } from '../../../src/storage/metadata/sqlite/SqliteDatabase.js';

const ACCT = '111122223333';
const OTHER_ACCT = '444455556666';
const ROLE = `arn:aws:iam::${ACCT}:role/batch`;
const UNTRUSTING = `arn:aws:iam::${ACCT}:role/other`;
const FOREIGN = 'arn:aws:iam::999999999999:role/batch';
const OTHER_ROLE = `arn:aws:iam::${OTHER_ACCT}:role/batch`;
const NOW = new Date('2025-06-01T00:00:00Z');
const TRUST = JSON.stringify({
  Statement: [{ Effect: 'Allow', Principal: { Service: 'batchoperations.s3.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

const ROLES = new Map<string, RoleInfo>([
  [ROLE, { accountId: ACCT, roleName: 'batch', arn: ROLE, trustPolicy: TRUST, policies: [] }],
  [UNTRUSTING, { accountId: ACCT, roleName: 'other', arn: UNTRUSTING, trustPolicy: '{"Statement":[]}', policies: [] }],
  [FOREIGN, { accountId: '999999999999', roleName: 'batch', arn: FOREIGN, trustPolicy: TRUST, policies: [] }],
  [OTHER_ROLE, { accountId: OTHER_ACCT, roleName: 'batch', arn: OTHER_ROLE, trustPolicy: TRUST, policies: [] }],
]);
const BUCKETS = new Set(['reports', 'data']);

const SPEC: JobSpec = {
  operation: { kind: 'S3PutObjectTagging', tags: validateOperationTags([{ key: 'z', value: '1' }, { key: 'a', value: '2' }]) },
  report: { enabled: true, bucket: 'arn:aws:s3:::reports', format: 'Report_CSV_20180820', scope: 'AllTasks' },
  manifest: {
    spec: { format: 'S3BatchOperations_CSV_20180820', fields: ['Bucket', 'Key'] },
    location: { objectArn: 'arn:aws:s3:::data/m.csv', etag: 'e' },
  },
};

/** The same request but generated from a bucket listing, writing the manifest to `output`. */
function generated(output: string): JobSpec {
  return {
    operation: SPEC.operation,
    report: SPEC.report,
    generator: { sourceBucket: 'data', enableManifestOutput: true, output: { bucket: output, format: 'S3InventoryReport_CSV_20211130' }, filter: {} },
  };
}

function request(overrides: Partial<JobRequest> = {}): JobRequest {
  return { spec: SPEC, priority: 10, roleArn: ROLE, confirmationRequired: false, clientRequestToken: 'token-1', tags: [], ...overrides };
}

function tags(n: number): { key: string; value: string }[] {
  return Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: '' }));
}

/** Fails unless `promise` rejects with the S3 Control error `code` (and exactly `message` when given). */
async function rejectsWith(promise: Promise<unknown>, code: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ControlError, `not a ControlError: ${String(err)}`);
    assert.equal(err.code, code);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message !== undefined) assert.match(err.message, message);
    return true;
  });
}

/** A unit that writes no tags (its outcome is given). */
const NO_WRITES: UnitTagWrites = { tags: validateTagSet([], 'object'), targets: [] };
const HOLDER = 'test-worker';

function unit(cursor: number, succeeded: number, failed: number): () => UnitOutcome {
  const failures = Array.from({ length: failed }, (_, i) => ({ row: cursor - failed + i, httpStatus: 404, errorCode: 'NoSuchKey', message: 'm' }));
  return () => ({ cursor, succeeded, failed, failures, activeMs: 1 });
}

/** A path through the transition table from New to each status. */
const PATH: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  New: [],
  Preparing: ['Preparing'],
  Suspended: ['Preparing', 'Suspended'],
  Ready: ['Preparing', 'Ready'],
  Active: ['Preparing', 'Ready', 'Active'],
  Pausing: ['Preparing', 'Ready', 'Active', 'Pausing'],
  Paused: ['Preparing', 'Ready', 'Active', 'Pausing', 'Paused'],
  Complete: ['Preparing', 'Ready', 'Active', 'Complete'],
  Cancelling: ['Preparing', 'Ready', 'Active', 'Cancelling'],
  Cancelled: ['Cancelled'],
  Failing: ['Preparing', 'Ready', 'Active', 'Failing'],
  Failed: ['Preparing', 'Failed'],
};

describe('JobService (against the SQLite JobStore)', () => {
  let dir: string;
  let database: SqliteDatabase;
  let store: SqliteJobStore;
  let jobs: JobService;
  let tokens = 0;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-jobservice-'));
    database = await SqliteDatabase.open(dir);
    store = new SqliteJobStore(database);
    jobs = new JobService({
      store,
      buckets: { get: (name) => Promise.resolve(BUCKETS.has(name) ? ({ name } as Bucket) : undefined) },
      roles: { roleByArn: (arn) => Promise.resolve(ROLES.get(arn)) },
      settings: { region: 'eu-west-3' },
      clock: () => NOW,
    });
  });

  afterEach(async () => {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A new job of ACCT moved along the table to `status`. */
  async function jobIn(status: JobStatus, overrides: Partial<JobRequest> = {}): Promise<Job> {
    const job = await jobs.create(ACCT, request({ clientRequestToken: `t${++tokens}`, ...overrides }));
    let from: JobStatus = 'New';
    for (const to of PATH[status]) {
      assert.ok(await jobs.transition(job.id, from, to), `${from} → ${to}`);
      from = to;
    }
    return jobs.describe(ACCT, job.id);
  }

  /** Give HOLDER the lease of the job's one range, rows [0, 1,000,000) (as the worker's claim would). */
  function lease(jobId: string): void {
    database.db
      .prepare('INSERT OR REPLACE INTO batch_job_ranges (job_id, first_row, end_row, cursor, holder, lease_until) VALUES (?, 0, 1000000, 0, ?, ?)')
      .run(jobId, HOLDER, Date.now() + 60_000);
  }

  describe('create', () => {
    it('stores a New job with the request, the validated job tags and the clock\'s creation time', async () => {
      const job = await jobs.create(ACCT, request({ description: 'd', tags: [{ key: 'team', value: 'x' }, { key: 'env', value: 'y' }] }));
      assert.equal(job.status, 'New');
      assert.equal(job.accountId, ACCT);
      assert.equal(job.priority, 10);
      assert.equal(job.roleArn, ROLE);
      assert.equal(job.description, 'd');
      assert.equal(job.clientRequestToken, 'token-1');
      assert.deepEqual(job.creationTime, NOW);
      assert.deepEqual(job.spec.operation, { kind: 'S3PutObjectTagging', tags: [{ key: 'a', value: '2' }, { key: 'z', value: '1' }] });
      assert.deepEqual(job.tags, [{ key: 'env', value: 'y' }, { key: 'team', value: 'x' }]);
      assert.deepEqual([job.succeeded, job.failed, job.cursor, job.failureReasons], [0, 0, 0, []]);
      assert.deepEqual(await jobs.describe(ACCT, job.id), job);
      assert.equal(jobs.region, 'eu-west-3');
    });

    const refused: { name: string; request: JobRequest; code: string; message: string }[] = [
      { name: '51 job tags', request: request({ tags: tags(51) }), code: 'TooManyTagsException', message: 'A job can have at most 50 tags' },
      {
        name: 'a repeated job tag key',
        request: request({ tags: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] }),
        code: 'BadRequestException',
        message: 'Cannot provide multiple Tags with the same key',
      },
      {
        name: 'job tags are checked before the role',
        request: request({ tags: tags(51), roleArn: `arn:aws:iam::${ACCT}:role/none` }),
        code: 'TooManyTagsException',
        message: 'A job can have at most 50 tags',
      },
      {
        name: 'an unknown role',
        request: request({ roleArn: `arn:aws:iam::${ACCT}:role/none` }),
        code: 'BadRequestException',
        message: `The role arn:aws:iam::${ACCT}:role/none does not exist in account ${ACCT}`,
      },
      {
        name: 'a role of another account',
        request: request({ roleArn: FOREIGN }),
        code: 'BadRequestException',
        message: `The role ${FOREIGN} does not exist in account ${ACCT}`,
      },
      {
        name: 'a role that does not trust S3 Batch Operations',
        request: request({ roleArn: UNTRUSTING }),
        code: 'BadRequestException',
        message: `The role ${UNTRUSTING} does not trust batchoperations.s3.amazonaws.com`,
      },
      {
        name: 'the role is checked before the buckets',
        request: request({ roleArn: UNTRUSTING, spec: { ...SPEC, report: { ...SPEC.report, bucket: 'arn:aws:s3:::gone' } } }),
        code: 'BadRequestException',
        message: `The role ${UNTRUSTING} does not trust batchoperations.s3.amazonaws.com`,
      },
      {
        name: 'a missing report bucket (ARN)',
        request: request({ spec: { ...SPEC, report: { ...SPEC.report, bucket: 'arn:aws:s3:::gone' } } }),
        code: 'BadRequestException',
        message: 'The report bucket gone does not exist',
      },
      {
        name: 'a missing report bucket (name)',
        request: request({ spec: { ...SPEC, report: { ...SPEC.report, bucket: 'gone' } } }),
        code: 'BadRequestException',
        message: 'The report bucket gone does not exist',
      },
      {
        name: 'a missing manifest output bucket',
        request: request({ spec: generated('arn:aws:s3:::nowhere') }),
        code: 'BadRequestException',
        message: 'The manifest output bucket nowhere does not exist',
      },
      {
        name: 'the manifest output bucket is checked before the report bucket',
        request: request({ spec: { ...generated('arn:aws:s3:::nowhere'), report: { ...SPEC.report, bucket: 'gone' } } }),
        code: 'BadRequestException',
        message: 'The manifest output bucket nowhere does not exist',
      },
    ];
    for (const c of refused) {
      it(`refuses ${c.name}: ${c.code}, and stores nothing`, async () => {
        await rejectsWith(jobs.create(ACCT, c.request), c.code, c.message);
        assert.deepEqual((await jobs.list(ACCT, { statuses: [], maxResults: 10 })).jobs, []);
      });
    }

    const accepted: { name: string; request: JobRequest }[] = [
      { name: '50 job tags', request: request({ tags: tags(50) }) },
      { name: 'a disabled report naming no bucket', request: request({ spec: { ...SPEC, report: { enabled: false } } }) },
      { name: 'a disabled report naming a missing bucket', request: request({ spec: { ...SPEC, report: { enabled: false, bucket: 'gone' } } }) },
      { name: 'a generated manifest written to an existing bucket', request: request({ spec: generated('arn:aws:s3:::data') }) },
      { name: 'S3DeleteObjectTagging', request: request({ spec: { ...SPEC, operation: { kind: 'S3DeleteObjectTagging' } } }) },
    ];
    for (const c of accepted) {
      it(`accepts ${c.name}`, async () => {
        const job = await jobs.create(ACCT, c.request);
        assert.equal(job.status, 'New');
        assert.deepEqual(job.spec, c.request.spec);
      });
    }

    it('a repeated ClientRequestToken returns the job it created; with other parameters, IdempotencyException', async () => {
      const first = await jobs.create(ACCT, request());
      assert.equal((await jobs.create(ACCT, request())).id, first.id);
      for (const other of [request({ priority: 11 }), request({ tags: [{ key: 'a', value: '1' }] }), request({ confirmationRequired: true })]) {
        await rejectsWith(jobs.create(ACCT, other), 'IdempotencyException', 'The ClientRequestToken was already used with different parameters');
      }
      assert.equal((await jobs.list(ACCT, { statuses: [], maxResults: 10 })).jobs.length, 1);
      const another = await jobs.create(ACCT, request({ clientRequestToken: 'token-2' }));
      assert.notEqual(another.id, first.id);
    });
  });

  describe('reads', () => {
    it('describe answers NotFoundException for a missing job or another account\'s', async () => {
      const job = await jobs.create(ACCT, request());
      await rejectsWith(jobs.describe(OTHER_ACCT, job.id), 'NotFoundException', `Job ${job.id} not found`);
      await rejectsWith(jobs.describe(ACCT, 'nope'), 'NotFoundException', 'Job nope not found');
    });

    it('list: newest first, in pages joined by nextToken, filtered by status', async () => {
      const made: Job[] = [];
      for (let i = 0; i < 5; i++) made.push(await jobs.create(ACCT, request({ clientRequestToken: `t${i}` })));
      const theirs = await jobs.create(OTHER_ACCT, request({ roleArn: OTHER_ROLE, clientRequestToken: 't0' }));
      const first = await jobs.list(ACCT, { statuses: [], maxResults: 2 });
      assert.deepEqual(first.jobs.map((j) => j.id), [made[4]!.id, made[3]!.id]);
      assert.ok(first.nextToken !== undefined);
      const second = await jobs.list(ACCT, { statuses: [], maxResults: 3, nextToken: first.nextToken });
      assert.deepEqual(second.jobs.map((j) => j.id), [made[2]!.id, made[1]!.id, made[0]!.id]);
      assert.equal(second.nextToken, undefined);
      assert.deepEqual((await jobs.list(ACCT, { statuses: [], maxResults: 0 })).jobs, []);
      await jobs.transition(made[1]!.id, 'New', 'Preparing');
      assert.deepEqual((await jobs.list(ACCT, { statuses: ['Preparing'], maxResults: 10 })).jobs.map((j) => j.id), [made[1]!.id]);
      assert.deepEqual((await jobs.list(ACCT, { statuses: ['Active'], maxResults: 10 })).jobs, []);
      assert.deepEqual((await jobs.list(OTHER_ACCT, { statuses: [], maxResults: 10 })).jobs.map((j) => j.id), [theirs.id]);
    });

    const badPages: { name: string; maxResults: number; nextToken?: string; message: string }[] = [
      { name: 'maxResults above 1000', maxResults: 1001, message: 'maxResults must be 0 to 1000' },
      { name: 'a negative maxResults', maxResults: -1, message: 'maxResults must be 0 to 1000' },
      { name: 'a fractional maxResults', maxResults: 1.5, message: 'maxResults must be 0 to 1000' },
      { name: 'maxResults not a number', maxResults: Number.NaN, message: 'maxResults must be 0 to 1000' },
      { name: 'a nextToken not handed out', maxResults: 2, nextToken: 'not-a-token', message: 'Invalid nextToken' },
      { name: 'maxResults is checked before nextToken', maxResults: 1001, nextToken: 'not-a-token', message: 'maxResults must be 0 to 1000' },
    ];
    for (const c of badPages) {
      it(`list refuses ${c.name}`, () => rejectsWith(jobs.list(ACCT, { statuses: [], maxResults: c.maxResults, nextToken: c.nextToken }), 'BadRequestException', c.message));
    }
  });

  describe('priority and tags', () => {
    const priorities: [number, string | undefined][] = [
      [0, undefined],
      [2147483647, undefined],
      [-1, 'BadRequestException'],
      [2147483648, 'BadRequestException'],
      [1.5, 'BadRequestException'],
    ];
    for (const [priority, code] of priorities) {
      it(`updatePriority ${priority} → ${code ?? 'set'}`, async () => {
        const job = await jobs.create(ACCT, request());
        if (code === undefined) {
          assert.equal((await jobs.updatePriority(ACCT, job.id, priority)).priority, priority);
          assert.equal((await jobs.describe(ACCT, job.id)).priority, priority);
        } else {
          await rejectsWith(jobs.updatePriority(ACCT, job.id, priority), code, 'priority must be 0 to 2147483647');
          assert.equal((await jobs.describe(ACCT, job.id)).priority, 10);
        }
      });
    }

    it('updatePriority needs a job of the account; a bad priority is refused before the lookup', async () => {
      const job = await jobs.create(ACCT, request());
      await rejectsWith(jobs.updatePriority(OTHER_ACCT, job.id, 1), 'NotFoundException', `Job ${job.id} not found`);
      await rejectsWith(jobs.updatePriority(ACCT, 'nope', -1), 'BadRequestException');
    });

    it('putTags validates, then needs a job of the account; deleteTags empties them', async () => {
      const job = await jobs.create(ACCT, request({ tags: [{ key: 'old', value: '1' }] }));
      await jobs.putTags(ACCT, job.id, [{ key: 'b', value: '1' }, { key: 'a', value: '2' }]);
      assert.deepEqual((await jobs.describe(ACCT, job.id)).tags, [{ key: 'a', value: '2' }, { key: 'b', value: '1' }]);
      await rejectsWith(jobs.putTags(ACCT, 'nope', tags(51)), 'TooManyTagsException', 'A job can have at most 50 tags');
      await rejectsWith(jobs.putTags(ACCT, job.id, [{ key: 'aws:x', value: '1' }]), 'BadRequestException');
      await rejectsWith(jobs.putTags(ACCT, 'nope', []), 'NotFoundException', 'Job nope not found');
      await rejectsWith(jobs.putTags(OTHER_ACCT, job.id, []), 'NotFoundException');
      await rejectsWith(jobs.deleteTags(OTHER_ACCT, job.id), 'NotFoundException', `Job ${job.id} not found`);
      assert.equal((await jobs.describe(ACCT, job.id)).tags.length, 2);
      await jobs.deleteTags(ACCT, job.id);
      assert.deepEqual((await jobs.describe(ACCT, job.id)).tags, []);
    });
  });

  describe('UpdateJobStatus (requestStatus), from every status', () => {
    const table: [JobStatus, 'Ready' | 'Cancelled', JobStatus | 'JobStatusException'][] = [
      ['New', 'Ready', 'JobStatusException'],
      ['Preparing', 'Ready', 'JobStatusException'],
      ['Suspended', 'Ready', 'Ready'],
      ['Ready', 'Ready', 'JobStatusException'],
      ['Active', 'Ready', 'JobStatusException'],
      ['Complete', 'Ready', 'JobStatusException'],
      ['New', 'Cancelled', 'Cancelled'],
      ['Preparing', 'Cancelled', 'Cancelled'],
      ['Suspended', 'Cancelled', 'Cancelled'],
      ['Ready', 'Cancelled', 'Cancelled'],
      ['Active', 'Cancelled', 'Cancelling'],
      ['Pausing', 'Cancelled', 'Cancelling'],
      ['Paused', 'Cancelled', 'Cancelling'],
      ['Cancelling', 'Cancelled', 'JobStatusException'],
      ['Failing', 'Cancelled', 'JobStatusException'],
      ['Complete', 'Cancelled', 'JobStatusException'],
      ['Cancelled', 'Cancelled', 'JobStatusException'],
      ['Failed', 'Cancelled', 'JobStatusException'],
    ];
    for (const [from, requested, expected] of table) {
      it(`${requested} on ${from} → ${expected}`, async () => {
        const job = await jobIn(from);
        if (expected === 'JobStatusException') {
          await rejectsWith(jobs.requestStatus(ACCT, job.id, requested, 'why'), 'JobStatusException', `Job ${job.id} is ${from}; it cannot be set to ${requested}`);
          assert.equal((await jobs.describe(ACCT, job.id)).status, from);
          return;
        }
        const updated = await jobs.requestStatus(ACCT, job.id, requested, 'why');
        assert.equal(updated.status, expected);
        assert.equal(updated.statusUpdateReason, 'why');
        // only a job that ends at once gets its TerminationDate now; Cancelling ends when the worker finishes it
        assert.deepEqual(updated.terminationDate, expected === 'Cancelled' ? NOW : undefined);
        assert.deepEqual(await jobs.describe(ACCT, job.id), updated);
      });
    }

    it('keeps the stored reason when none is given; refuses one over 256 characters before the lookup', async () => {
      const job = await jobIn('Suspended');
      assert.equal((await jobs.requestStatus(ACCT, job.id, 'Ready', undefined)).statusUpdateReason, undefined);
      await rejectsWith(jobs.requestStatus(ACCT, 'nope', 'Cancelled', 'x'.repeat(257)), 'BadRequestException', 'statusUpdateReason is too long');
      assert.equal((await jobs.requestStatus(ACCT, job.id, 'Cancelled', 'x'.repeat(256))).status, 'Cancelled');
      await rejectsWith(jobs.requestStatus(ACCT, 'nope', 'Cancelled', undefined), 'NotFoundException', 'Job nope not found');
      await rejectsWith(jobs.requestStatus(OTHER_ACCT, job.id, 'Cancelled', undefined), 'NotFoundException');
    });
  });

  describe('the worker\'s side', () => {
    it('every status change goes through the transition table: an edge it lacks never reaches the store', async () => {
      const seen: string[] = [];
      const recording = new Proxy<JobStore>(store, {
        get(target, name) {
          if (name === 'transition') {
            return (...args: Parameters<JobStore['transition']>) => {
              seen.push(`${args[1].join('|')}→${args[2]}`);
              return target.transition(...args);
            };
          }
          const value: unknown = Reflect.get(target, name);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      const checked = new JobService({
        store: recording,
        buckets: { get: () => Promise.resolve(undefined) },
        roles: { roleByArn: () => Promise.resolve(undefined) },
        settings: { region: 'eu-west-3' },
        clock: () => NOW,
      });
      const job = await jobIn('New');
      const refused: [JobStatus, JobStatus][] = [['New', 'Complete'], ['New', 'Active'], ['Suspended', 'Active'], ['Complete', 'Active'], ['Cancelling', 'Complete']];
      for (const [from, to] of refused) {
        await assert.rejects(checked.transition(job.id, from, to), new RegExp(`${from} → ${to} is not a transition`));
      }
      assert.deepEqual(seen, []);
      assert.equal((await checked.byId(job.id))?.status, 'New');
      assert.equal((await checked.transition(job.id, 'New', 'Preparing'))?.status, 'Preparing');
      assert.equal(await checked.transition(job.id, 'New', 'Preparing'), undefined, 'no longer New');
      assert.deepEqual(seen, ['New→Preparing', 'New→Preparing']);
    });

    it('nextRunnable: the highest priority job with work, then the oldest; none once all have ended', async () => {
      const low = await jobIn('Active', { priority: 1 });
      const high = await jobIn('New', { priority: 5 });
      await jobIn('Suspended', { priority: 9 });
      await jobIn('Complete', { priority: 9 });
      assert.equal((await jobs.nextRunnable())?.id, high.id);
      await jobs.transition(high.id, 'New', 'Cancelled');
      assert.equal((await jobs.nextRunnable())?.id, low.id);
      await jobs.transition(low.id, 'Active', 'Complete');
      assert.equal(await jobs.nextRunnable(), undefined);
    });

    const units: { name: string; units: [number, number][]; status: JobStatus }[] = [
      { name: 'exactly half of 1,000 failed', units: [[500, 500]], status: 'Active' },
      { name: 'every one of 999 failed (fewer than 1,000 ran)', units: [[0, 999]], status: 'Active' },
      { name: '1,000 ran, all failed', units: [[0, 999], [0, 1]], status: 'Failing' },
      { name: '501 of 1,001 failed', units: [[500, 500], [0, 1]], status: 'Failing' },
      { name: '9,999 of 19,999 failed', units: [[10_000, 9_999]], status: 'Active' },
    ];
    for (const c of units) {
      it(`the failure rule: ${c.name} → ${c.status}`, async () => {
        const job = await jobIn('Active');
        lease(job.id);
        let cursor = 0;
        let after: Job | undefined;
        for (const [ok, failed] of c.units) {
          cursor += ok + failed;
          after = await jobs.commitUnit(job.id, 0, HOLDER, NO_WRITES, unit(cursor, ok, failed));
        }
        assert.equal(after?.status, c.status);
        const run = c.units.reduce((n, [ok, failed]) => n + ok + failed, 0);
        const failed = c.units.reduce((n, [, f]) => n + f, 0);
        assert.deepEqual([after?.succeeded, after?.failed, after?.cursor], [run - failed, failed, run]);
        if (c.status === 'Failing') {
          assert.equal(after?.statusUpdateReason, 'Job failure threshold exceeded');
          assert.deepEqual(after?.failureReasons, [
            { code: 'JobFailureThresholdExceeded', reason: `Job failure threshold exceeded: ${failed} of ${run} tasks failed` },
          ]);
          assert.equal(await jobs.commitUnit(job.id, 0, HOLDER, NO_WRITES, unit(run + 1, 1, 0)), undefined, 'no longer Active: nothing applied');
        } else assert.deepEqual(after?.failureReasons, []);
        assert.equal((await jobs.failures(job.id, -1, 100_000)).length, failed);
      });
    }

    it('a unit of a job that is no longer Active applies nothing', async () => {
      const job = await jobIn('Cancelling');
      lease(job.id);
      assert.equal(await jobs.commitUnit(job.id, 0, HOLDER, NO_WRITES, unit(10, 10, 0)), undefined);
      assert.equal((await jobs.describe(ACCT, job.id)).cursor, 0);
    });
  });
});
