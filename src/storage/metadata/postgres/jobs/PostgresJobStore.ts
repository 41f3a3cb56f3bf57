import type { Job, JobStatus } from '../../../../core/batch/Job.js';
import { RUNNABLE_STATUSES } from '../../../../core/batch/jobStateMachine.js';
import type {
  BatchTagOutcome,
  CreateJobResult,
  JobStatusSummary,
  JobStore,
  TaskFailure,
  TransitionFields,
  UnitOutcome,
  UnitTagWrites,
} from '../../../../core/ports/JobStore.js';
import type { Tag } from '../../../../core/tags/Tag.js';
import type { PostgresDatabase } from '../PostgresDatabase.js';
import { LOCK_KEYS } from '../versionSql.js';
import { toJob, type JobRow as SharedJobRow } from '../../rows/jobRows.js';
import { applyUnitTagWrites } from './unitTagWrites.js';

/** A `batch_jobs` row as PostgreSQL stores it: dates as ms since the epoch. */
type JobRow = SharedJobRow<number>;

/** The database's clock in ms: every node measures leases on the same clock. */
const NOW_MS = '(extract(epoch FROM clock_timestamp()) * 1000)::bigint';

const RUNNABLE: readonly string[] = RUNNABLE_STATUSES;

/**
 * Tag writes per unit at most: a unit holds one advisory lock per key until it commits, in the server's shared lock
 * table (max_locks_per_transaction × connections: 6,400 slots with PostgreSQL's defaults, shared by every node).
 */
const MAX_UNIT_TARGETS = 1_000;

/**
 * The most urgent runnable job that is free (no holder, an expired lease, or `holder`'s own), leased to `holder`. SKIP
 * LOCKED passes over a job another node is claiming or committing a unit of at this moment.
 */
const CLAIM = `
WITH next AS (
  SELECT id FROM batch_jobs
   WHERE status = ANY($1::text[]) AND (lease_holder IS NULL OR lease_holder = $2 OR lease_until <= ${NOW_MS})
   ORDER BY priority DESC, seq
   LIMIT 1
   FOR UPDATE SKIP LOCKED)
UPDATE batch_jobs j SET lease_holder = $2, lease_until = ${NOW_MS} + $3
  FROM next WHERE j.id = next.id
RETURNING j.*`;

/**
 * JobStore on PostgreSQL (tables of migration 003). Single-statement writes are atomic on their own (a transition is
 * an UPDATE guarded by the status); `commitUnit` is one READ COMMITTED transaction that takes its keys' write locks,
 * then locks the job row, so a cancel, a claim by another node or a second unit waits for it or passes it by.
 * Leases are measured on the database's clock.
 */
export class PostgresJobStore implements JobStore {
  readonly maxUnitTargets = MAX_UNIT_TARGETS;

  constructor(
    private readonly db: PostgresDatabase,
    private readonly now: () => number = Date.now,
  ) {}

  async createJob(job: Job): Promise<CreateJobResult> {
    for (;;) {
      const inserted = await this.db.query<JobRow>(
        `INSERT INTO batch_jobs (id, account_id, status, priority, confirmation_required, client_request_token,
           request_fingerprint, description, role_arn, spec, tags, creation_time)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (account_id, client_request_token) DO NOTHING
         RETURNING *`,
        [
          job.id, job.accountId, job.status, job.priority, job.confirmationRequired ? 1 : 0, job.clientRequestToken,
          job.requestFingerprint, job.description ?? null, job.roleArn, JSON.stringify(job.spec), JSON.stringify(job.tags),
          job.creationTime.getTime(),
        ],
      );
      if (inserted.rows[0] !== undefined) return { status: 'created', job: toJob(inserted.rows[0]) };
      const existing = await this.db.query<JobRow>('SELECT * FROM batch_jobs WHERE account_id = $1 AND client_request_token = $2', [
        job.accountId,
        job.clientRequestToken,
      ]);
      if (existing.rows[0] !== undefined) return { status: 'exists', job: toJob(existing.rows[0]) };
    }
  }

