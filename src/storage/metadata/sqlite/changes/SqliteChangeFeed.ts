import type { Database, Statement } from 'better-sqlite3';
import type { Change, ChangeFeed } from '../../../../core/ports/ChangeFeed.js';
import type { GroupCommit } from '../GroupCommit.js';
import { ChangeCursors } from './ChangeCursors.js';
import { settle } from '../settle.js';
import { toChange, type ChangeRow } from '../../rows/changeRows.js';
import type { SqliteDatabase } from '../SqliteDatabase.js';

/** ChangeFeed on the shared SQLite file: the outbox VersionRepo writes (ChangeLog) and the consumers' cursors. */
export class SqliteChangeFeed implements ChangeFeed {
  private readonly commits: GroupCommit;
  private readonly cursors: ChangeCursors;
  private readonly bucketExists: Statement<[string], number>;
  private readonly selectFollowed: Statement<[string], string>;
  private readonly selectPending: Statement<[string, string, string, number], ChangeRow>;
  private readonly countPending: Statement<[string, string, string], { count: number; oldest: number | null }>;

  constructor(database: SqliteDatabase) {
    const db: Database = database.db;
    this.commits = database.commits;
    this.cursors = new ChangeCursors(db);
    this.bucketExists = db.prepare<[string], number>('SELECT 1 FROM buckets WHERE name = ?').pluck();
    this.selectFollowed = db.prepare<[string], string>('SELECT bucket FROM change_feeds WHERE consumer = ? ORDER BY bucket').pluck();
    this.selectPending = db.prepare(`SELECT seq, bucket, key, version_id, kind, event, size, etag, at FROM change_outbox
      WHERE bucket = ? AND seq > coalesce((SELECT seq FROM change_cursors WHERE consumer = ? AND bucket = ?), 0)
      ORDER BY seq LIMIT ?`);
    this.countPending = db.prepare(`SELECT count(*) AS count, min(at) AS oldest FROM change_outbox
      WHERE bucket = ? AND seq > coalesce((SELECT seq FROM change_cursors WHERE consumer = ? AND bucket = ?), 0)`);
  }

  follow(bucket: string, consumer: string): Promise<'ok' | 'missing'> {
    return this.commits.run(() => {
      if (this.bucketExists.get(bucket) === undefined) return 'missing';
      this.cursors.follow(bucket, consumer);
      return 'ok';
    });
  }

  unfollow(bucket: string, consumer: string): Promise<void> {
    return this.commits.run(() => {
      this.cursors.unfollow(bucket, consumer);
    });
  }

  followed(consumer: string): Promise<string[]> {
    return settle(() => this.selectFollowed.all(consumer));
  }

  pending(consumer: string, bucket: string, limit: number): Promise<Change[]> {
    return settle(() => this.selectPending.all(bucket, consumer, bucket, limit).map(toChange));
  }

  advance(consumer: string, bucket: string, seq: number): Promise<void> {
    return this.commits.run(() => {
      this.cursors.advance(consumer, bucket, seq);
    });
  }

  backlog(consumer: string, bucket: string): Promise<{ readonly count: number; readonly oldest?: Date }> {
    return settle(() => {
      const row = this.countPending.get(bucket, consumer, bucket) ?? { count: 0, oldest: null };
      return row.oldest === null ? { count: row.count } : { count: row.count, oldest: new Date(row.oldest) };
    });
  }

}
