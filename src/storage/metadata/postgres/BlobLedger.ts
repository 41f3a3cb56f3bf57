import type { Queryable } from './Queryable.js';

/**
 * The released-blob outbox, blob references and inline bytes (BYTEA). Versions hold and release their blobs inside
 * the version statements themselves (versionSql); this class answers the rest. No inline bytes are cached in
 * memory (the SQLite twin does): another node may delete a version, and with it its inline blob, at any time.
 */
export class BlobLedger {
  constructor(private readonly now: () => number = Date.now) {}

  /** Blobs no row holds any more (replaced or unused parts) go to the outbox. */
  async release(sql: Queryable, blobIds: readonly string[]): Promise<void> {
    if (blobIds.length === 0) return;
    await sql.query(
      `INSERT INTO released_blobs (blob_id, released_at) SELECT b, $2 FROM unnest($1::text[]) AS b
       ON CONFLICT (blob_id) DO NOTHING`,
      [blobIds, this.now()],
      'tessera_blobs_release',
    );
  }

  async take(sql: Queryable, limit: number): Promise<string[]> {
    const result = await sql.query<{ blob_id: string }>('SELECT blob_id FROM released_blobs LIMIT $1', [limit], 'tessera_blobs_take');
    return result.rows.map((r) => r.blob_id);
  }

  async forget(sql: Queryable, blobIds: readonly string[]): Promise<void> {
    await sql.query('DELETE FROM released_blobs WHERE blob_id = ANY ($1::text[])', [blobIds], 'tessera_blobs_forget');
  }

  async isReferenced(sql: Queryable, blobId: string): Promise<boolean> {
    const result = await sql.query<{ held: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM version_blobs WHERE blob_id = $1) OR EXISTS (SELECT 1 FROM parts WHERE blob_id = $1) AS held`,
      [blobId],
      'tessera_blobs_referenced',
    );
    return result.rows[0]?.held === true;
  }

  async readInline(sql: Queryable, blobId: string): Promise<Buffer | undefined> {
    const result = await sql.query<{ data: Buffer }>('SELECT data FROM inline_blobs WHERE blob_id = $1', [blobId], 'tessera_blobs_inline');
    return result.rows[0]?.data;
  }
}
