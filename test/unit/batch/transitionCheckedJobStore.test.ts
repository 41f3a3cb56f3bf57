import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Job, JobStatus } from '../../../src/core/batch/Job.js';
import { TransitionCheckedJobStore } from '../../../src/core/batch/TransitionCheckedJobStore.js';
import type { JobStore } from '../../../src/core/ports/JobStore.js';

/** A store that records the transitions it is asked for (the wrapper's only job is to refuse edges first). */
function recording(): { store: JobStore; asked: string[] } {
  const asked: string[] = [];
  const store = {
    transition(jobId: string, from: readonly JobStatus[], to: JobStatus) {
      asked.push(`${from.join('|')}→${to}`);
      return Promise.resolve({ id: jobId, status: to } as unknown as Job);
    },
  } as unknown as JobStore;
  return { store, asked };
}

describe('TransitionCheckedJobStore: every status change through the one table', () => {
  it('passes the lifecycle edges on to the store', async () => {
    const { store, asked } = recording();
    const checked = new TransitionCheckedJobStore(store);
    await checked.transition('j', ['New'], 'Preparing');
    await checked.transition('j', ['Preparing'], 'Suspended');
    await checked.transition('j', ['Active'], 'Failed');
    await checked.transition('j', ['Cancelling'], 'Cancelled');
    assert.deepEqual(asked, ['New→Preparing', 'Preparing→Suspended', 'Active→Failed', 'Cancelling→Cancelled']);
  });

  it('refuses an edge the table does not have, before the store sees it', async () => {
    const { store, asked } = recording();
    const checked = new TransitionCheckedJobStore(store);
    await assert.rejects(checked.transition('j', ['Complete'], 'Active'), /Complete → Active/);
    await assert.rejects(checked.transition('j', ['Ready', 'Suspended'], 'Complete'), /Ready → Complete/);
    await assert.rejects(checked.transition('j', ['Suspended'], 'Active'), /Suspended → Active/);
    assert.deepEqual(asked, []);
  });
});
