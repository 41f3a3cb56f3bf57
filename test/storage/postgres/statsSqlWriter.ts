import { randomBytes } from 'node:crypto';
import type { BucketStats, TagStats } from '../../../src/core/ports/StorageStatsStore.js';
import type { Tag } from '../../../src/core/tags/Tag.js';
import type { PostgresDatabase, Tx } from '../../../src/storage/metadata/postgres/PostgresDatabase.js';

/**
 * Writes of versions and object_tags in plain SQL, shaped like a metadata store's (until the PostgreSQL metadata
 * store lands): each is one transaction holding a per-key advisory lock, except `retag` with `locked: false`, which
 * writes a version's tags without any lock on the key or the row — the race the tag triggers' own FOR SHARE lock is
 * there for.
 */

export type VersioningState = 'Unversioned' | 'Enabled' | 'Suspended';

export async function createBucket(db: PostgresDatabase, name: string, versioning: VersioningState = 'Unversioned'): Promise<void> {
  await db.query(
    "INSERT INTO buckets (name, owner_account_id, region, created_at, versioning) VALUES ($1, 'o', 'us-east-1', 0, $2)",
    [name, versioning],
  );
}

/** Delete every version of the bucket in one statement, then the bucket. */
export async function emptyAndDeleteBucket(db: PostgresDatabase, name: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM versions WHERE bucket = $1', [name]);
    await tx.query('DELETE FROM buckets WHERE name = $1', [name]);
  });
}

