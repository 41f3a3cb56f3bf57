import type { ReplicationFailure } from '../../../core/ports/ReplicationStore.js';

/** A row of `replication_failures` and its ReplicationFailure; shared by both backends. */
export interface FailureRow {
  readonly seq: number;
  readonly bucket: string;
  readonly attempts: number;
  readonly last_error: string;
  readonly last_at: number;
  readonly next_at: number;
}

export function toFailure(r: FailureRow): ReplicationFailure {
  return { seq: r.seq, bucket: r.bucket, attempts: r.attempts, lastError: r.last_error, lastAt: new Date(r.last_at), nextAt: new Date(r.next_at) };
}
