import type { Database, Statement } from 'better-sqlite3';

/**
 * Following a bucket's changes and moving a consumer's cursor, on synchronous statements that run inside the caller's
 * transaction (the change feed, and the replication store that follows a bucket in the transaction that stores its
 * configuration). Changes every follower has passed are dropped as cursors move.
 */
export class ChangeCursors {
  private readonly insertFeed: Statement<[string, string]>;
  private readonly deleteFeed: Statement<[string, string]>;
  private readonly lastSeq: Statement<[], number | null>;
  private readonly startCursor: Statement<[string, string, number]>;
  private readonly moveCursor: Statement<[number, string, string]>;
  private readonly dropCursor: Statement<[string, string]>;
  private readonly selectCursor: Statement<[string, string], number>;
  private readonly minCursor: Statement<[string], number | null>;
  private readonly prune: Statement<[string, number]>;
  private readonly pruneAll: Statement<[string]>;

  constructor(db: Database) {
    this.insertFeed = db.prepare('INSERT OR IGNORE INTO change_feeds (bucket, consumer) VALUES (?, ?)');
    this.deleteFeed = db.prepare('DELETE FROM change_feeds WHERE bucket = ? AND consumer = ?');
    this.lastSeq = db.prepare<[], number | null>('SELECT max(seq) FROM change_outbox').pluck();
    this.startCursor = db.prepare('INSERT OR IGNORE INTO change_cursors (consumer, bucket, seq) VALUES (?, ?, ?)');
    this.moveCursor = db.prepare('UPDATE change_cursors SET seq = max(seq, ?) WHERE consumer = ? AND bucket = ?');
    this.dropCursor = db.prepare('DELETE FROM change_cursors WHERE consumer = ? AND bucket = ?');
    this.selectCursor = db.prepare<[string, string], number>('SELECT seq FROM change_cursors WHERE consumer = ? AND bucket = ?').pluck();
    this.minCursor = db.prepare<[string], number | null>('SELECT min(seq) FROM change_cursors WHERE bucket = ?').pluck();
    this.prune = db.prepare('DELETE FROM change_outbox WHERE bucket = ? AND seq <= ?');
    this.pruneAll = db.prepare('DELETE FROM change_outbox WHERE bucket = ?');
  }

  /** Follow from now on (a new follower's cursor starts at the end); a follower already there keeps its cursor. */
  follow(bucket: string, consumer: string): void {
    if (this.insertFeed.run(bucket, consumer).changes > 0) this.startCursor.run(consumer, bucket, this.lastSeq.get() ?? 0);
  }

  unfollow(bucket: string, consumer: string): void {
    this.deleteFeed.run(bucket, consumer);
    this.dropCursor.run(consumer, bucket);
    this.pruneFor(bucket);
  }

  /** Move the cursor past `seq` (never backwards); nothing when the consumer does not follow the bucket. */
  advance(consumer: string, bucket: string, seq: number): void {
    if (this.selectCursor.get(consumer, bucket) === undefined) return;
    this.moveCursor.run(seq, consumer, bucket);
    this.pruneFor(bucket);
  }

  /** Drop the bucket's changes every follower has passed (all of them when nobody follows it any more). */
  private pruneFor(bucket: string): void {
    const min = this.minCursor.get(bucket);
    if (min === null || min === undefined) this.pruneAll.run(bucket);
    else this.prune.run(bucket, min);
  }
}