  async getJob(accountId: string, jobId: string): Promise<Job | undefined> {
    const row = await this.row(jobId);
    return row === undefined || row.account_id !== accountId ? undefined : toJob(row);
  }

  async getJobById(jobId: string): Promise<Job | undefined> {
    const row = await this.row(jobId);
    return row === undefined ? undefined : toJob(row);
  }

  private async row(jobId: string): Promise<JobRow | undefined> {
    return (await this.db.query<JobRow>('SELECT * FROM batch_jobs WHERE id = $1', [jobId], 'job-by-id')).rows[0];
  }

  async listJobs(accountId: string, statuses: readonly JobStatus[], beforeSeq: number | undefined, limit: number): Promise<Job[]> {
    const result = await this.db.query<JobRow>(
      `SELECT * FROM batch_jobs
        WHERE account_id = $1 AND (cardinality($2::text[]) = 0 OR status = ANY($2::text[])) AND ($3::bigint IS NULL OR seq < $3)
        ORDER BY seq DESC LIMIT $4`,
      [accountId, statuses, beforeSeq ?? null, limit],
    );
    return result.rows.map(toJob);
  }

  async runnableJobs(): Promise<Job[]> {
    const result = await this.db.query<JobRow>('SELECT * FROM batch_jobs WHERE status = ANY($1::text[]) ORDER BY priority DESC, seq', [RUNNABLE]);
    return result.rows.map(toJob);
  }

  async claimJob(holder: string, ttlMs: number): Promise<Job | undefined> {
    const row = (await this.db.query<JobRow>(CLAIM, [RUNNABLE, holder, Math.ceil(ttlMs)], 'job-claim')).rows[0];
    return row === undefined ? undefined : toJob(row);
  }

