import type { Database, Statement } from 'better-sqlite3';
import type { Change, ChangeFeed } from '../../../../core/ports/ChangeFeed.js';
import type { GroupCommit } from '../GroupCommit.js';
import { settle } from '../settle.js';
import type { SqliteDatabase } from '../SqliteDatabase.js';

interface ChangeRow {
  readonly seq: number;
  readonly bucket: string;
  readonly key: string;
  readonly version_id: string;
  readonly kind: Change['kind'];
  readonly at: number;
}

/** ChangeFeed on the shared SQLite file: the outbox VersionRepo writes (ChangeLog) and the consumers' cursors. */
export class SqliteChangeFeed implements ChangeFeed {
  private readonly commits: GroupCommit;
  private readonly bucketExists: Statement<[string], number>;
  private readonly insertFeed: Statement<[string, string]>;
  private readonly deleteFeed: Statement<[string, string]>;
  private readonly lastSeq: Statement<[], number | null>;
  private readonly upsertCursor: Statement<[string, string, number]>;
  private readonly deleteCursor: Statement<[string, string]>;
  private readonly selectFollowed: Statement<[string], string>;
  private readonly selectPending: Statement<[string, string, string, number], ChangeRow>;
  private readonly selectCursor: Statement<[string, string], number>;
  private readonly minCursor: Statement<[string], number | null>;
  private readonly prune: Statement<[string, number]>;
  private readonly pruneAll: Statement<[string]>;
  private readonly countPending: Statement<[string, string, string], { count: number; oldest: number | null }>;

  constructor(database: SqliteDatabase) {
    const db: Database = database.db;
    this.commits = database.commits;
    this.bucketExists = db.prepare<[string], number>('SELECT 1 FROM buckets WHERE name = ?').pluck();
    this.insertFeed = db.prepare('INSERT OR IGNORE INTO change_feeds (bucket, consumer) VALUES (?, ?)');
    this.deleteFeed = db.prepare('DELETE FROM change_feeds WHERE bucket = ? AND consumer = ?');
    this.lastSeq = db.prepare<[], number | null>('SELECT max(seq) FROM change_outbox').pluck();
    this.upsertCursor = db.prepare(`INSERT INTO change_cursors (consumer, bucket, seq) VALUES (?, ?, ?)
      ON CONFLICT (consumer, bucket) DO UPDATE SET seq = max(seq, excluded.seq)`);
    this.deleteCursor = db.prepare('DELETE FROM change_cursors WHERE consumer = ? AND bucket = ?');
    this.selectFollowed = db.prepare<[string], string>('SELECT bucket FROM change_feeds WHERE consumer = ? ORDER BY bucket').pluck();
    this.selectPending = db.prepare(`SELECT seq, bucket, key, version_id, kind, at FROM change_outbox
      WHERE bucket = ? AND seq > coalesce((SELECT seq FROM change_cursors WHERE consumer = ? AND bucket = ?), 0)
      ORDER BY seq LIMIT ?`);
    this.selectCursor = db.prepare<[string, string], number>('SELECT seq FROM change_cursors WHERE consumer = ? AND bucket = ?').pluck();
    this.minCursor = db.prepare<[string], number | null>('SELECT min(seq) FROM change_cursors WHERE bucket = ?').pluck();
    this.prune = db.prepare('DELETE FROM change_outbox WHERE bucket = ? AND seq <= ?');
    this.pruneAll = db.prepare('DELETE FROM change_outbox WHERE bucket = ?');
    this.countPending = db.prepare(`SELECT count(*) AS count, min(at) AS oldest FROM change_outbox
      WHERE bucket = ? AND seq > coalesce((SELECT seq FROM change_cursors WHERE consumer = ? AND bucket = ?), 0)`);
  }

  follow(bucket: string, consumer: string): Promise<'ok' | 'missing'> {
    return this.commits.run(() => {
      if (this.bucketExists.get(bucket) === undefined) return 'missing';
      if (this.insertFeed.run(bucket, consumer).changes > 0) {
        // a new follower starts at the end: it sees the changes made from now on
        this.upsertCursor.run(consumer, bucket, this.lastSeq.get() ?? 0);
      }
      return 'ok';
    });
  }

  unfollow(bucket: string, consumer: string): Promise<void> {
    return this.commits.run(() => {
      this.deleteFeed.run(bucket, consumer);
      this.deleteCursor.run(consumer, bucket);
      this.pruneFor(bucket);
    });
  }

  followed(consumer: string): Promise<string[]> {
    return settle(() => this.selectFollowed.all(consumer));
  }

  pending(consumer: string, bucket: string, limit: number): Promise<Change[]> {
    return settle(() =>
      this.selectPending.all(bucket, consumer, bucket, limit).map((r) => ({
        seq: r.seq,
        bucket: r.bucket,
        key: r.key,
        versionId: r.version_id,
        kind: r.kind,
        at: new Date(r.at),
      })),
    );
  }

  advance(consumer: string, bucket: string, seq: number): Promise<void> {
    return this.commits.run(() => {
      if (this.selectCursor.get(consumer, bucket) === undefined) return;
      this.upsertCursor.run(consumer, bucket, seq);
      this.pruneFor(bucket);
    });
  }

  backlog(consumer: string, bucket: string): Promise<{ readonly count: number; readonly oldest?: Date }> {
    return settle(() => {
      const row = this.countPending.get(bucket, consumer, bucket) ?? { count: 0, oldest: null };
      return row.oldest === null ? { count: row.count } : { count: row.count, oldest: new Date(row.oldest) };
    });
  }

  /** Drop the bucket's changes every follower has passed (all of them when nobody follows it any more). */
  private pruneFor(bucket: string): void {
    const min = this.minCursor.get(bucket);
    if (min === null || min === undefined) this.pruneAll.run(bucket);
    else this.prune.run(bucket, min);
  }
}
