import type { Job, JobFailure, JobManifest, JobStatus } from '../batch/Job.js';
import type { Tag } from '../tags/Tag.js';
import type { ObjectTagSet } from '../tags/TagSet.js';

/** A failed task as the completion report lists it. */
export interface TaskFailure {
  readonly row: number;
  readonly httpStatus: number;
  readonly errorCode: string;
  readonly message: string;
}

/**
 * A slice [first, end) of an Active job's manifest rows, worked on by one worker at a time under its own lease, so
 * the units of one job spread over every node; rows [first, cursor) are applied.
 */
export interface JobRange {
  readonly first: number;
  readonly end: number;
  readonly cursor: number;
}

/**
 * What a worker leased (JobStore.claimJob): one range of an Active job's rows (the range's lease), or a step of the
 * job itself (the job's lease: preparing, activating, finishing — a job in any runnable status but Active, or an
 * Active job every range of which is done).
 */
export interface JobClaim {
  readonly job: Job;
  readonly range?: JobRange;
}

/** What one unit of tasks did, committed together with the tasks' own writes. */
export interface UnitOutcome {
  /** The range's cursor after this unit: the row after the last one the unit consumed (at most the range's end). */
  readonly cursor: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly failures: readonly TaskFailure[];
  readonly activeMs: number;
}

/** One version a unit's tag write addresses: the latest version of the key when versionId is undefined. */
export interface TagWriteTarget {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

/**
 * The tag writes of one unit of a batch job: the same validated object tag set (empty: DeleteObjectTagging) written
 * to every target, in the given order (key order; tasks refused before the store are not in it). Only a validated
 * ObjectTagSet reaches the store this way: no unchecked tags through a bulk path.
 */
export interface UnitTagWrites {
  readonly tags: ObjectTagSet;
  readonly targets: readonly TagWriteTarget[];
}

/** What replacing one target's tags came to: done, no such key/version, or a delete marker (nothing changed). */
export type BatchTagOutcome = 'ok' | 'missing' | 'delete-marker';

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
  /** The job's rows as ranges [first, end), made with the move to Active (jobRanges.ts); each starts undone. */
  readonly ranges?: readonly { readonly first: number; readonly end: number }[];
}

export type CreateJobResult = { readonly status: 'created'; readonly job: Job } | { readonly status: 'exists'; readonly job: Job };

/**
 * S3 Batch Operations jobs, durable in the metadata store. Every write is one transaction; `commitUnit` puts a unit's
 * task writes, its failures, the new cursor and the counters in the SAME transaction, so a crash repeats nothing.
 *
 * Several nodes may run the batch worker on one database. An Active job's rows are split into ranges (made with
 * the move to Active); each range has its own lease and durable cursor, so the ranges of one job run on several
 * nodes at once. Every other step of a job (prepare, activate, finish) is done under the job's lease. Leases are
 * taken with `claimJob`, kept with `renewJob` and given up with `releaseJob`; one not renewed within its TTL (a node
 * killed mid-unit) may be claimed by another node, which resumes the range from its cursor. `commitUnit` applies
 * nothing for a caller that no longer holds the range's lease, so no manifest row is applied twice. The job's
 * `cursor` counts the rows applied over all its ranges.
 */
export interface JobStore {
  /**
   * The most tag writes one unit may carry on this backend (PostgreSQL: each key of a unit holds a lock of the
   * server's shared lock table until the unit commits); undefined when the backend sets no limit. The worker makes
   * its units no larger.
   */
  readonly maxUnitTargets?: number | undefined;
  /** Insert a job, or return the job already created with the same ClientRequestToken by this account. */
  createJob(job: Job): Promise<CreateJobResult>;
  getJob(accountId: string, jobId: string): Promise<Job | undefined>;
  getJobById(jobId: string): Promise<Job | undefined>;
  /** Jobs of an account, newest first, after the job with seq `beforeSeq`. */
  listJobs(accountId: string, statuses: readonly JobStatus[], beforeSeq: number | undefined, limit: number): Promise<Job[]>;
  /** Jobs the worker has work for, highest priority first, then oldest (whoever holds their lease). */
  runnableJobs(): Promise<Job[]>;
  /**
   * Lease to `holder` for `ttlMs` the most urgent work (jobs by highest priority, then oldest) that nobody holds,
   * whose lease has expired, or that `holder` holds already: for an Active job, a range with rows left (`holder`'s
   * own first, then the lowest), or the job itself once every range is done; for a job in another runnable status,
   * the job. An Active job whose remaining ranges are all held by others is passed over. Undefined when there is
   * nothing to claim.
   */
  claimJob(holder: string, ttlMs: number): Promise<JobClaim | undefined>;
  /**
   * Extend `holder`'s lease on the job (or on its range starting at row `range`) by `ttlMs` from now; false when
   * `holder` no longer holds it.
   */
  renewJob(jobId: string, holder: string, ttlMs: number, range?: number): Promise<boolean>;
  /** Give up `holder`'s lease on the job (or on its range starting at row `range`); nothing when another holds it. */
  releaseJob(jobId: string, holder: string, range?: number): Promise<void>;
  /** The job's ranges in row order (none before the job went Active). */
  ranges(jobId: string): Promise<JobRange[]>;
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
   * In one transaction, only while the job is Active and `holder` holds the lease of its range starting at row
   * `range`: apply `writes` with the rules of PutObjectTagging (each target's outcome: 'ok', 'missing',
   * 'delete-marker'), then record `outcome(results)` (one result per target, in order): its failures, the range's
   * new cursor, the job's counters (its cursor grows by the rows the range's cursor moved). Returns the job
   * afterwards, or undefined (nothing applied) when the job is no longer Active or the range's lease was lost. When
   * `outcome` throws, nothing is applied. `outcome` must be pure: a backend may run it again (a retried
   * transaction, or one rolled back because the job stopped being Active meanwhile).
   */
  commitUnit(
    jobId: string,
    range: number,
    holder: string,
    writes: UnitTagWrites,
    outcome: (results: readonly BatchTagOutcome[]) => UnitOutcome,
  ): Promise<Job | undefined>;
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
