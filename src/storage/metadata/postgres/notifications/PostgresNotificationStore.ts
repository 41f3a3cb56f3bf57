import { isEmptyNotificationConfiguration, type NotificationConfiguration } from '../../../../core/notifications/NotificationConfiguration.js';
import type { Change } from '../../../../core/ports/ChangeFeed.js';
import type { DeadLetter, NotificationStore } from '../../../../core/ports/NotificationStore.js';
import { lockBucketRow } from '../bucketRow.js';
import { changeCursors } from '../changes/ChangeCursors.js';
import type { PostgresDatabase } from '../PostgresDatabase.js';
import { toDeadLetter, type DeadLetterRow } from '../../rows/notificationRows.js';

const CONSUMER = 'notifications';

const UPSERT_ATTEMPT = `INSERT INTO notification_attempts (seq, bucket, attempts, last_error, next_at) VALUES ($1, $2, 1, $3, $4)
  ON CONFLICT (seq) DO UPDATE SET attempts = notification_attempts.attempts + 1, last_error = excluded.last_error, next_at = excluded.next_at`;
const INSERT_DEAD_LETTER = `INSERT INTO notification_dead_letters (bucket, seq, target, event, key, attempts, last_error, at, message)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;

/**
 * NotificationStore on PostgreSQL (tables of migrations 001 and 004). A configuration is stored, and the bucket
 * followed (or no longer), in one transaction; completing a change moves the notifications cursor, drops its retry
 * state and keeps its dead letters in one transaction.
 */
export class PostgresNotificationStore implements NotificationStore {
  constructor(private readonly database: PostgresDatabase) {}

  async getNotification(bucket: string): Promise<NotificationConfiguration | undefined> {
    const rows = await this.database.query<{ configuration: string }>(
      'SELECT configuration FROM bucket_notifications WHERE bucket = $1',
      [bucket],
      'tessera_notifications_config',
    );
    const text = rows.rows[0]?.configuration;
    return text === undefined ? undefined : (JSON.parse(text) as NotificationConfiguration);
  }

  putNotification(bucket: string, configuration: NotificationConfiguration): Promise<'ok' | 'missing'> {
    return this.database.transaction(async (tx) => {
      if (!(await lockBucketRow(tx, bucket))) return 'missing';
      if (isEmptyNotificationConfiguration(configuration)) {
        await tx.query('DELETE FROM bucket_notifications WHERE bucket = $1', [bucket]);
        await changeCursors.unfollow(tx, bucket, CONSUMER);
      } else {
        await tx.query(
          `INSERT INTO bucket_notifications (bucket, configuration) VALUES ($1, $2)
           ON CONFLICT (bucket) DO UPDATE SET configuration = excluded.configuration`,
          [bucket, JSON.stringify(configuration)],
        );
        await changeCursors.follow(tx, bucket, CONSUMER);
      }
      return 'ok';
    });
  }

  async attemptsOf(seq: number): Promise<{ readonly attempts: number; readonly nextAt: Date } | undefined> {
    const rows = await this.database.query<{ attempts: number; next_at: number }>(
      'SELECT attempts, next_at FROM notification_attempts WHERE seq = $1',
      [seq],
      'tessera_notifications_attempts',
    );
    const row = rows.rows[0];
    return row === undefined ? undefined : { attempts: row.attempts, nextAt: new Date(row.next_at) };
  }

  recordAttempt(change: Change, error: string, nextAt: Date): Promise<void> {
    return this.database.transaction(async (tx) => {
      await tx.query(UPSERT_ATTEMPT, [change.seq, change.bucket, error.slice(0, 1000), nextAt.getTime()], 'tessera_notifications_record_attempt');
    });
  }

  completeChange(change: Change, deadLetters: readonly Omit<DeadLetter, 'id' | 'at'>[]): Promise<void> {
    return this.database.transaction(async (tx) => {
      await changeCursors.advance(tx, CONSUMER, change.bucket, change.seq);
      await tx.query('DELETE FROM notification_attempts WHERE seq = $1', [change.seq], 'tessera_notifications_forget_attempts');
      const at = Date.now();
      for (const d of deadLetters) {
        await tx.query(
          INSERT_DEAD_LETTER,
          [d.bucket, d.seq, d.target, d.event, d.key, d.attempts, d.lastError.slice(0, 1000), at, d.message],
          'tessera_notifications_dead_letter',
        );
      }
    });
  }

  async deadLetters(bucket: string, limit: number): Promise<DeadLetter[]> {
    const rows = await this.database.query<DeadLetterRow>(
      `SELECT id, bucket, seq, target, event, key, attempts, last_error, at, message FROM notification_dead_letters
       WHERE bucket = $1 ORDER BY id DESC LIMIT $2`,
      [bucket, limit],
    );
    return rows.rows.map(toDeadLetter);
  }
}