async function lockKey(tx: Tx, bucket: string, key: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${bucket}/${key}`]);
}

async function insertTags(tx: Tx, row: number, tags: readonly Tag[]): Promise<void> {
  if (tags.length === 0) return;
  await tx.query('INSERT INTO object_tags (version_row, key, value) SELECT $1, k, v FROM unnest($2::text[], $3::text[]) AS t (k, v)', [
    row,
    tags.map((t) => t.key),
    tags.map((t) => t.value),
  ]);
}

export interface PutOptions {
  /** 'null': the null version (replaced in place when it is the latest); 'new': a new version id. */
  readonly versionId: 'null' | 'new';
  readonly size: number;
  readonly tags: readonly Tag[];
  readonly deleteMarker?: boolean;
}

/** A PUT (or a delete marker): returns the version id written. */
export function put(db: PostgresDatabase, bucket: string, key: string, options: PutOptions): Promise<string> {
  const marker = options.deleteMarker === true ? 1 : 0;
  const size = marker === 1 ? 0 : options.size;
  const tags = marker === 1 ? [] : options.tags;
  return db.transaction(async (tx) => {
    await lockKey(tx, bucket, key);
    const seq = (await tx.query<{ seq: number }>("SELECT nextval('version_seq') AS seq")).rows[0]!.seq;
    if (options.versionId === 'null') {
      const existing = (
        await tx.query<{ id: number; is_latest: number }>(
          "SELECT id, is_latest FROM versions WHERE bucket = $1 AND key = $2 AND version_id = 'null'",
          [bucket, key],
        )
      ).rows[0];
      if (existing !== undefined && existing.is_latest === 1) {
        // the unversioned overwrite: same row, new seq and contents
        await tx.query('UPDATE versions SET seq = $2, size = $3, is_delete_marker = $4, tag_count = $5 WHERE id = $1', [
          existing.id,
          seq,
          size,
          marker,
          tags.length,
        ]);
        await tx.query('DELETE FROM object_tags WHERE version_row = $1', [existing.id]);
        await insertTags(tx, existing.id, tags);
        return 'null';
      }
      if (existing !== undefined) await tx.query('DELETE FROM versions WHERE id = $1', [existing.id]);
    }
    await tx.query('UPDATE versions SET is_latest = 0 WHERE bucket = $1 AND key = $2 AND is_latest = 1', [bucket, key]);
    const versionId = options.versionId === 'null' ? 'null' : randomBytes(9).toString('base64url');
    const id = (
      await tx.query<{ id: number }>(
        `INSERT INTO versions (bucket, key, seq, version_id, is_latest, is_delete_marker, last_modified, owner_account_id,
           size, etag, storage_class, segments, tag_count)
         VALUES ($1, $2, $3, $4, 1, $5, 0, 'o', $6, '', 'STANDARD', '[]', $7) RETURNING id`,
        [bucket, key, seq, versionId, marker, size, tags.length],
      )
    ).rows[0]!.id;
    await insertTags(tx, id, tags);
    return versionId;
  });
}

/** DeleteObject with a version id: the newest remaining version becomes the latest when the latest went. */
export function deleteVersion(db: PostgresDatabase, bucket: string, key: string, versionId: string): Promise<void> {
  return db.transaction(async (tx) => {
    await lockKey(tx, bucket, key);
    const gone = await tx.query<{ is_latest: number }>(
      'DELETE FROM versions WHERE bucket = $1 AND key = $2 AND version_id = $3 RETURNING is_latest',
      [bucket, key, versionId],
    );
    if (gone.rows[0]?.is_latest !== 1) return;
    await tx.query(
      `UPDATE versions SET is_latest = 1
       WHERE id = (SELECT id FROM versions WHERE bucket = $1 AND key = $2 ORDER BY seq DESC LIMIT 1)`,
      [bucket, key],
    );
  });
}

/** Every noncurrent version of a key in one statement (a lifecycle pass), under the key's lock. */
export function expireNoncurrent(db: PostgresDatabase, bucket: string, key: string): Promise<void> {
  return db.transaction(async (tx) => {
    await lockKey(tx, bucket, key);
    await tx.query('DELETE FROM versions WHERE bucket = $1 AND key = $2 AND is_latest = 0', [bucket, key]);
  });
}

/**
 * Replace the tags of a version (the latest when `versionId` is undefined). `locked`: under the key's lock, the row
 * locked FOR UPDATE first and its tag_count kept, as a metadata store does; otherwise no lock at all.
 */
export function retag(
  db: PostgresDatabase,
  bucket: string,
  key: string,
  versionId: string | undefined,
  tags: readonly Tag[],
  locked = true,
): Promise<void> {
  return db.transaction(async (tx) => {
    if (locked) await lockKey(tx, bucket, key);
    const which = versionId === undefined ? 'is_latest = 1' : 'version_id = $3';
    const row = (
      await tx.query<{ id: number; is_delete_marker: number }>(
        `SELECT id, is_delete_marker FROM versions WHERE bucket = $1 AND key = $2 AND ${which} ${locked ? 'FOR UPDATE' : ''}`,
        versionId === undefined ? [bucket, key] : [bucket, key, versionId],
      )
    ).rows[0];
    if (row === undefined || row.is_delete_marker === 1) return;
    await tx.query('DELETE FROM object_tags WHERE version_row = $1', [row.id]);
    await insertTags(tx, row.id, tags);
    if (locked) await tx.query('UPDATE versions SET tag_count = $2 WHERE id = $1', [row.id, tags.length]);
  });
}

/**
 * The oracle: the figures counted from scratch. "Current" is the newest version of its key by seq, not is_latest, so
 * a slip in the writes above shows too.
 */
const RECOUNT_BUCKETS = `WITH v AS (
    SELECT bucket, size, is_delete_marker, seq = max(seq) OVER (PARTITION BY bucket, key) AS current FROM versions
  )
  SELECT b.name AS bucket,
    count(v.bucket) FILTER (WHERE current AND is_delete_marker = 0) AS objects,
    coalesce(sum(size) FILTER (WHERE current AND is_delete_marker = 0), 0)::bigint AS "objectBytes",
    count(v.bucket) FILTER (WHERE is_delete_marker = 0) AS versions,
    coalesce(sum(size) FILTER (WHERE is_delete_marker = 0), 0)::bigint AS "versionBytes",
    count(v.bucket) FILTER (WHERE is_delete_marker = 1) AS "deleteMarkers"
  FROM buckets b LEFT JOIN v ON v.bucket = b.name
  GROUP BY b.name ORDER BY b.name`;

const RECOUNT_TAGS = `WITH v AS (
    SELECT id, bucket, size, is_delete_marker, seq = max(seq) OVER (PARTITION BY bucket, key) AS current FROM versions
  )
  SELECT v.bucket, t.key, t.value, count(*) AS objects, sum(v.size)::bigint AS bytes
  FROM object_tags t JOIN v ON v.id = t.version_row
  WHERE v.current AND v.is_delete_marker = 0 AND t.key = ANY ($1::text[])
  GROUP BY v.bucket, t.key, t.value
  ORDER BY v.bucket, t.key COLLATE "C", t.value COLLATE "C"`;

export async function recountBuckets(db: PostgresDatabase): Promise<BucketStats[]> {
  return (await db.query<BucketStats>(RECOUNT_BUCKETS)).rows.map((r) => ({ ...r }));
}

export async function recountTags(db: PostgresDatabase, keys: readonly string[]): Promise<TagStats[]> {
  return (await db.query<TagStats>(RECOUNT_TAGS, [keys])).rows.map((r) => ({ ...r }));
}

/** Rows where is_latest disagrees with "newest by seq" (must be none). */
export async function latestSlips(db: PostgresDatabase): Promise<number> {
  const rows = await db.query<{ n: number }>(`SELECT count(*) AS n FROM (
      SELECT is_latest, seq = max(seq) OVER (PARTITION BY bucket, key) AS current FROM versions
    ) v WHERE (is_latest = 1) <> current`);
  return rows.rows[0]!.n;
}
