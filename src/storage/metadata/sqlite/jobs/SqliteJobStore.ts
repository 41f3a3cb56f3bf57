import type { Database, Statement } from 'better-sqlite3';
import type { Job, JobStatus } from '../../../../core/batch/Job.js';
import type { Tag } from '../../../../core/tags/Tag.js';
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
import { RUNNABLE_STATUSES } from '../../../../core/batch/jobStateMachine.js';
import type { SqliteDatabase } from '../SqliteDatabase.js';
import { settle } from '../settle.js';
import { SqliteBatchTagWriter } from './SqliteBatchTagWriter.js';
import { toJob, toRange, type JobRow as SharedJobRow, type RangeRow } from '../../rows/jobRows.js';

/** A `batch_jobs` row as SQLite stores it: dates as ISO text. */
type JobRow = SharedJobRow<string>;


/**
 * JobStore on the shared SQLite connection: reads on `db`, writes through the group commit. A unit's tag writes run
 * synchronously inside the unit's write (SqliteBatchTagWriter, through VersionRepo). Leases are kept as in every
 * backend (several workers of one process take turns); as one process has the file, opening the store voids the
 * leases an earlier process left.
 */
export class SqliteJobStore implements JobStore {
  private readonly db: Database;
  private readonly tagWriter: SqliteBatchTagWriter;
  private readonly selectById: Statement<[string], JobRow>;
  private readonly selectByToken: Statement<[string, string], JobRow>;
  private readonly insertFailure: Statement<[string, number, number, string, string]>;
  private readonly updateProgress: Statement<[number, number, number, number, string]>;
  private readonly selectRange: Statement<[string, number], RangeRow>;
  private readonly updateRangeCursor: Statement<[number, string, number]>;
  private readonly selectSummary: Statement<[], { status: JobStatus; jobs: number; succeeded: number; failed: number }>;
  private readonly selectFailures: Statement<[string, number, number], { row_number: number; http_status: number; error_code: string; message: string }>;
  // claimJob, renewJob, releaseJob: run on every worker step and idle poll, so prepared once
  private readonly selectRunnable: Statement<JobStatus[], JobRow>;
  private readonly selectClaimableRange: Statement<[string, string, number, string], RangeRow>;
  private readonly leaseRange: Statement<[string, number, string, number]>;
  private readonly countRangesLeft: Statement<[string], number>;
  private readonly leaseJob: Statement<[string, number, string]>;
  private readonly renewJobLease: Statement<[number, string, string]>;
  private readonly renewRangeLease: Statement<[number, string, number, string]>;
  private readonly releaseJobLease: Statement<[string, string]>;
  private readonly releaseRangeLease: Statement<[string, number, string]>;

