import type { Database, Statement } from 'better-sqlite3';

/** What a change did to a version (change_outbox.kind; see migration 008). */
export type ChangeKind = 'put' | 'delete-marker' | 'tags' | 'delete-version';

/**
 * Appends to the change outbox, inside the caller's transaction, only for buckets some consumer follows (one indexed
 * lookup otherwise). VersionRepo calls it for every change it makes, so the outbox can never disagree with the
 * versions.
 */
export class ChangeLog {
  private readonly logRowStatement: Statement<[string, string, number, number]>;
  private readonly logStatement: Statement<[string, string, string, string, string, number, string]>;
  private readonly logFollowedRowStatement: Statement<[string, string, number, number]>;
  private readonly logFollowedRowsStatement: Statement<[string, string, number, string]>;
  private readonly followedStatement: Statement<[string], number>;

  constructor(db: Database, private readonly now: () => number = Date.now) {
    this.logRowStatement = db.prepare(`INSERT INTO change_outbox (bucket, key, version_id, kind, event, size, etag, at)
      SELECT v.bucket, v.key, v.version_id, ?, ?, v.size, v.etag, ? FROM versions v
      WHERE v.id = ? AND EXISTS (SELECT 1 FROM change_feeds f WHERE f.bucket = v.bucket)`);
    this.logFollowedRowStatement = db.prepare(`INSERT INTO change_outbox (bucket, key, version_id, kind, event, size, etag, at)
      SELECT v.bucket, v.key, v.version_id, ?, ?, v.size, v.etag, ? FROM versions v WHERE v.id = ?`);
    // one row per element of a JSON array of version row ids, in the array's order (the outbox's seq order)
    this.logFollowedRowsStatement = db.prepare(`INSERT INTO change_outbox (bucket, key, version_id, kind, event, size, etag, at)
      SELECT v.bucket, v.key, v.version_id, ?, ?, v.size, v.etag, ? FROM json_each(?) AS j CROSS JOIN versions v ON v.id = j.value
      ORDER BY j.key`);
    this.followedStatement = db.prepare<[string], number>('SELECT 1 FROM change_feeds WHERE bucket = ? LIMIT 1').pluck();
    this.logStatement = db.prepare(`INSERT INTO change_outbox (bucket, key, version_id, kind, event, at)
      SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM change_feeds f WHERE f.bucket = ?)`);
  }

  /** A change of the version in row `versionRow` (which must exist); `event` is its S3 event type. */
  row(versionRow: number, kind: ChangeKind, event: string): void {
    this.logRowStatement.run(kind, event, this.now(), versionRow);
  }

  /**
   * Whether some consumer follows the bucket. For bulk writers that change many versions of one bucket in one
   * transaction: they ask once and log with `rowOfFollowed` (or not at all), instead of one lookup per change.
   */
  isFollowed(bucket: string): boolean {
    return this.followedStatement.get(bucket) !== undefined;
  }

  /** `row` for a version of a bucket known (in this transaction) to be followed. */
  rowOfFollowed(versionRow: number, kind: ChangeKind, event: string): void {
    this.logFollowedRowStatement.run(kind, event, this.now(), versionRow);
  }

  /**
   * `rowOfFollowed` for each of `versionRows` (which must exist), in one statement, in that order (a row named twice
   * is logged twice, as two writes of it would be).
   */
  rowsOfFollowed(versionRows: readonly number[], kind: ChangeKind, event: string): void {
    if (versionRows.length > 0) this.logFollowedRowsStatement.run(kind, event, this.now(), JSON.stringify(versionRows));
  }

  /** A change of a version named by bucket, key and id (a version already removed). */
  version(bucket: string, key: string, versionId: string, kind: ChangeKind, event: string): void {
    this.logStatement.run(bucket, key, versionId, kind, event, this.now(), bucket);
  }
}
