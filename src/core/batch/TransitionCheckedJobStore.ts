import type { JobStatusSummary } from '../ports/JobStore.js';
import type { Tag } from '../tags/Tag.js';
import type { BatchTagOutcome, CreateJobResult, JobClaim, JobRange, JobStore, TaskFailure, TransitionFields, UnitOutcome, UnitTagWrites } from '../ports/JobStore.js';
import type { Job, JobStatus } from './Job.js';
import { canTransition } from './jobStateMachine.js';

/**
 * A JobStore whose every status change goes through the one transition table (jobStateMachine.ts): asking a store
 * to move a job along an edge the table does not have is a programming error, thrown before anything is written.
 * JobService wraps the store it is given in this, and the worker and the S3 Control operations reach jobs only
 * through JobService.
 */
export class TransitionCheckedJobStore implements JobStore {
  constructor(private readonly store: JobStore) {}

  get maxUnitTargets(): number | undefined {
    return this.store.maxUnitTargets;
  }

  transition(jobId: string, from: readonly JobStatus[], to: JobStatus, fields?: TransitionFields): Promise<Job | undefined> {
    for (const status of from) {
      if (!canTransition(status, to)) return Promise.reject(new Error(`job ${jobId}: ${status} → ${to} is not a transition of the job lifecycle`));
    }
    return this.store.transition(jobId, from, to, fields);
  }

  createJob(job: Job): Promise<CreateJobResult> {
    return this.store.createJob(job);
  }
  getJob(accountId: string, jobId: string): Promise<Job | undefined> {
    return this.store.getJob(accountId, jobId);
  }
  getJobById(jobId: string): Promise<Job | undefined> {
    return this.store.getJobById(jobId);
  }
  listJobs(accountId: string, statuses: readonly JobStatus[], beforeSeq: number | undefined, limit: number): Promise<Job[]> {
    return this.store.listJobs(accountId, statuses, beforeSeq, limit);
  }
  runnableJobs(): Promise<Job[]> {
    return this.store.runnableJobs();
  }
  updatePriority(accountId: string, jobId: string, priority: number): Promise<Job | undefined> {
    return this.store.updatePriority(accountId, jobId, priority);
  }
  setJobTags(accountId: string, jobId: string, tags: readonly Tag[]): Promise<'ok' | 'missing'> {
    return this.store.setJobTags(accountId, jobId, tags);
  }
  claimJob(holder: string, ttlMs: number): Promise<JobClaim | undefined> {
    return this.store.claimJob(holder, ttlMs);
  }
  renewJob(jobId: string, holder: string, ttlMs: number, range?: number): Promise<boolean> {
    return this.store.renewJob(jobId, holder, ttlMs, range);
  }
  releaseJob(jobId: string, holder: string, range?: number): Promise<void> {
    return this.store.releaseJob(jobId, holder, range);
  }
  ranges(jobId: string): Promise<JobRange[]> {
    return this.store.ranges(jobId);
  }
  commitUnit(
    jobId: string,
    range: number,
    holder: string,
    writes: UnitTagWrites,
    outcome: (results: readonly BatchTagOutcome[]) => UnitOutcome,
  ): Promise<Job | undefined> {
    return this.store.commitUnit(jobId, range, holder, writes, outcome);
  }
  failures(jobId: string, afterRow: number, limit: number): Promise<TaskFailure[]> {
    return this.store.failures(jobId, afterRow, limit);
  }

  summary(): Promise<JobStatusSummary[]> {
    return this.store.summary();
  }
}
