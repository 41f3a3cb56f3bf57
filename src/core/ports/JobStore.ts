import type { Job, JobFailure, JobManifest, JobStatus } from '../batch/Job.js';
import type { Tag } from '../tags/Tag.js';

/** A failed task as the completion report lists it. */
export interface TaskFailure {
  readonly row: number;
  readonly httpStatus: number;
  readonly errorCode: string;
  readonly message: string;
}

/** What one unit of tasks did, committed together with the tasks' own writes. */
export interface UnitOutcome {
  /** Manifest rows consumed after this unit (the new cursor). */
  readonly cursor: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly failures: readonly TaskFailure[];
  readonly activeMs: number;
}

/** What a status change may record besides the status. */
export interface TransitionFields {
  readonly statusUpdateReason?: string;
  readonly terminationDate?: Date;
  readonly suspendedDate?: Date;
  readonly suspendedCause?: string;
  readonly failureReasons?: readonly JobFailure[];
  readonly totalTasks?: number;
  readonly manifestVersionId?: string;
  readonly generatedManifest?: JobManifest;
}

export type CreateJobResult = { readonly status: 'created'; readonly job: Job } | { readonly status: 'exists'; readonly job: Job };

/**
 * S3 Batch Operations jobs, durable in the metadata store. Every write is one transaction; `commitUnit` puts a unit's
 * task writes, its failures, the new cursor and the counters in the SAME transaction, so a crash repeats nothing.
 */
export interface JobStore {
  /** Insert a job, or return the job already created with the same ClientRequestToken by this account. */
  createJob(job: Job): Promise<CreateJobResult>;
  getJob(accountId: string, jobId: string): Promise<Job | undefined>;
  getJobById(jobId: string): Promise<Job | undefined>;
  /** Jobs of an account, newest first, after the job with seq `beforeSeq`. */
  listJobs(accountId: string, statuses: readonly JobStatus[], beforeSeq: number | undefined, limit: number): Promise<Job[]>;
  /** Jobs the worker has work for, highest priority first, then oldest. */
  runnableJobs(): Promise<Job[]>;
  updatePriority(accountId: string, jobId: string, priority: number): Promise<Job | undefined>;
  /**
   * Change status when the job is (still) in one of `from`; returns the job as it is afterwards, or undefined when it
   * is not found or its status was not in `from`.
   */
  transition(
    jobId: string,
    from: readonly JobStatus[],
    to: JobStatus,
    fields?: TransitionFields,
  ): Promise<Job | undefined>;
  setJobTags(accountId: string, jobId: string, tags: readonly Tag[]): Promise<'ok' | 'missing'>;
  /**
   * Run `unit` (synchronous task writes) and record its outcome in one transaction, only while the job is Active;
   * returns undefined (nothing applied) when the job is no longer Active.
   */
  commitUnit(jobId: string, unit: () => UnitOutcome): Promise<Job | undefined>;
  /** Failures of a job in row order, from row `afterRow` (exclusive), at most `limit`. */
  failures(jobId: string, afterRow: number, limit: number): Promise<TaskFailure[]>;
  /** Jobs of every account counted by status, with their tasks succeeded and failed (the metrics). */
  summary(): Promise<JobStatusSummary[]>;
}

/** How many jobs are in a status, and the tasks they have done. */
export interface JobStatusSummary {
  readonly status: JobStatus;
  readonly jobs: number;
  readonly tasksSucceeded: number;
  readonly tasksFailed: number;
}