  async renewJob(jobId: string, holder: string, ttlMs: number): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE batch_jobs SET lease_until = ${NOW_MS} + $3 WHERE id = $1 AND lease_holder = $2`,
      [jobId, holder, Math.ceil(ttlMs)],
      'job-renew',
    );
    return result.rowCount === 1;
  }

  async releaseJob(jobId: string, holder: string): Promise<void> {
    await this.db.query('UPDATE batch_jobs SET lease_holder = NULL, lease_until = NULL WHERE id = $1 AND lease_holder = $2', [jobId, holder]);
  }

  async updatePriority(accountId: string, jobId: string, priority: number): Promise<Job | undefined> {
    const result = await this.db.query<JobRow>('UPDATE batch_jobs SET priority = $3 WHERE id = $1 AND account_id = $2 RETURNING *', [
      jobId,
      accountId,
      priority,
    ]);
    return result.rows[0] === undefined ? undefined : toJob(result.rows[0]);
  }

  async transition(jobId: string, from: readonly JobStatus[], to: JobStatus, fields: TransitionFields = {}): Promise<Job | undefined> {
    const sets = ['status = $3'];
    const params: unknown[] = [jobId, from, to];
    const add = (column: string, value: unknown): void => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (fields.statusUpdateReason !== undefined) add('status_update_reason', fields.statusUpdateReason);
    if (fields.terminationDate !== undefined) add('termination_date', fields.terminationDate.getTime());
    if (fields.suspendedDate !== undefined) add('suspended_date', fields.suspendedDate.getTime());
    if (fields.suspendedCause !== undefined) add('suspended_cause', fields.suspendedCause);
    if (fields.failureReasons !== undefined) add('failure_reasons', JSON.stringify(fields.failureReasons));
    if (fields.totalTasks !== undefined) add('total_tasks', fields.totalTasks);
    if (fields.manifestVersionId !== undefined) add('manifest_version_id', fields.manifestVersionId);
    if (fields.generatedManifest !== undefined) add('generated_manifest', JSON.stringify(fields.generatedManifest));
    // the status check and the change are one statement: a concurrent change of status is waited for and re-checked
    const result = await this.db.query<JobRow>(
      `UPDATE batch_jobs SET ${sets.join(', ')} WHERE id = $1 AND status = ANY($2::text[]) RETURNING *`,
      params,
    );
    return result.rows[0] === undefined ? undefined : toJob(result.rows[0]);
  }

  async setJobTags(accountId: string, jobId: string, tags: readonly Tag[]): Promise<'ok' | 'missing'> {
    const result = await this.db.query('UPDATE batch_jobs SET tags = $3 WHERE id = $1 AND account_id = $2', [jobId, accountId, JSON.stringify(tags)]);
    return result.rowCount === 1 ? 'ok' : 'missing';
  }

  commitUnit(
    jobId: string,
    holder: string,
    writes: UnitTagWrites,
    outcome: (results: readonly BatchTagOutcome[]) => UnitOutcome,
  ): Promise<Job | undefined> {
    if (writes.targets.length > MAX_UNIT_TARGETS) {
      return Promise.reject(new Error(`a unit of ${writes.targets.length} tag writes; at most ${MAX_UNIT_TARGETS} (maxUnitTargets)`));
    }
    return this.db.transaction(async (tx) => {
      // first, before any row lock gives this transaction its id: the write locks of the unit's keys, which every
      // writer of a key takes (see versionSql.ts), so the change outbox's (txid, id) order follows each key's writes
      if (writes.targets.length > 0) {
        await tx.query(LOCK_KEYS, [writes.targets.map((t) => t.bucket), writes.targets.map((t) => t.key)], 'job-lock-unit-keys');
      }
      const job = await tx.query<{ status: string; lease_holder: string | null }>(
        'SELECT status, lease_holder FROM batch_jobs WHERE id = $1 FOR UPDATE',
        [jobId],
        'job-lock-for-unit',
      );
      const row = job.rows[0];
      if (row === undefined || row.status !== 'Active' || row.lease_holder !== holder) return undefined;
      const results = await applyUnitTagWrites(tx, writes, this.now());
      const unit = outcome(results);
      if (unit.failures.length > 0) {
        await tx.query(
          `INSERT INTO batch_job_failures (job_id, row_number, http_status, error_code, message)
           SELECT $1, * FROM unnest($2::bigint[], $3::int[], $4::text[], $5::text[])
           ON CONFLICT (job_id, row_number) DO UPDATE
             SET http_status = excluded.http_status, error_code = excluded.error_code, message = excluded.message`,
          [
            jobId,
            unit.failures.map((f) => f.row),
            unit.failures.map((f) => f.httpStatus),
            unit.failures.map((f) => f.errorCode),
            unit.failures.map((f) => f.message),
          ],
          'job-insert-failures',
        );
      }
      const after = await tx.query<JobRow>(
        `UPDATE batch_jobs SET cursor = $2, succeeded = succeeded + $3, failed = failed + $4, active_ms = active_ms + $5
          WHERE id = $1 RETURNING *`,
        [jobId, unit.cursor, unit.succeeded, unit.failed, unit.activeMs],
        'job-record-unit',
      );
      return toJob(after.rows[0]!);
    });
  }

  async failures(jobId: string, afterRow: number, limit: number): Promise<TaskFailure[]> {
    const result = await this.db.query<{ row_number: number; http_status: number; error_code: string; message: string }>(
      'SELECT row_number, http_status, error_code, message FROM batch_job_failures WHERE job_id = $1 AND row_number > $2 ORDER BY row_number LIMIT $3',
      [jobId, afterRow, limit],
      'job-failures',
    );
    return result.rows.map((r) => ({ row: r.row_number, httpStatus: r.http_status, errorCode: r.error_code, message: r.message }));
  }

  async summary(): Promise<JobStatusSummary[]> {
    const result = await this.db.query<{ status: JobStatus; jobs: number; succeeded: number; failed: number }>(
      `SELECT status, count(*)::bigint AS jobs, coalesce(sum(succeeded), 0)::bigint AS succeeded, coalesce(sum(failed), 0)::bigint AS failed
         FROM batch_jobs GROUP BY status`,
    );
    return result.rows.map((r) => ({ status: r.status, jobs: r.jobs, tasksSucceeded: r.succeeded, tasksFailed: r.failed }));
  }
}
