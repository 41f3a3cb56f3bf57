import type { NotificationConfiguration } from '../notifications/NotificationConfiguration.js';
import type { Change } from './ChangeFeed.js';

/** A delivery given up on after its last attempt. */
export interface DeadLetter {
  readonly id: number;
  readonly bucket: string;
  readonly seq: number;
  readonly target: string;
  readonly event: string;
  readonly key: string;
  readonly attempts: number;
  readonly lastError: string;
  readonly at: Date;
  /** The event JSON that was not delivered. */
  readonly message: string;
}

/**
 * Event notifications' state: configurations (storing a non-empty one follows the bucket's change feed as consumer
 * `notifications`, in the same transaction; an empty one stops), the retry state of the change at the head of a
 * bucket's line, and dead letters. Every backend runs test/storage/notificationContract.ts.
 */
export interface NotificationStore {
  getNotification(bucket: string): Promise<NotificationConfiguration | undefined>;
  putNotification(bucket: string, configuration: NotificationConfiguration): Promise<'ok' | 'missing'>;
  /** The change's failed attempts so far and when it may be tried again. */
  attemptsOf(seq: number): Promise<{ readonly attempts: number; readonly nextAt: Date } | undefined>;
  recordAttempt(change: Change, error: string, nextAt: Date): Promise<void>;
  /** The change is handled: the cursor moves past it, its retry state goes, and the dead letters given are kept — in one transaction. */
  completeChange(change: Change, deadLetters: readonly Omit<DeadLetter, 'id' | 'at'>[]): Promise<void>;
  deadLetters(bucket: string, limit: number): Promise<DeadLetter[]>;
}
