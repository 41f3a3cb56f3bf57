import type { Job, JobStatus } from '../../../../core/batch/Job.js';
import { RUNNABLE_STATUSES } from '../../../../core/batch/jobStateMachine.js';
import type {
  BatchTagOutcome,
  CreateJobResult,
  JobClaim,
  JobRange,
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
import { toJob, toRange, type JobRow as SharedJobRow, type RangeRow } from '../../rows/jobRows.js';
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
 * Lease the range of an Active job with rows left that `holder` holds, or else the lowest free one (no holder, an
 * expired lease). SKIP LOCKED passes over a range another node is claiming or committing a unit of at this moment.
 */
const CLAIM_RANGE = `
WITH next AS (
  SELECT job_id, first_row FROM batch_job_ranges
   WHERE job_id = $1 AND cursor < end_row AND (holder IS NULL OR holder = $2 OR lease_until IS NULL OR lease_until <= ${NOW_MS})
   ORDER BY holder IS DISTINCT FROM $2, first_row
   LIMIT 1
   FOR UPDATE SKIP LOCKED)
UPDATE batch_job_ranges r SET holder = $2, lease_until = ${NOW_MS} + $3
  FROM next WHERE r.job_id = next.job_id AND r.first_row = next.first_row
RETURNING r.*`;

/** Lease the job itself (a step other than a range's units) when nobody holds it, its lease expired, or it is `holder`'s. */
const CLAIM_JOB = `
WITH next AS (
  SELECT id FROM batch_jobs
   WHERE id = $1 AND status = $2 AND (lease_holder IS NULL OR lease_holder = $3 OR lease_until <= ${NOW_MS})
   FOR UPDATE SKIP LOCKED)
UPDATE batch_jobs j SET lease_holder = $3, lease_until = ${NOW_MS} + $4
  FROM next WHERE j.id = next.id
RETURNING j.*`;

/** Thrown inside commitUnit's transaction to roll it back: the job stopped being Active while the unit ran. */
class NotActive extends Error {}

/**
 * JobStore on PostgreSQL (tables of migrations 003 and 007). Single-statement writes are atomic on their own (a
 * transition is an UPDATE guarded by the status); `commitUnit` is one READ COMMITTED transaction that takes its keys'
 * write locks, then locks its range's row, applies the writes, and last adds to the job's counters with an UPDATE
 * guarded by the status: units of several ranges of one job (on several nodes) wait for each other only for that
 * last statement, and a cancel that committed first rolls the unit back. Leases are measured on the database's clock.
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

  async claimJob(holder: string, ttlMs: number): Promise<JobClaim | undefined> {
    const ttl = Math.ceil(ttlMs);
    const candidates = await this.db.query<{ id: string; status: string; left: number }>(
      `SELECT id, status,
              CASE WHEN status = 'Active' THEN (SELECT count(*) FROM batch_job_ranges r WHERE r.job_id = j.id AND r.cursor < r.end_row) ELSE 0 END AS left
         FROM batch_jobs j WHERE status = ANY($1::text[]) ORDER BY priority DESC, seq`,
      [RUNNABLE],
      'job-candidates',
    );
    for (const candidate of candidates.rows) {
      if (candidate.status === 'Active' && candidate.left > 0) {
        const range = (await this.db.query<RangeRow>(CLAIM_RANGE, [candidate.id, holder, ttl], 'job-claim-range')).rows[0];
        if (range === undefined) continue; // every range with rows left is another worker's
        const job = await this.row(candidate.id);
        if (job === undefined) continue;
        return { job: toJob(job), range: toRange(range) };
      }
      const job = (await this.db.query<JobRow>(CLAIM_JOB, [candidate.id, candidate.status, holder, ttl], 'job-claim')).rows[0];
      if (job !== undefined) return { job: toJob(job) };
    }
    return undefined;
  }

  async renewJob(jobId: string, holder: string, ttlMs: number, range?: number): Promise<boolean> {
    const result =
      range === undefined
        ? await this.db.query(`UPDATE batch_jobs SET lease_until = ${NOW_MS} + $3 WHERE id = $1 AND lease_holder = $2`, [jobId, holder, Math.ceil(ttlMs)], 'job-renew')
        : await this.db.query(
            `UPDATE batch_job_ranges SET lease_until = ${NOW_MS} + $3 WHERE job_id = $1 AND holder = $2 AND first_row = $4`,
            [jobId, holder, Math.ceil(ttlMs), range],
            'job-renew-range',
          );
    return result.rowCount === 1;
  }

  async releaseJob(jobId: string, holder: string, range?: number): Promise<void> {
    if (range === undefined) {
      await this.db.query('UPDATE batch_jobs SET lease_holder = NULL, lease_until = NULL WHERE id = $1 AND lease_holder = $2', [jobId, holder]);
    } else {
      // the holder stays on record (a done range shows who finished it); the lease ends
      await this.db.query('UPDATE batch_job_ranges SET lease_until = NULL WHERE job_id = $1 AND first_row = $3 AND holder = $2', [jobId, holder, range]);
    }
  }

  async ranges(jobId: string): Promise<JobRange[]> {
    const result = await this.db.query<RangeRow>('SELECT * FROM batch_job_ranges WHERE job_id = $1 ORDER BY first_row', [jobId], 'job-ranges');
    return result.rows.map(toRange);
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
    const update = `UPDATE batch_jobs SET ${sets.join(', ')} WHERE id = $1 AND status = ANY($2::text[]) RETURNING *`;
    const ranges = fields.ranges ?? [];
    if (ranges.length === 0) {
      const result = await this.db.query<JobRow>(update, params);
      return result.rows[0] === undefined ? undefined : toJob(result.rows[0]);
    }
    // the ranges are made with the status change, in the same statement (none when the status check fails)
    params.push(ranges.map((r) => r.first), ranges.map((r) => r.end));
    const result = await this.db.query<JobRow>(
      `WITH changed AS (${update}),
            made AS (INSERT INTO batch_job_ranges (job_id, first_row, end_row, cursor)
                     SELECT changed.id, r.first_row, r.end_row, r.first_row
                       FROM changed, unnest($${params.length - 1}::bigint[], $${params.length}::bigint[]) AS r (first_row, end_row))
       SELECT * FROM changed`,
      params,
    );
    return result.rows[0] === undefined ? undefined : toJob(result.rows[0]);
  }

  async setJobTags(accountId: string, jobId: string, tags: readonly Tag[]): Promise<'ok' | 'missing'> {
    const result = await this.db.query('UPDATE batch_jobs SET tags = $3 WHERE id = $1 AND account_id = $2', [jobId, accountId, JSON.stringify(tags)]);
    return result.rowCount === 1 ? 'ok' : 'missing';
  }

  async commitUnit(
    jobId: string,
    range: number,
    holder: string,
    writes: UnitTagWrites,
    outcome: (results: readonly BatchTagOutcome[]) => UnitOutcome,
  ): Promise<Job | undefined> {
    if (writes.targets.length > MAX_UNIT_TARGETS) {
      throw new Error(`a unit of ${writes.targets.length} tag writes; at most ${MAX_UNIT_TARGETS} (maxUnitTargets)`);
    }
    try {
      return await this.db.transaction(async (tx) => {
        // first, before any row lock gives this transaction its id: the write locks of the unit's keys, which every
        // writer of a key takes (see versionSql.ts), in one order for every writer
        if (writes.targets.length > 0) {
          await tx.query(LOCK_KEYS, [writes.targets.map((t) => t.bucket), writes.targets.map((t) => t.key)], 'job-lock-unit-keys');
        }
        const held = (
          await tx.query<RangeRow & { status: string }>(
            `SELECT r.*, j.status FROM batch_job_ranges r JOIN batch_jobs j ON j.id = r.job_id
              WHERE r.job_id = $1 AND r.first_row = $2 FOR UPDATE OF r`,
            [jobId, range],
            'job-lock-range',
          )
        ).rows[0];
        if (held === undefined || held.status !== 'Active' || held.holder !== holder || held.lease_until === null || held.cursor >= held.end_row) {
          return undefined;
        }
        const results = await applyUnitTagWrites(tx, writes, this.now());
        const unit = outcome(results);
        if (unit.cursor <= held.cursor || unit.cursor > held.end_row) {
          throw new Error(`unit cursor ${unit.cursor} outside the range's rows (${held.cursor}, ${held.end_row}]`);
        }
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
        await tx.query('UPDATE batch_job_ranges SET cursor = $3 WHERE job_id = $1 AND first_row = $2', [jobId, range, unit.cursor], 'job-range-cursor');
        // last, and guarded by the status: the job row is held only until the commit, and a cancel that committed
        // meanwhile (waited for here, then re-checked) rolls the whole unit back
        const after = await tx.query<JobRow>(
          `UPDATE batch_jobs SET cursor = cursor + $2, succeeded = succeeded + $3, failed = failed + $4, active_ms = active_ms + $5
            WHERE id = $1 AND status = 'Active' RETURNING *`,
          [jobId, unit.cursor - held.cursor, unit.succeeded, unit.failed, unit.activeMs],
          'job-record-unit',
        );
        if (after.rows[0] === undefined) throw new NotActive();
        return toJob(after.rows[0]);
      });
    } catch (error) {
      if (error instanceof NotActive) return undefined;
      throw error;
    }
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
