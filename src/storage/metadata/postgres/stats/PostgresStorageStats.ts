import type { BucketStats, StorageStatsStore, TagStats, TagValueCount } from '../../../../core/ports/StorageStatsStore.js';
import { sqlState, type PostgresDatabase, type Tx } from '../PostgresDatabase.js';
import {
  ALL_BUCKETS,
  ALL_TAG_VALUES,
  ADJUST_KEYS,
  COMPACT_BUCKETS,
  COMPACT_TAGS,
  COUNT_BY_TAG,
  DELETE_ZERO_TAGS,
  ONE_BUCKET,
} from './statsSql.js';
import { toBucketStats, type BucketStatsRow } from '../../rows/statsRows.js';

/** A bucket's figures, with how many delta rows are not folded in yet. */
interface BucketRow extends BucketStatsRow {
  readonly deltas: number;
}

interface TagRow extends TagStats {
  readonly deltas: number;
}

interface ValueRow extends TagValueCount {
  readonly deltas: number;
}

export interface PostgresStorageStatsOptions {
  /** A read that sums more delta rows than this (all it read: one bucket's, one tag key's, or all) starts a compaction. */
  readonly compactAfter?: number;
}

const COMPACT_AFTER = 1000;

/**
 * StorageStatsStore on the shared PostgreSQL database: reads of the figures migration 002's triggers keep (a base
 * row plus delta rows, summed in one statement), and the tracked keys (metrics_tag_keys).
 *
 * Compaction folds the delta rows into the base rows. A read that sums more than `compactAfter` deltas (1,000 unless
 * told) starts one in the background (one at a time per store; a failure is dropped, since the figures are right
 * without it and the next such read tries again); `compact()` runs one now, for a periodic call. Any number of
 * nodes may compact at once: each delta row is folded by exactly one of them.
 *
 * Locks: no writer ever waits for this store. Changing the tracked keys and compacting take metrics_tag_keys
 * (EXCLUSIVE and ROW SHARE), so a compaction never runs while a key's figures are dropped or corrected.
 */
export class PostgresStorageStats implements StorageStatsStore {
  private readonly compactAfter: number;
  private compacting: Promise<void> | undefined;

  constructor(
    private readonly db: PostgresDatabase,
    options: PostgresStorageStatsOptions = {},
  ) {
    this.compactAfter = options.compactAfter ?? COMPACT_AFTER;
  }

  async bucketStats(): Promise<BucketStats[]> {
    const rows = (await this.db.query<BucketRow>(ALL_BUCKETS, [], 'stats_all_buckets')).rows;
    this.compactIfMany(sumOfDeltas(rows));
    return rows.map(toBucketStats);
  }

  async bucketStatsOf(bucket: string): Promise<BucketStats | undefined> {
    const row = (await this.db.query<BucketRow>(ONE_BUCKET, [bucket], 'stats_one_bucket')).rows[0];
    if (row === undefined) return undefined;
    this.compactIfMany(row.deltas);
    return toBucketStats(row);
  }

  async trackedTagStats(): Promise<TagStats[]> {
    const rows = (await this.db.query<TagRow>(ALL_TAG_VALUES, [], 'stats_all_tags')).rows;
    this.compactIfMany(sumOfDeltas(rows));
    return rows
      .filter((r) => r.objects !== 0)
      .map((r) => ({ bucket: r.bucket, key: r.key, value: r.value, objects: r.objects, bytes: r.bytes }));
  }

  async trackedTagKeys(): Promise<string[]> {
    const rows = (await this.db.query<{ key: string }>('SELECT key FROM metrics_tag_keys WHERE counted = 1 ORDER BY key COLLATE "C"')).rows;
    return rows.map((r) => r.key);
  }