  constructor(
    private readonly connection: SqliteDatabase,
    private readonly now: () => number = Date.now,
  ) {
    this.db = connection.db;
    this.tagWriter = new SqliteBatchTagWriter(connection);
    // one process has the SQLite file: a lease left by an earlier process (killed mid-unit) is void, so the
    // restarted worker resumes its job at once instead of after the lease's TTL (a statement of its own, at open)
    this.db.prepare('UPDATE batch_jobs SET lease_holder = NULL, lease_until = NULL WHERE lease_holder IS NOT NULL').run();
    this.db.prepare('UPDATE batch_job_ranges SET lease_until = NULL WHERE lease_until IS NOT NULL').run();
    this.selectById = this.db.prepare('SELECT * FROM batch_jobs WHERE id = ?');
    this.selectByToken = this.db.prepare('SELECT * FROM batch_jobs WHERE account_id = ? AND client_request_token = ?');
    this.insertFailure = this.db.prepare(
      'INSERT OR REPLACE INTO batch_job_failures (job_id, row_number, http_status, error_code, message) VALUES (?, ?, ?, ?, ?)',
    );
    this.updateProgress = this.db.prepare(
      'UPDATE batch_jobs SET cursor = cursor + ?, succeeded = succeeded + ?, failed = failed + ?, active_ms = active_ms + ? WHERE id = ?',
    );
    this.selectRange = this.db.prepare('SELECT * FROM batch_job_ranges WHERE job_id = ? AND first_row = ?');
    this.updateRangeCursor = this.db.prepare('UPDATE batch_job_ranges SET cursor = ? WHERE job_id = ? AND first_row = ?');
    this.selectSummary = this.db.prepare(
      'SELECT status, count(*) AS jobs, coalesce(sum(succeeded), 0) AS succeeded, coalesce(sum(failed), 0) AS failed FROM batch_jobs GROUP BY status',
    );
    this.selectFailures = this.db.prepare(
      'SELECT row_number, http_status, error_code, message FROM batch_job_failures WHERE job_id = ? AND row_number > ? ORDER BY row_number LIMIT ?',
    );
    this.selectRunnable = this.db.prepare(
      `SELECT * FROM batch_jobs WHERE status IN (${RUNNABLE_STATUSES.map(() => '?').join(', ')}) ORDER BY priority DESC, seq`,
    );
    this.selectClaimableRange = this.db.prepare(
      `SELECT * FROM batch_job_ranges WHERE job_id = ? AND cursor < end_row
         AND (holder IS NULL OR holder = ? OR lease_until IS NULL OR lease_until <= ?)
       ORDER BY holder IS NOT ? , first_row LIMIT 1`,
    );
    this.leaseRange = this.db.prepare('UPDATE batch_job_ranges SET holder = ?, lease_until = ? WHERE job_id = ? AND first_row = ?');
    this.countRangesLeft = this.db.prepare<[string], number>('SELECT count(*) FROM batch_job_ranges WHERE job_id = ? AND cursor < end_row').pluck();
    this.leaseJob = this.db.prepare('UPDATE batch_jobs SET lease_holder = ?, lease_until = ? WHERE id = ?');
    this.renewJobLease = this.db.prepare('UPDATE batch_jobs SET lease_until = ? WHERE id = ? AND lease_holder = ?');
    this.renewRangeLease = this.db.prepare('UPDATE batch_job_ranges SET lease_until = ? WHERE job_id = ? AND first_row = ? AND holder = ?');
    this.releaseJobLease = this.db.prepare('UPDATE batch_jobs SET lease_holder = NULL, lease_until = NULL WHERE id = ? AND lease_holder = ?');
    // the holder stays on record (a done range shows who finished it); the lease ends
    this.releaseRangeLease = this.db.prepare('UPDATE batch_job_ranges SET lease_until = NULL WHERE job_id = ? AND first_row = ? AND holder = ?');
  }

