import type { Database, Statement } from 'better-sqlite3';
import type { Change } from '../../../../core/ports/ChangeFeed.js';
import type { RecordedReplicationStatus, ReplicationFailure, ReplicationStore } from '../../../../core/ports/ReplicationStore.js';
import type { ReplicationConfiguration } from '../../../../core/replication/ReplicationRule.js';
import type { GroupCommit } from '../GroupCommit.js';
import { ChangeCursors } from '../changes/ChangeCursors.js';
import { settle } from '../settle.js';
import type { SqliteDatabase } from '../SqliteDatabase.js';
import { toFailure, type FailureRow } from '../../rows/replicationRows.js';

const CONSUMER = 'replication';

/** ReplicationStore on the shared SQLite file (tables of migration 008). */
export class SqliteReplicationStore implements ReplicationStore {
  private readonly commits: GroupCommit;
  private readonly cursors: ChangeCursors;
  private readonly bucketExists: Statement<[string], number>;
  private readonly selectConfig: Statement<[string], string>;
  private readonly upsertConfig: Statement<[string, string]>;
  private readonly deleteConfig: Statement<[string]>;
  private readonly selectStatus: Statement<[string, string, string], string>;
  private readonly setStatus: Statement<[string, string, string, string]>;
  private readonly upsertFailure: Statement<[number, string, string, number, number]>;
  private readonly selectFailure: Statement<[number], FailureRow>;
  private readonly deleteFailure: Statement<[number]>;
  private readonly selectFailures: Statement<[string, number], FailureRow>;
  private readonly deleteFailures: Statement<[string]>;
  private readonly selectPending: Statement<[string, string, string, string, string], number>;
  private readonly followed: Statement<[string, string], number>;
  private readonly enqueue: Statement<[number, string]>;

  constructor(database: SqliteDatabase) {
    const db: Database = database.db;
    this.commits = database.commits;
    this.cursors = new ChangeCursors(db);
    this.bucketExists = db.prepare<[string], number>('SELECT 1 FROM buckets WHERE name = ?').pluck();
    this.selectConfig = db.prepare<[string], string>('SELECT configuration FROM bucket_replication WHERE bucket = ?').pluck();
    this.upsertConfig = db.prepare(`INSERT INTO bucket_replication (bucket, configuration) VALUES (?, ?)
      ON CONFLICT (bucket) DO UPDATE SET configuration = excluded.configuration`);
    this.deleteConfig = db.prepare('DELETE FROM bucket_replication WHERE bucket = ?');
    this.selectStatus = db
      .prepare<[string, string, string], string>(
        'SELECT replication_status FROM versions WHERE bucket = ? AND key = ? AND version_id = ? AND replication_status IS NOT NULL',
      )
      .pluck();
    this.setStatus = db.prepare(`UPDATE versions SET replication_status = ?
      WHERE bucket = ? AND key = ? AND version_id = ? AND replication_status IS NOT 'REPLICA'`);
    this.upsertFailure = db.prepare(`INSERT INTO replication_failures (seq, bucket, attempts, last_error, last_at, next_at)
      VALUES (?, ?, 1, ?, ?, ?)
      ON CONFLICT (seq) DO UPDATE SET attempts = attempts + 1, last_error = excluded.last_error, last_at = excluded.last_at, next_at = excluded.next_at`);
    this.selectFailure = db.prepare('SELECT * FROM replication_failures WHERE seq = ?');
    this.deleteFailure = db.prepare('DELETE FROM replication_failures WHERE seq = ?');
    this.selectFailures = db.prepare('SELECT * FROM replication_failures WHERE bucket = ? ORDER BY seq DESC LIMIT ?');
    this.deleteFailures = db.prepare('DELETE FROM replication_failures WHERE bucket = ?');
    this.selectPending = db
      .prepare<[string, string, string, string, string], number>(`SELECT 1 FROM change_outbox
        WHERE bucket = ? AND key = ? AND version_id = ? AND kind = 'put'
          AND seq > (SELECT seq FROM change_cursors WHERE consumer = ? AND bucket = ?) LIMIT 1`)
      .pluck();
    this.followed = db.prepare<[string, string], number>('SELECT 1 FROM change_feeds WHERE bucket = ? AND consumer = ?').pluck();
    this.enqueue = db.prepare(`INSERT INTO change_outbox (bucket, key, version_id, kind, event, at)
      SELECT bucket, key, version_id, CASE WHEN is_delete_marker = 1 THEN 'delete-marker' ELSE 'put' END,
        CASE WHEN is_delete_marker = 1 THEN 's3:ObjectRemoved:DeleteMarkerCreated' ELSE 's3:ObjectCreated:Put' END, ?
      FROM versions WHERE bucket = ? ORDER BY key, seq`);
  }

