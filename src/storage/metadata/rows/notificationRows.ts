import type { DeadLetter } from '../../../core/ports/NotificationStore.js';

/** A row of `notification_dead_letters` and its DeadLetter; shared by both backends. */
export interface DeadLetterRow {
  readonly id: number;
  readonly bucket: string;
  readonly seq: number;
  readonly target: string;
  readonly event: string;
  readonly key: string;
  readonly attempts: number;
  readonly last_error: string;
  readonly at: number;
  readonly message: string;
}

export function toDeadLetter(r: DeadLetterRow): DeadLetter {
  return {
    id: r.id,
    bucket: r.bucket,
    seq: r.seq,
    target: r.target,
    event: r.event,
    key: r.key,
    attempts: r.attempts,
    lastError: r.last_error,
    at: new Date(r.at),
    message: r.message,
  };
}