  createJob(job: Job): Promise<CreateJobResult> {
    return this.connection.commits.run((): CreateJobResult => {
      const existing = this.selectByToken.get(job.accountId, job.clientRequestToken);
      if (existing !== undefined) return { status: 'exists', job: toJob(existing) };
      const seq = (this.db.prepare('SELECT coalesce(max(seq), 0) + 1 FROM batch_jobs').pluck().get() as number) ?? 1;
      this.db
        .prepare(
          `INSERT INTO batch_jobs (id, account_id, seq, status, priority, confirmation_required, client_request_token,
             request_fingerprint, description, role_arn, spec, tags, creation_time)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          job.id, job.accountId, seq, job.status, job.priority, job.confirmationRequired ? 1 : 0, job.clientRequestToken,
          job.requestFingerprint, job.description ?? null, job.roleArn, JSON.stringify(job.spec), JSON.stringify(job.tags),
          job.creationTime.toISOString(),
        );
      return { status: 'created', job: toJob(this.selectById.get(job.id)!) };
    });
  }

  getJob(accountId: string, jobId: string): Promise<Job | undefined> {
    return settle(() => {
      const row = this.selectById.get(jobId);
      return row === undefined || row.account_id !== accountId ? undefined : toJob(row);
    });
  }

  getJobById(jobId: string): Promise<Job | undefined> {
    return settle(() => {
      const row = this.selectById.get(jobId);
      return row === undefined ? undefined : toJob(row);
    });
  }

  listJobs(accountId: string, statuses: readonly JobStatus[], beforeSeq: number | undefined, limit: number): Promise<Job[]> {
    return settle(() => this.readJobs(accountId, statuses, beforeSeq, limit));
  }

  private readJobs(accountId: string, statuses: readonly JobStatus[], beforeSeq: number | undefined, limit: number): Job[] {
    const where = ['account_id = ?'];
    const params: unknown[] = [accountId];
    if (statuses.length > 0) {
      where.push(`status IN (${statuses.map(() => '?').join(', ')})`);
      params.push(...statuses);
    }
    if (beforeSeq !== undefined) {
      where.push('seq < ?');
      params.push(beforeSeq);
    }
    params.push(limit);
    const rows = this.db.prepare(`SELECT * FROM batch_jobs WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ?`).all(...params) as JobRow[];
    return rows.map(toJob);
  }

  runnableJobs(): Promise<Job[]> {
    return settle(() => this.readRunnable());
  }

  private readRunnable(): Job[] {
    return this.selectRunnable.all(...RUNNABLE_STATUSES).map(toJob);
  }

  updatePriority(accountId: string, jobId: string, priority: number): Promise<Job | undefined> {
    return this.connection.commits.run(() => {
      const row = this.selectById.get(jobId);
      if (row === undefined || row.account_id !== accountId) return undefined;
      this.db.prepare('UPDATE batch_jobs SET priority = ? WHERE id = ?').run(priority, jobId);
      return toJob(this.selectById.get(jobId)!);
    });
  }

  transition(
    jobId: string,
    from: readonly JobStatus[],
    to: JobStatus,
    fields: TransitionFields = {},
  ): Promise<Job | undefined> {
    return this.connection.commits.run(() => {
      const row = this.selectById.get(jobId);
      if (row === undefined || !from.includes(row.status as JobStatus)) return undefined;
      const sets = ['status = ?'];
      const params: unknown[] = [to];
      const add = (column: string, value: unknown): void => {
        sets.push(`${column} = ?`);
        params.push(value);
      };
      if (fields.statusUpdateReason !== undefined) add('status_update_reason', fields.statusUpdateReason);
      if (fields.terminationDate !== undefined) add('termination_date', fields.terminationDate.toISOString());
      if (fields.suspendedDate !== undefined) add('suspended_date', fields.suspendedDate.toISOString());
      if (fields.suspendedCause !== undefined) add('suspended_cause', fields.suspendedCause);
      if (fields.failureReasons !== undefined) add('failure_reasons', JSON.stringify(fields.failureReasons));
      if (fields.totalTasks !== undefined) add('total_tasks', fields.totalTasks);
      if (fields.manifestVersionId !== undefined) add('manifest_version_id', fields.manifestVersionId);
      if (fields.generatedManifest !== undefined) add('generated_manifest', JSON.stringify(fields.generatedManifest));
      params.push(jobId);
      this.db.prepare(`UPDATE batch_jobs SET ${sets.join(', ')} WHERE id = ?`).run(...params);
      if (fields.ranges !== undefined && fields.ranges.length > 0) {
        const insert = this.db.prepare('INSERT INTO batch_job_ranges (job_id, first_row, end_row, cursor) VALUES (?, ?, ?, ?)');
        for (const r of fields.ranges) insert.run(jobId, r.first, r.end, r.first);
      }
      return toJob(this.selectById.get(jobId)!);
    });
  }

  setJobTags(accountId: string, jobId: string, tags: readonly Tag[]): Promise<'ok' | 'missing'> {
    return this.connection.commits.run(() => {
      const row = this.selectById.get(jobId);
      if (row === undefined || row.account_id !== accountId) return 'missing' as const;
      this.db.prepare('UPDATE batch_jobs SET tags = ? WHERE id = ?').run(JSON.stringify(tags), jobId);
      return 'ok' as const;
    });
  }

  claimJob(holder: string, ttlMs: number): Promise<JobClaim | undefined> {
    return this.connection.commits.run((): JobClaim | undefined => {
      const now = this.now();
      const free = (rowHolder: string | null, until: number | null): boolean => rowHolder === null || rowHolder === holder || until === null || until <= now;
      for (const row of this.selectRunnable.all(...RUNNABLE_STATUSES)) {
        if (row.status === 'Active') {
          const range = this.selectClaimableRange.get(row.id, holder, now, holder);
          if (range !== undefined) {
            this.leaseRange.run(holder, now + ttlMs, row.id, range.first_row);
            return { job: toJob(row), range: toRange(range) };
          }
          const left = this.countRangesLeft.get(row.id) ?? 0;
          // rows left, every one of them in a range another worker holds: nothing here for this worker
          if (left > 0) continue;
        }
        if (!free(row.lease_holder, row.lease_until)) continue;
        this.leaseJob.run(holder, now + ttlMs, row.id);
        return { job: toJob(this.selectById.get(row.id)!) };
      }
      return undefined;
    });
  }

  renewJob(jobId: string, holder: string, ttlMs: number, range?: number): Promise<boolean> {
    return this.connection.commits.run(() => {
      const until = this.now() + ttlMs;
      const renewed = range === undefined ? this.renewJobLease.run(until, jobId, holder) : this.renewRangeLease.run(until, jobId, range, holder);
      return renewed.changes > 0;
    });
  }

  releaseJob(jobId: string, holder: string, range?: number): Promise<void> {
    return this.connection.commits.run(() => {
      if (range === undefined) this.releaseJobLease.run(jobId, holder);
      else this.releaseRangeLease.run(jobId, range, holder);
    });
  }

  ranges(jobId: string): Promise<JobRange[]> {
    return settle(() => (this.db.prepare('SELECT * FROM batch_job_ranges WHERE job_id = ? ORDER BY first_row').all(jobId) as RangeRow[]).map(toRange));
  }

  commitUnit(
    jobId: string,
    range: number,
    holder: string,
    writes: UnitTagWrites,
    outcome: (results: readonly BatchTagOutcome[]) => UnitOutcome,
  ): Promise<Job | undefined> {
    return this.connection.commits.run(() => {
      const row = this.selectById.get(jobId);
      if (row === undefined || row.status !== 'Active') return undefined;
      const held = this.selectRange.get(jobId, range);
      if (held === undefined || held.holder !== holder || held.lease_until === null || held.cursor >= held.end_row) return undefined;
      const results = this.tagWriter.replaceTagsOfTargets(writes.targets, writes.tags);
      const unit = outcome(results);
      if (unit.cursor <= held.cursor || unit.cursor > held.end_row) {
        throw new Error(`unit cursor ${unit.cursor} outside the range's rows (${held.cursor}, ${held.end_row}]`);
      }
      for (const f of unit.failures) this.insertFailure.run(jobId, f.row, f.httpStatus, f.errorCode, f.message);
      this.updateRangeCursor.run(unit.cursor, jobId, range);
      this.updateProgress.run(unit.cursor - held.cursor, unit.succeeded, unit.failed, unit.activeMs, jobId);
      return toJob(this.selectById.get(jobId)!);
    });
  }

  summary(): Promise<JobStatusSummary[]> {
    return settle(() => this.selectSummary.all().map((r) => ({ status: r.status, jobs: r.jobs, tasksSucceeded: r.succeeded, tasksFailed: r.failed })));
  }

  failures(jobId: string, afterRow: number, limit: number): Promise<TaskFailure[]> {
    return settle(() =>
      this.selectFailures.all(jobId, afterRow, limit).map((r) => ({
        row: r.row_number,
        httpStatus: r.http_status,
        errorCode: r.error_code,
        message: r.message,
      })),
    );
  }
}
