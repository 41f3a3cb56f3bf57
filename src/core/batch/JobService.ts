import { createHash, randomUUID } from 'node:crypto';
import { ControlError } from '../../errors/ControlError.js';
import type { BucketService } from '../buckets/BucketService.js';
import type { CoreSettings } from '../CoreDeps.js';
import type { RoleDirectory } from '../identity/RoleDirectory.js';
import type { BatchTagOutcome, JobClaim, JobRange, JobStore, TaskFailure, TransitionFields, UnitOutcome, UnitTagWrites, JobStatusSummary } from '../ports/JobStore.js';
import type { Tag } from '../tags/Tag.js';
import { exceedsFailureThreshold, thresholdFailure } from './failureThreshold.js';
import { MAX_JOB_PRIORITY, type Job, type JobStatus } from './Job.js';
import type { JobRequest } from './JobRequest.js';
import { requestedTransition } from './jobStateMachine.js';
import { validateJobTags } from './jobTags.js';
import { trustsBatchOperations } from './roleTrust.js';
import { TransitionCheckedJobStore } from './TransitionCheckedJobStore.js';

export interface JobServiceDeps {
  /** The jobs; the service checks every status change against the transition table before the store sees it. */
  readonly store: JobStore;
  /** Whether a report or manifest output bucket exists. */
  readonly buckets: Pick<BucketService, 'get'>;
  /** The IAM roles jobs run as. */
  readonly roles: RoleDirectory;
  readonly settings: CoreSettings;
  readonly clock: () => Date;
}

/** What ListJobs asks for: the statuses to keep (all when empty), a page size, where the page starts. */
export interface JobListQuery {
  readonly statuses: readonly JobStatus[];
  readonly maxResults: number;
  readonly nextToken?: string | undefined;
}

/** A page of ListJobs, newest first. */
export interface JobPage {
  readonly jobs: readonly Job[];
  /** Where the next page starts; undefined on the last page. */
  readonly nextToken?: string;
}

/** Most jobs a ListJobs page holds (and the page size when the request names none). */
export const MAX_LIST_RESULTS = 1000;

/** Longest StatusUpdateReason UpdateJobStatus takes. */
const MAX_STATUS_UPDATE_REASON = 256;

function bucketNameOf(arnOrName: string): string {
  return arnOrName.replace(/^arn:[^:]+:s3:::/, '');
}

function notFound(jobId: string): ControlError {
  return new ControlError('NotFoundException', { message: `Job ${jobId} not found` });
}

/**
 * S3 Batch Operations jobs: creation with every check of the request's values, reads, listing, priority, tags, and
 * every status change — whether S3 Control asks for it or the worker makes it — checked against the one transition
 * table (jobStateMachine.ts, through TransitionCheckedJobStore). The failure rule (failureThreshold.ts) is applied
 * here, as each unit of tasks commits. Errors are S3 Control's (ControlError): the Jobs API is the only API that
 * answers them.
 */
export class JobService {
  private readonly store: JobStore;

  constructor(private readonly deps: JobServiceDeps) {
    this.store = new TransitionCheckedJobStore(deps.store);
  }

  /** The region jobs run in (their ARNs). */
  get region(): string {
    return this.deps.settings.region;
  }

  /**
   * Create a job for `accountId`, whose caller is allowed s3:CreateJob and iam:PassRole on the role (the operation
   * checked). Checks, in order: the job tags (TooManyTagsException beyond 50, BadRequestException for a bad tag); the
   * role is the account's (BadRequestException) and trusts S3 Batch Operations (BadRequestException); the manifest
   * output and report buckets exist (BadRequestException). A repeated ClientRequestToken returns the job it created,
   * or IdempotencyException when the request differs.
   */
  async create(accountId: string, request: JobRequest): Promise<Job> {
    const tags = validateJobTags(request.tags);
    const role = await this.deps.roles.roleByArn(request.roleArn);
    if (role === undefined || role.accountId !== accountId) {
      throw new ControlError('BadRequestException', { message: `The role ${request.roleArn} does not exist in account ${accountId}` });
    }
    if (!trustsBatchOperations(role.trustPolicy)) {
      throw new ControlError('BadRequestException', { message: `The role ${request.roleArn} does not trust batchoperations.s3.amazonaws.com` });
    }
    const output = request.spec.generator?.output;
    if (output !== undefined && !(await this.bucketExists(output.bucket))) {
      throw new ControlError('BadRequestException', { message: `The manifest output bucket ${bucketNameOf(output.bucket)} does not exist` });
    }
    const report = request.spec.report;
    if (report.enabled && report.bucket !== undefined && !(await this.bucketExists(report.bucket))) {
      throw new ControlError('BadRequestException', { message: `The report bucket ${bucketNameOf(report.bucket)} does not exist` });
    }
    const fingerprint = createHash('sha256')
      .update(JSON.stringify({ ...request, clientRequestToken: undefined }))
      .digest('hex');
    const created = await this.store.createJob({
      id: randomUUID(),
      accountId,
      seq: 0,
      status: 'New',
      priority: request.priority,
      confirmationRequired: request.confirmationRequired,
      clientRequestToken: request.clientRequestToken,
      requestFingerprint: fingerprint,
      ...(request.description !== undefined ? { description: request.description } : {}),
      roleArn: request.roleArn,
      spec: request.spec,
      tags,
      creationTime: this.deps.clock(),
      failureReasons: [],
      succeeded: 0,
      failed: 0,
      cursor: 0,
      activeMs: 0,
    });
    if (created.status === 'exists' && created.job.requestFingerprint !== fingerprint) {
      throw new ControlError('IdempotencyException', { message: 'The ClientRequestToken was already used with different parameters' });
    }
    return created.job;
  }

