import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exceedsFailureThreshold, thresholdFailure } from '../../../src/core/batch/failureThreshold.js';
import { JOB_STATUSES, type Job, type JobStatus } from '../../../src/core/batch/Job.js';
import { canTransition, END_STATUS, isRunnable, isTerminal, requestedTransition, RUNNABLE_STATUSES } from '../../../src/core/batch/jobStateMachine.js';

describe('job lifecycle', () => {
  const allowed: [JobStatus, JobStatus][] = [
    ['New', 'Preparing'],
    ['Preparing', 'Suspended'],
    ['Preparing', 'Ready'],
    ['Preparing', 'Failed'],
    ['Suspended', 'Ready'],
    ['Suspended', 'Cancelled'],
    ['Ready', 'Active'],
    ['Active', 'Complete'],
    ['Active', 'Cancelling'],
    ['Active', 'Failing'],
    ['Cancelling', 'Cancelled'],
    ['Failing', 'Failed'],
    // the completion report could not be written
    ['Active', 'Failed'],
    ['Cancelling', 'Failed'],
  ];
  for (const [from, to] of allowed) it(`${from} → ${to}`, () => assert.equal(canTransition(from, to), true));

  const refused: [JobStatus, JobStatus][] = [
    ['New', 'Active'],
    ['Suspended', 'Active'],
    ['Ready', 'Complete'],
    ['Complete', 'Active'],
    ['Cancelled', 'Ready'],
    ['Failed', 'Active'],
    ['Cancelling', 'Complete'],
  ];
  for (const [from, to] of refused) it(`not ${from} → ${to}`, () => assert.equal(canTransition(from, to), false));

  it('terminal states have no way out', () => {
    for (const s of JOB_STATUSES) {
      if (isTerminal(s)) for (const t of JOB_STATUSES) assert.equal(canTransition(s, t), false, `${s} → ${t}`);
    }
  });

  it('a finishing job ends where the table lets it', () => {
    for (const [from, to] of Object.entries(END_STATUS)) assert.equal(canTransition(from as JobStatus, to), true, `${from} → ${to}`);
    for (const from of Object.keys(END_STATUS)) assert.equal(canTransition(from as JobStatus, 'Failed'), true, `${from} → Failed (report)`);
  });

  it('the worker has work in the runnable statuses only, none of them terminal', () => {
    for (const s of JOB_STATUSES) {
      const runnable = (RUNNABLE_STATUSES as readonly JobStatus[]).includes(s);
      assert.equal(isRunnable({ status: s } as Job), runnable, s);
      if (runnable) assert.equal(isTerminal(s), false, s);
    }
    assert.deepEqual(JOB_STATUSES.filter(isTerminal), ['Complete', 'Cancelled', 'Failed']);
  });

  const requests: [JobStatus, 'Ready' | 'Cancelled', JobStatus | undefined][] = [
    ['Suspended', 'Ready', 'Ready'],
    ['Ready', 'Ready', undefined],
    ['Active', 'Ready', undefined],
    ['Complete', 'Ready', undefined],
    ['New', 'Cancelled', 'Cancelled'],
    ['Preparing', 'Cancelled', 'Cancelled'],
    ['Suspended', 'Cancelled', 'Cancelled'],
    ['Ready', 'Cancelled', 'Cancelled'],
    ['Active', 'Cancelled', 'Cancelling'],
    ['Cancelling', 'Cancelled', undefined],
    ['Complete', 'Cancelled', undefined],
    ['Failed', 'Cancelled', undefined],
    ['Cancelled', 'Cancelled', undefined],
  ];
  for (const [from, requested, to] of requests) {
    it(`UpdateJobStatus ${requested} on ${from} → ${to ?? 'JobStatusException'}`, () => {
      assert.equal(requestedTransition(from, requested), to);
      if (to !== undefined) assert.equal(canTransition(from, to), true);
    });
  }
});

describe('failure threshold', () => {
  const cases: [number, number, boolean][] = [
    [0, 999, false], // fewer than 1,000 tasks ran
    [0, 1000, true],
    [500, 500, false], // exactly half is not more than half
    [499, 501, true],
    [10_000, 9_999, false],
    [1, 1_000_000, true],
  ];
  for (const [ok, failed, fails] of cases) {
    it(`${ok} succeeded, ${failed} failed → ${fails ? 'fails' : 'goes on'}`, () => assert.equal(exceedsFailureThreshold(ok, failed), fails));
  }

  it('the reason a job fails with names the counts', () => {
    assert.deepEqual(thresholdFailure(499, 501), {
      failureReasons: [{ code: 'JobFailureThresholdExceeded', reason: 'Job failure threshold exceeded: 501 of 1000 tasks failed' }],
      statusUpdateReason: 'Job failure threshold exceeded',
    });
  });
});
