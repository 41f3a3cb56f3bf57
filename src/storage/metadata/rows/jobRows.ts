import { storedOperation, type Job, type JobFailure, type JobManifest, type JobSpec, type JobStatus } from '../../../core/batch/Job.js';
import type { JobRange } from '../../../core/ports/JobStore.js';
import type { Tag } from '../../../core/tags/Tag.js';

/**
 * A row of `batch_jobs`, the same columns in both backends. `D` is how a date column is stored: ISO text in SQLite
 * (migration 003), ms since the epoch in PostgreSQL (migration 003); `new Date` reads either.
 */
export interface JobRow<D extends string | number> {
  id: string;
  account_id: string;
  seq: number;
  status: string;
  priority: number;
  confirmation_required: number;
  client_request_token: string;
  request_fingerprint: string;
  description: string | null;
  role_arn: string;
  spec: string;
  tags: string;
  creation_time: D;
  termination_date: D | null;
  suspended_date: D | null;
  suspended_cause: string | null;
  status_update_reason: string | null;
  failure_reasons: string;
  manifest_version_id: string | null;
  generated_manifest: string | null;
  total_tasks: number | null;
  succeeded: number;
  failed: number;
  cursor: number;
  active_ms: number;
  lease_holder: string | null;
  lease_until: number | null;
}

export function toJob<D extends string | number>(r: JobRow<D>): Job {
  return {
    id: r.id,
    accountId: r.account_id,
    seq: r.seq,
    status: r.status as JobStatus,
    priority: r.priority,
    confirmationRequired: r.confirmation_required === 1,
    clientRequestToken: r.client_request_token,
    requestFingerprint: r.request_fingerprint,
    ...(r.description !== null ? { description: r.description } : {}),
    roleArn: r.role_arn,
    spec: specOf(r.spec),
    tags: JSON.parse(r.tags) as Tag[],
    creationTime: new Date(r.creation_time),
    ...(r.termination_date !== null ? { terminationDate: new Date(r.termination_date) } : {}),
    ...(r.suspended_date !== null ? { suspendedDate: new Date(r.suspended_date) } : {}),
    ...(r.suspended_cause !== null ? { suspendedCause: r.suspended_cause } : {}),
    ...(r.status_update_reason !== null ? { statusUpdateReason: r.status_update_reason } : {}),
    failureReasons: JSON.parse(r.failure_reasons) as JobFailure[],
    ...(r.manifest_version_id !== null ? { manifestVersionId: r.manifest_version_id } : {}),
    ...(r.generated_manifest !== null ? { generatedManifest: JSON.parse(r.generated_manifest) as JobManifest } : {}),
    ...(r.total_tasks !== null ? { totalTasks: r.total_tasks } : {}),
    succeeded: r.succeeded,
    failed: r.failed,
    cursor: r.cursor,
    activeMs: r.active_ms,
  };
}

/** The stored spec, its operation a checked domain value again (storedOperation). */
function specOf(text: string): JobSpec {
  const spec = JSON.parse(text) as JobSpec;
  return { ...spec, operation: storedOperation(spec.operation) };
}

/** A `batch_job_ranges` row, the same columns in both backends (SQLite migration 014, PostgreSQL migration 007). */
export interface RangeRow {
  first_row: number;
  end_row: number;
  cursor: number;
  holder: string | null;
  lease_until: number | null;
}

export function toRange(r: RangeRow): JobRange {
  return { first: r.first_row, end: r.end_row, cursor: r.cursor };
}