  private async bucketExists(arnOrName: string): Promise<boolean> {
    return (await this.deps.buckets.get(bucketNameOf(arnOrName))) !== undefined;
  }

  /** DescribeJob (and GetJobTagging): a job of the account, or NotFoundException. */
  async describe(accountId: string, jobId: string): Promise<Job> {
    const job = await this.store.getJob(accountId, jobId);
    if (job === undefined) throw notFound(jobId);
    return job;
  }

  /**
   * ListJobs: a page of the account's jobs, newest first, only those in `statuses` when it is not empty.
   * BadRequestException for a page size outside 0 to 1,000 or a nextToken this service did not hand out.
   */
  async list(accountId: string, query: JobListQuery): Promise<JobPage> {
    const max = query.maxResults;
    if (!Number.isInteger(max) || max < 0 || max > MAX_LIST_RESULTS) {
      throw new ControlError('BadRequestException', { message: `maxResults must be 0 to ${MAX_LIST_RESULTS}` });
    }
    let before: number | undefined;
    if (query.nextToken !== undefined && query.nextToken !== '') {
      before = Number(Buffer.from(query.nextToken, 'base64url').toString('utf8'));
      if (!Number.isInteger(before)) throw new ControlError('BadRequestException', { message: 'Invalid nextToken' });
    }
    const page = await this.store.listJobs(accountId, query.statuses, before, max + 1);
    const jobs = page.slice(0, max);
    const last = jobs[jobs.length - 1];
    return page.length > max && last !== undefined ? { jobs, nextToken: Buffer.from(String(last.seq)).toString('base64url') } : { jobs };
  }

  /** UpdateJobPriority: 0 to 2147483647 (BadRequestException otherwise), on a job of the account (NotFoundException). */
  async updatePriority(accountId: string, jobId: string, priority: number): Promise<Job> {
    if (!Number.isInteger(priority) || priority < 0 || priority > MAX_JOB_PRIORITY) {
      throw new ControlError('BadRequestException', { message: `priority must be 0 to ${MAX_JOB_PRIORITY}` });
    }
    const job = await this.describe(accountId, jobId);
    const updated = await this.store.updatePriority(accountId, job.id, priority);
    if (updated === undefined) throw notFound(job.id);
    return updated;
  }

  /**
   * UpdateJobStatus: confirm a suspended job (Ready) or cancel one (a job with tasks in flight goes through
   * Cancelling; the worker stops it within a unit). BadRequestException for a reason over 256 characters;
   * JobStatusException when the job's status does not allow the request, or changed meanwhile.
   */
  async requestStatus(accountId: string, jobId: string, requested: 'Ready' | 'Cancelled', reason: string | undefined): Promise<Job> {
    if (reason !== undefined && reason.length > MAX_STATUS_UPDATE_REASON) {
      throw new ControlError('BadRequestException', { message: 'statusUpdateReason is too long' });
    }
    const job = await this.describe(accountId, jobId);
    const to = requestedTransition(job.status, requested);
    if (to === undefined) {
      throw new ControlError('JobStatusException', { message: `Job ${job.id} is ${job.status}; it cannot be set to ${requested}` });
    }
    const updated = await this.transition(job.id, job.status, to, {
      ...(reason !== undefined ? { statusUpdateReason: reason } : {}),
      ...(to === 'Cancelled' ? { terminationDate: this.deps.clock() } : {}),
    });
    if (updated === undefined) throw new ControlError('JobStatusException', { message: `Job ${job.id} changed status meanwhile; retry` });
    return updated;
  }

