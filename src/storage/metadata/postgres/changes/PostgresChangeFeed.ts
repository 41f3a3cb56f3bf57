import type { Change, ChangeFeed } from '../../../../core/ports/ChangeFeed.js';
import { lockBucketRow } from '../bucketRow.js';
import type { PostgresDatabase } from '../PostgresDatabase.js';
import { toChange, type ChangeRow } from '../../rows/changeRows.js';
import { ANY_UNSEQUENCED, changeCursors } from './ChangeCursors.js';

const CURSOR = 'coalesce((SELECT seq FROM change_cursors WHERE consumer = $2 AND bucket = $1), 0)';
const SELECT_PENDING = `SELECT seq, bucket, key, version_id, kind, event, size, etag, at FROM change_outbox
  WHERE bucket = $1 AND seq > ${CURSOR} ORDER BY seq LIMIT $3`;
// rows not sequenced yet wait too (they come after every cursor)
const COUNT_PENDING = `SELECT count(*)::integer AS count, min(at) AS oldest FROM change_outbox
  WHERE bucket = $1 AND (seq IS NULL OR seq > ${CURSOR})`;

/**
 * ChangeFeed on PostgreSQL: the outbox the metadata store writes (rows with seq NULL) and the consumers' cursors.
 * Every read of a bucket's changes first gives its committed rows their seq (ChangeCursors.sequence), so consumers on
 * any node read one order (per key, write order) and a cursor never passes a row that commits later.
 */
export class PostgresChangeFeed implements ChangeFeed {
  constructor(private readonly database: PostgresDatabase) {}

  follow(bucket: string, consumer: string): Promise<'ok' | 'missing'> {
    return this.database.transaction(async (tx) => {
      if (!(await lockBucketRow(tx, bucket))) return 'missing';
      await changeCursors.follow(tx, bucket, consumer);
      return 'ok';
    });
  }

  unfollow(bucket: string, consumer: string): Promise<void> {
    return this.database.transaction((tx) => changeCursors.unfollow(tx, bucket, consumer));
  }

  async followed(consumer: string): Promise<string[]> {
    const rows = await this.database.query<{ bucket: string }>('SELECT bucket FROM change_feeds WHERE consumer = $1 ORDER BY bucket', [consumer]);
    return rows.rows.map((r) => r.bucket);
  }

  async pending(consumer: string, bucket: string, limit: number): Promise<Change[]> {
    await this.sequence(bucket);
    const rows = await this.database.query<ChangeRow>(SELECT_PENDING, [bucket, consumer, limit], 'tessera_changes_pending');
    return rows.rows.map(toChange);
  }

  advance(consumer: string, bucket: string, seq: number): Promise<void> {
    return this.database.transaction((tx) => changeCursors.advance(tx, consumer, bucket, seq));
  }

  async backlog(consumer: string, bucket: string): Promise<{ readonly count: number; readonly oldest?: Date }> {
    await this.sequence(bucket);
    const rows = await this.database.query<{ count: number; oldest: number | null }>(COUNT_PENDING, [bucket, consumer], 'tessera_changes_backlog');
    const row = rows.rows[0] ?? { count: 0, oldest: null };
    return row.oldest === null ? { count: row.count } : { count: row.count, oldest: new Date(row.oldest) };
  }

  /** Sequence the bucket's ready rows (a transaction only when some row waits for its seq). */
  private async sequence(bucket: string): Promise<void> {
    const any = await this.database.query(ANY_UNSEQUENCED, [bucket], 'tessera_changes_any_unsequenced');
    if (any.rowCount === 0) return;
    await this.database.transaction((tx) => changeCursors.sequence(tx, bucket));
  }
}
