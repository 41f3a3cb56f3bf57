import type { Tx } from '../PostgresDatabase.js';

/** The advisory-lock class of the change feed's per-bucket sequencing point (the second key is a hash of the bucket). */
const SEQUENCING_LOCK_CLASS = 0x7e55_c4a6;

/** Rows given a seq by one sequencing step at most (the rest wait for the next read). */
const SEQUENCE_BATCH = 10_000;

/** Whether some row of the bucket waits for its seq (cheap: a partial index holds only those). */
export const ANY_UNSEQUENCED = 'SELECT 1 FROM change_outbox WHERE bucket = $1 AND seq IS NULL LIMIT 1';
const LOCK_BUCKET = 'SELECT pg_advisory_xact_lock($1::integer, hashtext($2))';
/**
 * The bucket's unsequenced rows (those committed: the statement's snapshot), in id order, get the next values of
 * change_seq in the same order (the values are sorted: nextval's evaluation order is not what gives the order).
 */
const SEQUENCE = `WITH ready AS (
    SELECT id, row_number() OVER (ORDER BY id) AS n FROM change_outbox
    WHERE bucket = $1 AND seq IS NULL ORDER BY id LIMIT $2
  ), given AS (
    SELECT seq, row_number() OVER (ORDER BY seq) AS n FROM (SELECT nextval('change_seq') AS seq FROM ready) s
  )
  UPDATE change_outbox o SET seq = given.seq FROM ready JOIN given USING (n) WHERE o.id = ready.id`;

/**
 * The change feed's cursors and order, on statements run inside the caller's transaction (the change feed, and the
 * replication and notification stores, which follow a bucket or move their cursor in the transaction that records
 * what they did).
 *
 * Order: change_outbox rows are written with seq NULL and an id (identity). Transactions commit in any order, so a
 * reader may not take "id after the cursor" as "not seen yet": a row with a smaller id can commit after a reader
 * passed a larger one. `sequence` gives the committed rows of a bucket their seq, under the bucket's sequencing lock,
 * from a sequence that only grows: a row that commits later gets a larger seq when a later read sequences it, so
 * consumers, reading by seq, never find a row behind their cursor, and rows of a transaction that aborted are never
 * seen.
 *
 * The order within a step is id order, which for the changes of one key is write order: writers of a key take turns
 * on a lock (the metadata store's lock on the key's latest version row, or on the version they change) held from
 * before they write their outbox row until they commit, so a later writer's row takes its id after the earlier
 * writer committed, and is visible only to snapshots that see the earlier row too. So the earlier row is
 * sequenced before it or in the same step, ahead of it. (The rows' txid does NOT give that order: UPDATE and
 * SELECT … FOR UPDATE assign the transaction id before they wait for the row lock, so a later writer of a key can
 * hold a smaller txid. And waiting for every older transaction to end, which a txid order needs, would hold every
 * feed back behind the longest write of the whole cluster.) Changes every follower has passed are dropped as cursors
 * move.
 */
export const changeCursors = {
  /** Take the bucket's sequencing lock until the end of the transaction. */
  async lockBucket(tx: Tx, bucket: string): Promise<void> {
    await tx.query(LOCK_BUCKET, [SEQUENCING_LOCK_CLASS, bucket], 'tessera_changes_lock');
  },

  /** Give the bucket's ready rows their seq (see above). Returns how many got one. */
  async sequence(tx: Tx, bucket: string): Promise<number> {
    const any = await tx.query(ANY_UNSEQUENCED, [bucket], 'tessera_changes_any_unsequenced');
    if (any.rowCount === 0) return 0;
    await changeCursors.lockBucket(tx, bucket);
    const done = await tx.query(SEQUENCE, [bucket, SEQUENCE_BATCH], 'tessera_changes_sequence');
    return done.rowCount ?? 0;
  },

  /**
   * Follow from now on: a new follower's cursor starts after every change sequenced so far (changes committed before
   * that are not its business); a follower already there keeps its cursor. Returns whether it is a new follower.
   */
  async follow(tx: Tx, bucket: string, consumer: string): Promise<boolean> {
    await changeCursors.lockBucket(tx, bucket);
    const others = await tx.query('SELECT 1 FROM change_feeds WHERE bucket = $1 LIMIT 1', [bucket]);
    if (others.rowCount === 0) {
      // the first follower: what is left was logged, or left, for followers gone since (a writer that still saw them,
      // a bucket of the same name deleted while followed), and must neither be served nor hold pruning back
      await tx.query('DELETE FROM change_outbox WHERE bucket = $1', [bucket]);
      await tx.query('DELETE FROM change_cursors WHERE bucket = $1', [bucket]);
    } else {
      await changeCursors.sequence(tx, bucket);
    }
    const inserted = await tx.query(
      'INSERT INTO change_feeds (bucket, consumer) VALUES ($1, $2) ON CONFLICT (bucket, consumer) DO NOTHING',
      [bucket, consumer],
    );
    if (inserted.rowCount === 0) return false;
    await tx.query(
      `INSERT INTO change_cursors (consumer, bucket, seq)
       SELECT $1, $2, coalesce(max(seq), 0) FROM change_outbox WHERE bucket = $2
       ON CONFLICT (consumer, bucket) DO UPDATE SET seq = GREATEST(change_cursors.seq, excluded.seq)`,
      [consumer, bucket],
    );
    return true;
  },

  async unfollow(tx: Tx, bucket: string, consumer: string): Promise<void> {
    await changeCursors.lockBucket(tx, bucket);
    await tx.query('DELETE FROM change_feeds WHERE bucket = $1 AND consumer = $2', [bucket, consumer]);
    await tx.query('DELETE FROM change_cursors WHERE consumer = $1 AND bucket = $2', [consumer, bucket]);
    await prune(tx, bucket);
  },

  /** Move the cursor past `seq` (never backwards); nothing when the consumer does not follow the bucket. */
  async advance(tx: Tx, consumer: string, bucket: string, seq: number): Promise<void> {
    const moved = await tx.query(
      'UPDATE change_cursors SET seq = GREATEST(seq, $3) WHERE consumer = $1 AND bucket = $2',
      [consumer, bucket, seq],
      'tessera_changes_advance',
    );
    if (moved.rowCount === 0) return;
    await prune(tx, bucket);
  },
};

/** Drop the bucket's changes every follower has passed (all of them when nobody follows it any more). */
async function prune(tx: Tx, bucket: string): Promise<void> {
  const min = await tx.query<{ seq: number | null }>('SELECT min(seq) AS seq FROM change_cursors WHERE bucket = $1', [bucket], 'tessera_changes_min_cursor');
  const seq = min.rows[0]?.seq ?? null;
  if (seq === null) await tx.query('DELETE FROM change_outbox WHERE bucket = $1', [bucket]);
  else await tx.query('DELETE FROM change_outbox WHERE bucket = $1 AND seq <= $2', [bucket, seq], 'tessera_changes_prune');
}
