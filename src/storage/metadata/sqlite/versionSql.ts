import { VERSION_COLUMNS } from '../rows/versionRows.js';

/**
 * A version's number of tags, counted from its tag rows (one seek on object_tags' primary key). SQLite keeps no
 * tag_count column since migration 016: updating a wide version row for every tag write was a third of a batch
 * unit's writes.
 */
export function tagCountOf(table: string): string {
  return `(SELECT count(*) FROM object_tags WHERE version_row = ${table}.id)`;
}

/** VERSION_COLUMNS as SQLite reads them from `versions` (the tag count computed). */
export const COLUMNS = VERSION_COLUMNS.replace('tag_count', `${tagCountOf('versions')} AS tag_count`);

/**
 * The SQL the version repository runs (exported so tests can check query plans).
 *
 * Index use:
 * - latest of a key, older versions of a key, version listings → versions_by_key (bucket, key, seq DESC)
 * - a version by id → versions_by_version_id (bucket, key, version_id)
 * - current objects → versions_live, a partial index holding only is_latest = 1 AND is_delete_marker = 0 rows; the
 *   WHERE clause spells that condition out literally so SQLite can use it.
 */
export const SELECT_LATEST = `SELECT ${COLUMNS} FROM versions WHERE bucket = ? AND key = ? ORDER BY seq DESC LIMIT 1`;

export const SELECT_BY_VERSION_ID = `SELECT ${COLUMNS} FROM versions WHERE bucket = ? AND key = ? AND version_id = ?`;

export const SELECT_OLDER_OF_KEY =
  `SELECT ${COLUMNS} FROM versions WHERE bucket = ? AND key = ? AND seq < ? ORDER BY seq DESC LIMIT ?`;

export const INSERT_VERSION = `INSERT INTO versions (
    seq, bucket, key, version_id, is_latest, is_delete_marker, last_modified, owner_account_id, size, etag,
    storage_class, content_headers, user_metadata, checksum_algorithm, checksum_value, checksum_type, segments,
    part_sizes, replication_status
  ) VALUES (
    @seq, @bucket, @key, @version_id, 1, @is_delete_marker, @last_modified, @owner_account_id, @size, @etag,
    @storage_class, @content_headers, @user_metadata, @checksum_algorithm, @checksum_value, @checksum_type,
    @segments, @part_sizes, @replication_status
  )`;

/**
 * Overwrite the latest null version in place (the unversioned PUT): same row and version id, new seq and contents.
 * Only the table row and its versions_by_key entry change, unless the row turns into or out of a delete marker.
 */
export const OVERWRITE_VERSION = `UPDATE versions SET
    seq = @seq, is_delete_marker = @is_delete_marker, last_modified = @last_modified,
    owner_account_id = @owner_account_id, size = @size, etag = @etag, storage_class = @storage_class,
    content_headers = @content_headers, user_metadata = @user_metadata, checksum_algorithm = @checksum_algorithm,
    checksum_value = @checksum_value, checksum_type = @checksum_type, segments = @segments, part_sizes = @part_sizes,
    replication_status = @replication_status
  WHERE id = @id`;

/**
 * What a lookup of many tag write targets returns: one JSON text, [[index…], [row id…], [delete marker (0/1)…],
 * [tag count…]], an entry per row found, the index being the key's position in the JSON array looked up. One text
 * parsed by JSON.parse costs a fraction of handing thousands of rows to JavaScript one by one (200,000 lookups: the
 * rows were ~100 ms of ~260).
 */
function targetColumns(table: string, deleteMarker: string): string {
  return `json_array(json_group_array(j.key), json_group_array(${table}.id), json_group_array(${deleteMarker}), json_group_array(${tagCountOf(table)}))`;
}

/**
 * The current objects among a JSON array of keys of one bucket (parameters: the array, the bucket), read from
 * versions_live alone (the row id is in the index), so the wide table row is never read: a batch unit's lookups then
 * touch a few index pages instead of a table page per object. A key whose latest version is a delete marker, or that
 * has none, is not there.
 */
export const SELECT_LIVE_TARGETS = `SELECT ${targetColumns('l', '0')} FROM json_each(?) AS j CROSS JOIN versions AS l
  ON l.bucket = ? AND l.key = j.value AND l.is_latest = 1 AND l.is_delete_marker = 0`;

/** The newest version of each key of a JSON array (parameters: the array, the bucket). */
export const SELECT_LATEST_TARGETS = `SELECT ${targetColumns('v', 'v.is_delete_marker')} FROM json_each(?) AS j CROSS JOIN versions
  AS v ON v.id = (SELECT l.id FROM versions AS l WHERE l.bucket = ? AND l.key = j.value ORDER BY l.seq DESC LIMIT 1)`;

/** The versions named by a JSON array of [key, versionId] pairs (parameters: the array, the bucket). */
export const SELECT_TARGETS_BY_ID = `SELECT ${targetColumns('v', 'v.is_delete_marker')} FROM json_each(?) AS j CROSS JOIN versions
  AS v ON v.bucket = ? AND v.key = j.value ->> 0 AND v.version_id = j.value ->> 1`;

/** The next store-wide seq. */
export const NEXT_SEQ = "UPDATE counters SET value = value + 1 WHERE name = 'version_seq' RETURNING value";

/** Clear is_latest on the key's newest version (before a new version goes on top). */
export const DEMOTE_LATEST = `UPDATE versions SET is_latest = 0
  WHERE id = (SELECT id FROM versions WHERE bucket = ? AND key = ? ORDER BY seq DESC LIMIT 1) AND is_latest = 1`;

/** Set is_latest on the key's newest version (after the latest was removed). */
export const PROMOTE_NEWEST = `UPDATE versions SET is_latest = 1
  WHERE id = (SELECT id FROM versions WHERE bucket = ? AND key = ? ORDER BY seq DESC LIMIT 1) AND is_latest = 0`;

export type ListingKind = 'live' | 'all';

/**
 * One listing statement per shape of key range: lower bound inclusive or exclusive, upper bound present or not.
 * Parameters: bucket, lower, [upper], limit.
 */
export function listingSql(kind: ListingKind, lowerInclusive: boolean, hasUpper: boolean): string {
  const live = kind === 'live' ? 'AND is_latest = 1 AND is_delete_marker = 0' : '';
  const order = kind === 'live' ? 'key' : 'key, seq DESC';
  const lower = lowerInclusive ? '>=' : '>';
  const upper = hasUpper ? 'AND key < ?' : '';
  return `SELECT ${COLUMNS} FROM versions WHERE bucket = ? ${live} AND key ${lower} ? ${upper} ORDER BY ${order} LIMIT ?`;
}
