import type { Tx } from './PostgresDatabase.js';

/**
 * Whether the bucket exists, keeping its row (FOR KEY SHARE) until the transaction ends: a configuration stored with
 * it cannot be left behind by a bucket deleted at the same moment (its rows go with the bucket, ON DELETE CASCADE).
 */
export async function lockBucketRow(tx: Tx, bucket: string): Promise<boolean> {
  const row = await tx.query('SELECT 1 FROM buckets WHERE name = $1 FOR KEY SHARE', [bucket], 'tessera_buckets_key_share');
  return row.rowCount !== 0;
}