  getReplication(bucket: string): Promise<ReplicationConfiguration | undefined> {
    return settle(() => {
      const text = this.selectConfig.get(bucket);
      return text === undefined ? undefined : (JSON.parse(text) as ReplicationConfiguration);
    });
  }

  putReplication(bucket: string, configuration: ReplicationConfiguration): Promise<'ok' | 'missing'> {
    return this.commits.run(() => {
      if (this.bucketExists.get(bucket) === undefined) return 'missing';
      this.upsertConfig.run(bucket, JSON.stringify(configuration));
      this.cursors.follow(bucket, CONSUMER);
      return 'ok';
    });
  }

  deleteReplication(bucket: string): Promise<'ok' | 'missing'> {
    return this.commits.run(() => {
      if (this.bucketExists.get(bucket) === undefined) return 'missing';
      this.deleteConfig.run(bucket);
      this.cursors.unfollow(bucket, CONSUMER);
      this.deleteFailures.run(bucket);
      return 'ok';
    });
  }

  isPending(bucket: string, key: string, versionId: string): Promise<boolean> {
    return settle(() => this.selectPending.get(bucket, key, versionId, CONSUMER, bucket) !== undefined);
  }

  versionStatus(bucket: string, key: string, versionId: string): Promise<RecordedReplicationStatus | undefined> {
    return settle(() => this.selectStatus.get(bucket, key, versionId) as RecordedReplicationStatus | undefined);
  }

  completeChanges(results: readonly { readonly change: Change; readonly status: 'COMPLETED' | 'FAILED' | undefined }[]): Promise<void> {
    return this.commits.run(() => {
      let last: Change | undefined;
      for (const { change, status } of results) {
        if (status !== undefined) this.setStatus.run(status, change.bucket, change.key, change.versionId);
        if (status !== 'FAILED') this.deleteFailure.run(change.seq);
        if (last === undefined || change.seq > last.seq) last = change;
      }
      if (last !== undefined) this.cursors.advance(CONSUMER, last.bucket, last.seq);
    });
  }

  recordFailure(change: Change, error: string, nextAt: Date): Promise<number> {
    return this.commits.run(() => {
      this.upsertFailure.run(change.seq, change.bucket, error.slice(0, 1000), Date.now(), nextAt.getTime());
      return this.selectFailure.get(change.seq)?.attempts ?? 1;
    });
  }

  enqueueExisting(bucket: string): Promise<number> {
    return this.commits.run(() => {
      if (this.followed.get(bucket, CONSUMER) === undefined) return 0;
      return this.enqueue.run(Date.now(), bucket).changes;
    });
  }

  failureOf(seq: number): Promise<ReplicationFailure | undefined> {
    return settle(() => {
      const row = this.selectFailure.get(seq);
      return row === undefined ? undefined : toFailure(row);
    });
  }

  failures(bucket: string, limit: number): Promise<ReplicationFailure[]> {
    return settle(() => this.selectFailures.all(bucket, limit).map(toFailure));
  }

}