  /**
   * Three steps, none of which stops a writer: (1) drop the keys no longer wanted and add the new ones uncounted, so
   * every trigger from then on counts them; (2) wait for the transactions that were in flight then (their triggers
   * may not have seen the keys); (3) correct the figures to a count from scratch (ADJUST_KEYS) and mark the keys
   * counted. Steps 1 and 3 lock metrics_tag_keys EXCLUSIVE (against each other and against compaction, which
   * writers never take). A key left uncounted by a crash between the steps is counted by the next call.
   *
   * Step 3 counts a key only while its row is the one step 1 saw (same `xmin`, which no later lock or freeze
   * changes): when another call dropped the key and added it again meanwhile, the wait here did not cover the
   * transactions in flight at that second addition, so that call counts it after its own wait.
   */
  async setTrackedTagKeys(keys: readonly string[]): Promise<void> {
    const wanted = [...new Set(keys)];
    const uncounted = await this.db.transaction(async (tx) => {
      await tx.query('LOCK TABLE metrics_tag_keys IN EXCLUSIVE MODE');
      const current = (await tx.query<{ key: string; counted: number }>('SELECT key, counted FROM metrics_tag_keys')).rows;
      const dropped = current.filter((r) => !wanted.includes(r.key)).map((r) => r.key);
      if (dropped.length > 0) {
        await tx.query('DELETE FROM metrics_tag_keys WHERE key = ANY ($1::text[])', [dropped]);
        await tx.query('DELETE FROM tag_stats WHERE key = ANY ($1::text[])', [dropped]);
        await tx.query('DELETE FROM tag_stats_deltas WHERE key = ANY ($1::text[])', [dropped]);
      }
      const added = wanted.filter((key) => !current.some((r) => r.key === key));
      if (added.length > 0) await tx.query('INSERT INTO metrics_tag_keys (key) SELECT unnest($1::text[])', [added]);
      const rows = await tx.query<{ key: string; born: string }>(
        'SELECT key, xmin::text AS born FROM metrics_tag_keys WHERE key = ANY ($1::text[]) AND counted = 0',
        [wanted],
      );
      return rows.rows;
    });
    if (uncounted.length === 0) return;
    await this.waitForTransactionsInFlight();
    await this.db.transaction(async (tx) => {
      await tx.query('LOCK TABLE metrics_tag_keys IN EXCLUSIVE MODE');
      const toCount = (
        await tx.query<{ key: string }>(
          `SELECT k.key FROM metrics_tag_keys k JOIN unnest($1::text[], $2::text[]) AS u (key, born)
            ON k.key = u.key AND k.xmin::text = u.born
          WHERE k.counted = 0`,
          [uncounted.map((u) => u.key), uncounted.map((u) => u.born)],
        )
      ).rows.map((r) => r.key);
      if (toCount.length === 0) return; // counted meanwhile, or dropped (and perhaps added again: that call counts it)
      await tx.query(ADJUST_KEYS, [toCount]);
      await tx.query('UPDATE metrics_tag_keys SET counted = 1 WHERE key = ANY ($1::text[])', [toCount]);
    });
  }

  /**
   * Wait until every transaction running now (with a transaction id: a writer) has ended. The transactions running
   * are those of the snapshot's list and, since PostgreSQL 14, those with an id at or past its xmax (the last
   * completed id + 1, not the next id to assign: a transaction that got its id after the last commit is running but
   * not listed). So the same statement also draws an id, after its snapshot: every writer that began before it has
   * a lower id, and those from xmax up to it are checked too.
   */
  private async waitForTransactionsInFlight(): Promise<void> {
    const now = (await this.db.query<{ s: string; x: string }>('SELECT pg_current_snapshot()::text AS s, pg_current_xact_id()::text AS x')).rows[0]!;
    for (let round = 0; ; round++) {
      const running = await this.db.query<{ n: number }>(
        `SELECT count(*) AS n FROM (
            SELECT pg_snapshot_xip($1::pg_snapshot) AS x
            UNION ALL
            SELECT g::text::xid8 FROM generate_series(pg_snapshot_xmax($1::pg_snapshot)::text::bigint, $2::bigint - 1) AS g
          ) t
          WHERE pg_xact_status(x) = 'in progress'`,
        [now.s, now.x],
      );
      if (running.rows[0]!.n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(100, 5 * 2 ** round)));
    }
  }

  async countByTag(bucket: string, key: string): Promise<TagValueCount[]> {
    const rows = (await this.db.query<ValueRow>(COUNT_BY_TAG, [bucket, key], 'stats_count_by_tag')).rows;
    this.compactIfMany(sumOfDeltas(rows));
    return rows.map((r) => ({ value: r.value, objects: r.objects, bytes: r.bytes }));
  }

  /**
   * Fold every committed delta row into the base rows, in one transaction (run again after a deadlock with another
   * compaction, or when a bucket it folds into was deleted meanwhile).
   */
  compact(): Promise<void> {
    return this.db.transaction(compactIn, { retryOn: (error) => sqlState(error) === '23503' });
  }

  /** Start a background compaction when a read summed too many deltas (at most one at a time per store). */
  private compactIfMany(deltas: number): void {
    if (this.compacting !== undefined || deltas <= this.compactAfter) return;
    this.compacting = this.compact()
      .catch(() => undefined)
      .finally(() => {
        this.compacting = undefined;
      });
  }
}

async function compactIn(tx: Tx): Promise<void> {
  await tx.query('LOCK TABLE metrics_tag_keys IN ROW SHARE MODE');
  await tx.query(COMPACT_BUCKETS, [], 'stats_compact_buckets');
  const zero = (await tx.query<{ bucket: string; key: string; value: string }>(COMPACT_TAGS, [], 'stats_compact_tags')).rows;
  if (zero.length === 0) return;
  await tx.query(DELETE_ZERO_TAGS, [zero.map((z) => z.bucket), zero.map((z) => z.key), zero.map((z) => z.value)]);
}

function sumOfDeltas(rows: readonly { readonly deltas: number }[]): number {
  return rows.reduce((n, r) => n + r.deltas, 0);
}
