import type { Database, Statement } from 'better-sqlite3';
import { isEmptyNotificationConfiguration, type NotificationConfiguration } from '../../../../core/notifications/NotificationConfiguration.js';
import type { Change } from '../../../../core/ports/ChangeFeed.js';
import type { DeadLetter, NotificationStore } from '../../../../core/ports/NotificationStore.js';
import { ChangeCursors } from '../changes/ChangeCursors.js';
import type { GroupCommit } from '../GroupCommit.js';
import { settle } from '../settle.js';
import type { SqliteDatabase } from '../SqliteDatabase.js';
import { toDeadLetter, type DeadLetterRow } from '../../rows/notificationRows.js';

const CONSUMER = 'notifications';

/** NotificationStore on the shared SQLite file (tables of migrations 008 and 009). */
export class SqliteNotificationStore implements NotificationStore {
  private readonly commits: GroupCommit;
  private readonly cursors: ChangeCursors;
  private readonly bucketExists: Statement<[string], number>;
  private readonly selectConfig: Statement<[string], string>;
  private readonly upsertConfig: Statement<[string, string]>;
  private readonly deleteConfig: Statement<[string]>;
  private readonly selectAttempts: Statement<[number], { attempts: number; next_at: number }>;
  private readonly upsertAttempt: Statement<[number, string, string, number]>;
  private readonly deleteAttempt: Statement<[number]>;
  private readonly insertDeadLetter: Statement<[string, number, string, string, string, number, string, number, string]>;
  private readonly selectDeadLetters: Statement<[string, number], DeadLetterRow>;

  constructor(database: SqliteDatabase) {
    const db: Database = database.db;
    this.commits = database.commits;
    this.cursors = new ChangeCursors(db);
    this.bucketExists = db.prepare<[string], number>('SELECT 1 FROM buckets WHERE name = ?').pluck();
    this.selectConfig = db.prepare<[string], string>('SELECT configuration FROM bucket_notifications WHERE bucket = ?').pluck();
    this.upsertConfig = db.prepare(`INSERT INTO bucket_notifications (bucket, configuration) VALUES (?, ?)
      ON CONFLICT (bucket) DO UPDATE SET configuration = excluded.configuration`);
    this.deleteConfig = db.prepare('DELETE FROM bucket_notifications WHERE bucket = ?');
    this.selectAttempts = db.prepare('SELECT attempts, next_at FROM notification_attempts WHERE seq = ?');
    this.upsertAttempt = db.prepare(`INSERT INTO notification_attempts (seq, bucket, attempts, last_error, next_at) VALUES (?, ?, 1, ?, ?)
      ON CONFLICT (seq) DO UPDATE SET attempts = attempts + 1, last_error = excluded.last_error, next_at = excluded.next_at`);
    this.deleteAttempt = db.prepare('DELETE FROM notification_attempts WHERE seq = ?');
    this.insertDeadLetter = db.prepare(`INSERT INTO notification_dead_letters
      (bucket, seq, target, event, key, attempts, last_error, at, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.selectDeadLetters = db.prepare('SELECT * FROM notification_dead_letters WHERE bucket = ? ORDER BY id DESC LIMIT ?');
  }

  getNotification(bucket: string): Promise<NotificationConfiguration | undefined> {
    return settle(() => {
      const text = this.selectConfig.get(bucket);
      return text === undefined ? undefined : (JSON.parse(text) as NotificationConfiguration);
    });
  }

  putNotification(bucket: string, configuration: NotificationConfiguration): Promise<'ok' | 'missing'> {
    return this.commits.run(() => {
      if (this.bucketExists.get(bucket) === undefined) return 'missing';
      if (isEmptyNotificationConfiguration(configuration)) {
        this.deleteConfig.run(bucket);
        this.cursors.unfollow(bucket, CONSUMER);
      } else {
        this.upsertConfig.run(bucket, JSON.stringify(configuration));
        this.cursors.follow(bucket, CONSUMER);
      }
      return 'ok';
    });
  }

  attemptsOf(seq: number): Promise<{ readonly attempts: number; readonly nextAt: Date } | undefined> {
    return settle(() => {
      const row = this.selectAttempts.get(seq);
      return row === undefined ? undefined : { attempts: row.attempts, nextAt: new Date(row.next_at) };
    });
  }

  recordAttempt(change: Change, error: string, nextAt: Date): Promise<void> {
    return this.commits.run(() => {
      this.upsertAttempt.run(change.seq, change.bucket, error.slice(0, 1000), nextAt.getTime());
    });
  }

  completeChange(change: Change, deadLetters: readonly Omit<DeadLetter, 'id' | 'at'>[]): Promise<void> {
    return this.commits.run(() => {
      this.cursors.advance(CONSUMER, change.bucket, change.seq);
      this.deleteAttempt.run(change.seq);
      const at = Date.now();
      for (const d of deadLetters) {
        this.insertDeadLetter.run(d.bucket, d.seq, d.target, d.event, d.key, d.attempts, d.lastError.slice(0, 1000), at, d.message);
      }
    });
  }

  deadLetters(bucket: string, limit: number): Promise<DeadLetter[]> {
    return settle(() => this.selectDeadLetters.all(bucket, limit).map(toDeadLetter));
  }
}