  /** PutJobTagging: replace the job's tags (at most 50, S3's tag rules), on a job of the account (NotFoundException). */
  async putTags(accountId: string, jobId: string, tags: readonly Tag[]): Promise<void> {
    const checked = validateJobTags(tags);
    const job = await this.describe(accountId, jobId);
    if ((await this.store.setJobTags(accountId, job.id, checked)) === 'missing') throw notFound(job.id);
  }

  /** DeleteJobTagging: remove every tag of a job of the account (NotFoundException). */
  async deleteTags(accountId: string, jobId: string): Promise<void> {
    const job = await this.describe(accountId, jobId);
    if ((await this.store.setJobTags(accountId, job.id, [])) === 'missing') throw notFound(job.id);
  }

  // ---- what the worker uses ----

  /** The most urgent job with work to do (highest priority, then oldest), or undefined when there is none. */
  async nextRunnable(): Promise<Job | undefined> {
    return (await this.store.runnableJobs())[0];
  }

  /**
   * Lease the most urgent work that no other worker holds (or whose lease expired) to `holder` for `ttlMs`: a range
   * of an Active job's rows, or a step of a job (JobStore.claimJob); undefined when there is none.
   */
  claimNext(holder: string, ttlMs: number): Promise<JobClaim | undefined> {
    return this.store.claimJob(holder, ttlMs);
  }

  /** Keep `holder`'s lease on the job (or its range at row `range`) `ttlMs` longer; false when it was lost. */
  renewLease(jobId: string, holder: string, ttlMs: number, range?: number): Promise<boolean> {
    return this.store.renewJob(jobId, holder, ttlMs, range);
  }

  /** Give up `holder`'s lease on the job, or on its range at row `range` (JobStore.releaseJob). */
  releaseLease(jobId: string, holder: string, range?: number): Promise<void> {
    return this.store.releaseJob(jobId, holder, range);
  }

  /** The job's ranges in row order (JobStore.ranges): which rows were applied, for the completion report. */
  ranges(jobId: string): Promise<JobRange[]> {
    return this.store.ranges(jobId);
  }

  /** The most tasks one unit may have on the store's backend (JobStore.maxUnitTargets); undefined: no limit. */
  get maxUnitTasks(): number | undefined {
    return this.store.maxUnitTargets;
  }

  /** A job by id, whatever its account. */
  byId(jobId: string): Promise<Job | undefined> {
    return this.store.getJobById(jobId);
  }

  /**
   * Move a job from `from` to `to`, recording `fields` with the status. An edge the transition table does not have
   * is a programming error (rejected before anything is written); undefined when the job is no longer in `from`
   * (changed meanwhile) or is gone.
   */
  transition(jobId: string, from: JobStatus, to: JobStatus, fields?: TransitionFields): Promise<Job | undefined> {
    return this.store.transition(jobId, [from], to, fields);
  }

  /**
   * Commit one unit of tasks of an Active job's range starting at row `range` (JobStore.commitUnit), then apply the
   * failure rule to the job's counters (every range's units together): a job that crossed the threshold goes to
   * Failing with the reason. Returns the job afterwards (Active; Failing; or whatever a concurrent change made it),
   * or undefined when nothing was applied because the job was no longer Active, `holder` no longer held the range's
   * lease, or the job is gone.
   */
  async commitUnit(
    jobId: string,
    range: number,
    holder: string,
    writes: UnitTagWrites,
    outcome: (results: readonly BatchTagOutcome[]) => UnitOutcome,
  ): Promise<Job | undefined> {
    const after = await this.store.commitUnit(jobId, range, holder, writes, outcome);
    if (after === undefined || !exceedsFailureThreshold(after.succeeded, after.failed)) return after;
    const failing = await this.transition(jobId, 'Active', 'Failing', thresholdFailure(after.succeeded, after.failed));
    return failing ?? (await this.store.getJobById(jobId));
  }

  /** A job's failed tasks in row order (JobStore.failures); the completion report reads them. */
  failures(jobId: string, afterRow: number, limit: number): Promise<TaskFailure[]> {
    return this.store.failures(jobId, afterRow, limit);
  }

  /** Jobs of every account counted by status, with their tasks succeeded and failed (the metrics). */
  summary(): Promise<JobStatusSummary[]> {
    return this.store.summary();
  }
}
