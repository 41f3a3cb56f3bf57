import type { Change } from '../../../../core/ports/ChangeFeed.js';
import type { RecordedReplicationStatus, ReplicationFailure, ReplicationStore } from '../../../../core/ports/ReplicationStore.js';
import type { ReplicationConfiguration } from '../../../../core/replication/ReplicationRule.js';
import { lockBucketRow } from '../bucketRow.js';
import { changeCursors } from '../changes/ChangeCursors.js';
import type { PostgresDatabase } from '../PostgresDatabase.js';
import { toFailure, type FailureRow } from '../../rows/replicationRows.js';

const CONSUMER = 'replication';

const FAILURE_COLUMNS = 'seq, bucket, attempts, last_error, last_at, next_at';
const SET_STATUS = `UPDATE versions SET replication_status = $1
  WHERE bucket = $2 AND key = $3 AND version_id = $4 AND replication_status IS DISTINCT FROM 'REPLICA'`;
const UPSERT_FAILURE = `INSERT INTO replication_failures (seq, bucket, attempts, last_error, last_at, next_at) VALUES ($1, $2, 1, $3, $4, $5)
  ON CONFLICT (seq) DO UPDATE SET attempts = replication_failures.attempts + 1, last_error = excluded.last_error,
    last_at = excluded.last_at, next_at = excluded.next_at
  RETURNING attempts`;
// a creation still in the feed: after the replication cursor, or not sequenced yet (every such row comes after it)
const SELECT_PENDING = `SELECT 1 FROM change_outbox o
  WHERE o.bucket = $1 AND o.key = $2 AND o.version_id = $3 AND o.kind = 'put'
    AND EXISTS (SELECT 1 FROM change_cursors c WHERE c.consumer = $4 AND c.bucket = $1 AND (o.seq IS NULL OR o.seq > c.seq))
  LIMIT 1`;
// every version, oldest first per key, as new rows of the outbox (sequenced like any other change)
const ENQUEUE = `INSERT INTO change_outbox (bucket, key, version_id, kind, event, at)
  SELECT bucket, key, version_id, CASE WHEN is_delete_marker = 1 THEN 'delete-marker' ELSE 'put' END,
    CASE WHEN is_delete_marker = 1 THEN 's3:ObjectRemoved:DeleteMarkerCreated' ELSE 's3:ObjectCreated:Put' END, $1
  FROM versions WHERE bucket = $2 ORDER BY key, seq`;

/**
 * ReplicationStore on PostgreSQL (tables of migrations 001 and 004). A configuration is stored, and the bucket
 * followed, in one transaction; completing changes records the statuses, drops the failure records and moves the
 * replication cursor in one transaction, so a node that stops half-way leaves either all of it or none.
 */
export class PostgresReplicationStore implements ReplicationStore {
  constructor(private readonly database: PostgresDatabase) {}

  async getReplication(bucket: string): Promise<ReplicationConfiguration | undefined> {
    const rows = await this.database.query<{ configuration: string }>(
      'SELECT configuration FROM bucket_replication WHERE bucket = $1',
      [bucket],
      'tessera_replication_config',
    );
    const text = rows.rows[0]?.configuration;
    return text === undefined ? undefined : (JSON.parse(text) as ReplicationConfiguration);
  }

  putReplication(bucket: string, configuration: ReplicationConfiguration): Promise<'ok' | 'missing'> {
    return this.database.transaction(async (tx) => {
      if (!(await lockBucketRow(tx, bucket))) return 'missing';
      await tx.query(
        `INSERT INTO bucket_replication (bucket, configuration) VALUES ($1, $2)
         ON CONFLICT (bucket) DO UPDATE SET configuration = excluded.configuration`,
        [bucket, JSON.stringify(configuration)],
      );
      await changeCursors.follow(tx, bucket, CONSUMER);
      return 'ok';
    });
  }

  deleteReplication(bucket: string): Promise<'ok' | 'missing'> {
    return this.database.transaction(async (tx) => {
      if (!(await lockBucketRow(tx, bucket))) return 'missing';
      await tx.query('DELETE FROM bucket_replication WHERE bucket = $1', [bucket]);
      await changeCursors.unfollow(tx, bucket, CONSUMER);
      await tx.query('DELETE FROM replication_failures WHERE bucket = $1', [bucket]);
      return 'ok';
    });
  }

  async isPending(bucket: string, key: string, versionId: string): Promise<boolean> {
    const rows = await this.database.query(SELECT_PENDING, [bucket, key, versionId, CONSUMER], 'tessera_replication_is_pending');
    return rows.rowCount !== 0;
  }

  async versionStatus(bucket: string, key: string, versionId: string): Promise<RecordedReplicationStatus | undefined> {
    const rows = await this.database.query<{ replication_status: RecordedReplicationStatus }>(
      `SELECT replication_status FROM versions
       WHERE bucket = $1 AND key = $2 AND version_id = $3 AND replication_status IS NOT NULL`,
      [bucket, key, versionId],
      'tessera_replication_status',
    );
    return rows.rows[0]?.replication_status;
  }

  completeChanges(results: readonly { readonly change: Change; readonly status: 'COMPLETED' | 'FAILED' | undefined }[]): Promise<void> {
    if (results.length === 0) return Promise.resolve();
    return this.database.transaction(async (tx) => {
      let last: Change | undefined;
      for (const { change, status } of results) {
        if (status !== undefined) await tx.query(SET_STATUS, [status, change.bucket, change.key, change.versionId], 'tessera_replication_set_status');
        if (status !== 'FAILED') await tx.query('DELETE FROM replication_failures WHERE seq = $1', [change.seq], 'tessera_replication_forget_failure');
        if (last === undefined || change.seq > last.seq) last = change;
      }
      if (last !== undefined) await changeCursors.advance(tx, CONSUMER, last.bucket, last.seq);
    });
  }

  recordFailure(change: Change, error: string, nextAt: Date): Promise<number> {
    return this.database.transaction(async (tx) => {
      const rows = await tx.query<{ attempts: number }>(
        UPSERT_FAILURE,
        [change.seq, change.bucket, error.slice(0, 1000), Date.now(), nextAt.getTime()],
        'tessera_replication_record_failure',
      );
      return rows.rows[0]?.attempts ?? 1;
    });
  }

  enqueueExisting(bucket: string): Promise<number> {
    return this.database.transaction(async (tx) => {
      const followed = await tx.query('SELECT 1 FROM change_feeds WHERE bucket = $1 AND consumer = $2', [bucket, CONSUMER]);
      if (followed.rowCount === 0) return 0;
      const inserted = await tx.query(ENQUEUE, [Date.now(), bucket]);
      return inserted.rowCount ?? 0;
    });
  }

  async failureOf(seq: number): Promise<ReplicationFailure | undefined> {
    const rows = await this.database.query<FailureRow>(`SELECT ${FAILURE_COLUMNS} FROM replication_failures WHERE seq = $1`, [seq], 'tessera_replication_failure');
    const row = rows.rows[0];
    return row === undefined ? undefined : toFailure(row);
  }

  async failures(bucket: string, limit: number): Promise<ReplicationFailure[]> {
    const rows = await this.database.query<FailureRow>(
      `SELECT ${FAILURE_COLUMNS} FROM replication_failures WHERE bucket = $1 ORDER BY seq DESC LIMIT $2`,
      [bucket, limit],
    );
    return rows.rows.map(toFailure);
  }
}
