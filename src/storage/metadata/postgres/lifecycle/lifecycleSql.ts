/** The SQL of PostgresLifecycleStore that is not a version write (those are the metadata store's: VersionRepo). */

export const SCAN_COLUMNS = 'id, key, version_id, seq, is_latest, is_delete_marker, last_modified, size, storage_class, segments, tag_count';

/** A key range of one bucket, whole stacks newest first; by lower bound (>= or >) and whether there is an upper bound. */
export function keyScanSql(lowerOp: '>=' | '>', bounded: boolean): string {
  return `SELECT ${SCAN_COLUMNS} FROM versions WHERE bucket = $1 AND key ${lowerOp} $2${bounded ? ' AND key < $3' : ''}
    ORDER BY key, seq DESC LIMIT ${bounded ? '$4' : '$3'}`;
}

const V_SCAN_COLUMNS = SCAN_COLUMNS.split(', ')
  .map((c) => `v.${c}`)
  .join(', ');

/** The versions carrying a tag (the tag index), after a version row id, in the bucket under a prefix. */
export function taggedScanSql(bounded: boolean): string {
  return `SELECT ${V_SCAN_COLUMNS} FROM object_tags t JOIN versions v ON v.id = t.version_row
    WHERE t.key = $1 AND t.value = $2 AND t.version_row > $3 AND v.bucket = $4 AND v.key >= $5${bounded ? ' AND v.key < $6' : ''}
    ORDER BY t.version_row LIMIT ${bounded ? '$7' : '$6'}`;
}

export const SELECT_STACK = `SELECT ${SCAN_COLUMNS} FROM versions WHERE bucket = $1 AND key = $2 ORDER BY seq DESC`;
export const SELECT_STACKS = `SELECT ${SCAN_COLUMNS} FROM versions WHERE bucket = $1 AND key = ANY ($2::text[]) ORDER BY key, seq DESC`;
export const SELECT_PAGE_TAGS = `SELECT version_row, key, value FROM object_tags WHERE version_row = ANY ($1::bigint[])
  ORDER BY version_row, key COLLATE "C"`;

/** A version a transition rewrites, locked (the guard is read and the write made under the lock). */
export const LOCK_VERSION = `SELECT id, seq, segments, storage_class FROM versions
  WHERE bucket = $1 AND key = $2 AND version_id = $3 FOR UPDATE`;

/**
 * A transition: the version's storage class, and its bytes in their new place ($3 = new segments JSON, $4 = their
 * file blob ids; NULL: the bytes stay). The old segments are released (file blobs to the released-blob outbox, inline
 * bytes deleted) and the new ones held, as the version statements of the metadata store do.
 * Parameters: row, storage class, segments JSON or NULL, new file blob ids, now.
 */
export const TRANSITION = `WITH old AS (
    SELECT segments FROM versions WHERE id = $1 AND $3::text IS NOT NULL
  ), seg AS (
    SELECT s ->> 'blobId' AS blob_id, coalesce((s ->> 'inline')::boolean, false) AS inline
    FROM old, json_array_elements(old.segments::json) AS s
  ), unheld AS (
    DELETE FROM version_blobs WHERE blob_id IN (SELECT blob_id FROM seg WHERE NOT inline)
  ), released AS (
    INSERT INTO released_blobs (blob_id, released_at) SELECT blob_id, $5 FROM seg WHERE NOT inline
    ON CONFLICT (blob_id) DO NOTHING
  ), uninlined AS (
    DELETE FROM inline_blobs WHERE blob_id IN (SELECT blob_id FROM seg WHERE inline)
  ), held AS (
    INSERT INTO version_blobs (blob_id, version_row) SELECT b, $1 FROM unnest($4::text[]) AS b
  )
  UPDATE versions SET storage_class = $2, segments = coalesce($3::text, segments) WHERE id = $1`;

export const PASS_COLUMNS = 'id, bucket, trigger, evaluated_at, started_at, finished_at, cursor, tally, stale, errors';
export const PRUNE_PASSES = `DELETE FROM lifecycle_passes WHERE bucket = $1 AND finished_at IS NOT NULL AND id <= (
    SELECT id FROM lifecycle_passes WHERE bucket = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)`;
