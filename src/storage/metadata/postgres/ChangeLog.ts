import type { ChangeKind } from '../sqlite/ChangeLog.js';
import type { Queryable } from './Queryable.js';

export type { ChangeKind };

/**
 * Appends to the change outbox inside the caller's transaction, only for buckets some consumer follows (rows in
 * change_feeds), while the caller holds the key's writer lock. `seq` stays NULL: the change feed numbers committed
 * rows later, in id order (changes/ChangeCursors). The version repository's own statements carry the same INSERT inside
 * their CTEs (one round trip); this class is for writers outside it (bulk tag writers, lifecycle passes).
 */
export class ChangeLog {
  constructor(private readonly now: () => number = Date.now) {}

  /** A change of the version in row `versionRow` (which must exist); `event` is its S3 event type. */
  async row(sql: Queryable, versionRow: number, kind: ChangeKind, event: string): Promise<void> {
    await sql.query(
      `INSERT INTO change_outbox (bucket, key, version_id, kind, event, size, etag, at)
       SELECT v.bucket, v.key, v.version_id, $1, $2, v.size, v.etag, $3 FROM versions v
       WHERE v.id = $4 AND EXISTS (SELECT 1 FROM change_feeds f WHERE f.bucket = v.bucket)`,
      [kind, event, this.now(), versionRow],
      'tessera_changes_row',
    );
  }

  /** Whether some consumer follows the bucket (bulk writers ask once per transaction, then use `rowOfFollowed`). */
  async isFollowed(sql: Queryable, bucket: string): Promise<boolean> {
    const result = await sql.query('SELECT 1 FROM change_feeds WHERE bucket = $1 LIMIT 1', [bucket], 'tessera_changes_followed');
    return result.rowCount === 1;
  }

  /** `row` for a version of a bucket known (in this transaction) to be followed. */
  async rowOfFollowed(sql: Queryable, versionRow: number, kind: ChangeKind, event: string): Promise<void> {
    await sql.query(
      `INSERT INTO change_outbox (bucket, key, version_id, kind, event, size, etag, at)
       SELECT v.bucket, v.key, v.version_id, $1, $2, v.size, v.etag, $3 FROM versions v WHERE v.id = $4`,
      [kind, event, this.now(), versionRow],
      'tessera_changes_row_followed',
    );
  }

  /** A change of a version named by bucket, key and id (a version already removed). */
  async version(sql: Queryable, bucket: string, key: string, versionId: string, kind: ChangeKind, event: string): Promise<void> {
    await sql.query(
      `INSERT INTO change_outbox (bucket, key, version_id, kind, event, at)
       SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM change_feeds f WHERE f.bucket = $1)`,
      [bucket, key, versionId, kind, event, this.now()],
      'tessera_changes_version',
    );
  }
}
