import { VERSION_COLUMNS } from '../rows/versionRows.js';

/**
 * The SQL the PostgreSQL version repository runs. Column lists and row shapes are the SQLite ones (versionRows).
 *
 * Index use:
 * - the latest version of a key → versions_one_latest (bucket, key) WHERE is_latest = 1
 * - a version by id → versions_by_version_id; older versions of a key → versions_by_key (bucket, key, seq DESC)
 * - current objects → versions_live, whose condition the listing spells out literally
 *
 * Statements that change a version (and its tags, blobs, ACL, change-outbox row) are single statements made of
 * data-modifying CTEs: one round trip each. Where one step must come before another (demote before insert), the
 * later one reads the earlier one's RETURNING, which makes PostgreSQL run it first.
 */

/**
 * Rewrite a version row without changing it ($1 = row), for a write of what hangs off it (its ACL) that changes no
 * column: the row's xmin then names that transaction (see KEY_GATE).
 */
export const TOUCH_VERSION = 'UPDATE versions SET tag_count = tag_count WHERE id = $1';

/** v.* columns, for statements that join or add columns. */
const V_COLUMNS = VERSION_COLUMNS.split(', ')
  .map((c) => `v.${c}`)
  .join(', ');

export const SELECT_LATEST = `SELECT ${VERSION_COLUMNS} FROM versions WHERE bucket = $1 AND key = $2 AND is_latest = 1`;

export const SELECT_BY_VERSION_ID = `SELECT ${VERSION_COLUMNS} FROM versions WHERE bucket = $1 AND key = $2 AND version_id = $3`;

/**
 * The per-key write lock, taken by every writer of a key as its transaction's first statement: a transaction-scoped
 * advisory lock on a hash of (bucket, key). It needs no transaction id, so writers queue on it without one and get
 * their id (with their first row lock or write) only once it is their turn: transaction ids follow the per-key write
 * order, which the change feed relies on. (Queuing on the latest row's FOR UPDATE alone does not give that: a
 * writer that waited for a row someone else then demoted holds a row lock, hence an id, before it finds the new
 * latest, and a newcomer can get there first.) `waited` tells whether the lock was held by someone else: the
 * statement's snapshot predates the wait then, so what it read must be read again.
 *
 * A statement that takes the lock without waiting (the one-statement writes below) may still have a snapshot older
 * than a writer of the key that committed, and let the lock go, between the statement's start and its try: its
 * DELETEs would miss the rows that writer added (tags, an ACL, held blobs). Such a statement goes on only while the
 * version row it locked is the one its snapshot saw (same xmin; FOR UPDATE returns the newest). That holds because
 * every write that adds a row hanging off a version also rewrites the version row in the same transaction (a new
 * version is a new row; PutObjectTagging writes the count, PutObjectAcl runs TOUCH_VERSION, a batch unit writes the
 * count of the versions it gives a new key). A changed or deleted row needs nothing: the stale DELETE re-checks it.
 */
const KEY_GATE = `gate AS (
    SELECT pg_try_advisory_xact_lock(hashtextextended($1 || '/' || $2, 0)) AS free
  ), waited AS (
    SELECT NOT free AS waited,
      free OR (SELECT true FROM pg_advisory_xact_lock(hashtextextended($1 || '/' || $2, 0)) AS l) AS held
    FROM gate
  )`;

/**
 * The locks of KEY_GATE alone, for a transaction that writes several keys (parameters: buckets[], keys[]): taken in
 * one order (no deadlock between two such writers), all before the transaction's first row lock or write, since
 * its transaction id must come after every earlier writer of each of its keys.
 */
export const LOCK_KEYS = `SELECT count(pg_advisory_xact_lock(s.h)) AS locked FROM (
    SELECT DISTINCT hashtextextended(t.b || '/' || t.k, 0) AS h FROM unnest($1::text[], $2::text[]) AS t (b, k) ORDER BY h
  ) AS s`;

/**
 * Take the key's write lock, then lock the key's latest version (FOR UPDATE) and return it. One row always:
 * `waited` (see KEY_GATE), `found` (the snapshot had a latest version) and the locked row's columns (NULL when
 * none or when it vanished meanwhile). The row is named through a CTE, so after waiting for a row lock it comes
 * back as its last writer left it: is_latest = 0 means another writer demoted it.
 */
export const LOCK_LATEST = `WITH ${KEY_GATE}, latest AS (
    SELECT id FROM versions WHERE bucket = $1 AND key = $2 AND is_latest = 1 AND (SELECT held FROM waited)
  ), locked AS (
    SELECT ${VERSION_COLUMNS} FROM versions WHERE id = (SELECT id FROM latest) FOR UPDATE
  )
  SELECT (SELECT waited FROM waited) AS waited, (SELECT count(*) FROM latest)::int AS found, locked.*
  FROM (VALUES (1)) AS one (x) LEFT JOIN locked ON true`;

/** Take the key's write lock, then lock one version by id (tag and ACL writes); as LOCK_LATEST. */
export const LOCK_BY_VERSION_ID = `WITH ${KEY_GATE}, locked AS (
    SELECT ${VERSION_COLUMNS} FROM versions WHERE bucket = $1 AND key = $2 AND version_id = $3 AND (SELECT held FROM waited)
    FOR UPDATE
  )
  SELECT (SELECT waited FROM waited) AS waited, (SELECT count(*) FROM locked)::int AS found, locked.*
  FROM (VALUES (1)) AS one (x) LEFT JOIN locked ON true`;

/** A version with its tags, sorted by key in byte order, as [[key, value], …] (NULL when it has none). */
const TAGS_OF_V = `(SELECT json_agg(json_build_array(t.key, t.value) ORDER BY t.key COLLATE "C") FROM object_tags t WHERE t.version_row = v.id)`;

export const SELECT_LATEST_WITH_TAGS = `SELECT ${V_COLUMNS}, ${TAGS_OF_V} AS tags FROM versions v
  WHERE v.bucket = $1 AND v.key = $2 AND v.is_latest = 1`;
export const SELECT_BY_VERSION_ID_WITH_TAGS = `SELECT ${V_COLUMNS}, ${TAGS_OF_V} AS tags FROM versions v
  WHERE v.bucket = $1 AND v.key = $2 AND v.version_id = $3`;
export const SELECT_LATEST_TAGS = `SELECT ${TAGS_OF_V} AS tags FROM versions v WHERE v.bucket = $1 AND v.key = $2 AND v.is_latest = 1`;
export const SELECT_TAGS_BY_VERSION_ID = `SELECT ${TAGS_OF_V} AS tags FROM versions v
  WHERE v.bucket = $1 AND v.key = $2 AND v.version_id = $3`;

const ACL_OF_V = '(SELECT a.acl FROM object_acls a WHERE a.version_row = v.id)';
export const SELECT_LATEST_WITH_ACL = `SELECT ${V_COLUMNS}, ${ACL_OF_V} AS acl FROM versions v
  WHERE v.bucket = $1 AND v.key = $2 AND v.is_latest = 1`;
export const SELECT_BY_VERSION_ID_WITH_ACL = `SELECT ${V_COLUMNS}, ${ACL_OF_V} AS acl FROM versions v
  WHERE v.bucket = $1 AND v.key = $2 AND v.version_id = $3`;

export const SELECT_OLDER_OF_KEY = `SELECT ${VERSION_COLUMNS} FROM versions
  WHERE bucket = $1 AND key = $2 AND seq < $3 ORDER BY seq DESC LIMIT $4`;

export const ANY_IN_BUCKET = 'SELECT 1 FROM versions WHERE bucket = $1 LIMIT 1';

/** Whether the bucket is followed: the change-outbox condition every change statement carries. */
const FOLLOWED = (bucket: string): string => `EXISTS (SELECT 1 FROM change_feeds f WHERE f.bucket = ${bucket})`;

/**
 * Parameters of the two version writes (WRITE_NEW_VERSION, OVERWRITE_NULL_VERSION), in order ($1…$28). `row`: the
 * latest version to demote (new version) or the null version to overwrite in place.
 */
export const VERSION_WRITE_PARAMS = [
  'bucket', 'key', 'version_id', 'is_delete_marker', 'last_modified', 'owner_account_id', 'size', 'etag',
  'storage_class', 'content_headers', 'user_metadata', 'checksum_algorithm', 'checksum_value', 'checksum_type',
  'segments', 'part_sizes', 'tag_count', 'replication_status', 'row', 'tag_keys', 'tag_values', 'acl',
  'file_blobs', 'inline_blobs', 'inline_data', 'kind', 'event', 'now',
] as const;

/** What a version write adds besides its row: tags, ACL, blobs held, change-outbox row. `target` names the row. */
function versionExtras(target: string, result = `SELECT id, seq FROM ${target}`): string {
  return `tags AS (
    INSERT INTO object_tags (version_row, key, value)
    SELECT r.id, t.k, t.v FROM ${target} r, unnest($20::text[], $21::text[]) AS t (k, v)
  ), acl AS (
    INSERT INTO object_acls (version_row, acl) SELECT id, $22::text FROM ${target} WHERE $22::text IS NOT NULL
    ON CONFLICT (version_row) DO UPDATE SET acl = excluded.acl
  ), held AS (
    INSERT INTO version_blobs (blob_id, version_row) SELECT b, r.id FROM ${target} r, unnest($23::text[]) AS b
  ), inlined AS (
    INSERT INTO inline_blobs (blob_id, data) SELECT i, d FROM unnest($24::text[], $25::bytea[]) AS x (i, d)
    WHERE EXISTS (SELECT 1 FROM ${target})
  ), change AS (
    INSERT INTO change_outbox (bucket, key, version_id, kind, event, size, etag, at)
    SELECT $1, $2, $3, $26, $27, $7, $8, $28 FROM ${target} WHERE ${FOLLOWED('$1')}
  )
  ${result}`;
}

/**
 * The insert of a new latest version with the next seq, from writeParams' $1–$18 (the two writers of a new version
 * follow it with their own FROM: the transaction's, and the one-statement write's decision).
 */
const INSERT_NEW_LATEST = `INSERT INTO versions (
      seq, bucket, key, version_id, is_latest, is_delete_marker, last_modified, owner_account_id, size, etag,
      storage_class, content_headers, user_metadata, checksum_algorithm, checksum_value, checksum_type, segments,
      part_sizes, tag_count, replication_status
    )
    SELECT nextval('version_seq'), $1, $2, $3, 1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18`;

/**
 * A new latest version: demote the locked latest ($19, may be NULL), insert the row with the next seq, then its
 * tags, ACL, blobs and change-outbox row.
 */
export const WRITE_NEW_VERSION = `WITH demoted AS (
    UPDATE versions SET is_latest = 0 WHERE id = $19::bigint AND is_latest = 1 RETURNING id
  ), inserted AS (
    ${INSERT_NEW_LATEST}
    FROM (SELECT count(*) FROM demoted) AS d
    RETURNING id, seq
  ), ${versionExtras('inserted')}`;

/** The blob segments of the rows of `source` (a CTE with a `segments` column), split into file blobs and inline. */
function releaseSegments(source: string, now: string): string {
  return `seg AS (
    SELECT s ->> 'blobId' AS blob_id, coalesce((s ->> 'inline')::boolean, false) AS inline
    FROM ${source}, json_array_elements(${source}.segments::json) AS s
  ), unheld AS (
    DELETE FROM version_blobs WHERE blob_id IN (SELECT blob_id FROM seg WHERE NOT inline)
  ), released AS (
    INSERT INTO released_blobs (blob_id, released_at) SELECT blob_id, ${now} FROM seg WHERE NOT inline
    ON CONFLICT (blob_id) DO NOTHING
  ), uninlined AS (
    DELETE FROM inline_blobs WHERE blob_id IN (SELECT blob_id FROM seg WHERE inline)
  )`;
}

/**
 * The unversioned overwrite: the latest null version ($19) is rewritten in place with a new seq (its old segments
 * released, its ACL replaced or dropped). Its old tags were deleted by the previous statement and its new tags are
 * inserted by the next (so triggers on object_tags see the row as SQLite's do): the caller passes no tags ($20, $21
 * empty) here.
 */
export const OVERWRITE_NULL_VERSION = `WITH old AS (
    SELECT segments FROM versions WHERE id = $19::bigint
  ), ${releaseSegments('old', '$28::bigint')}, updated AS (
    UPDATE versions SET seq = nextval('version_seq'), is_delete_marker = $4, last_modified = $5,
      owner_account_id = $6, size = $7, etag = $8, storage_class = $9, content_headers = $10, user_metadata = $11,
      checksum_algorithm = $12, checksum_value = $13, checksum_type = $14, segments = $15, part_sizes = $16,
      tag_count = $17, replication_status = $18
    WHERE id = $19::bigint AND bucket = $1 AND key = $2 AND version_id = $3
    RETURNING id, seq
  ), acl_dropped AS (
    DELETE FROM object_acls WHERE version_row = $19::bigint AND $22::text IS NULL
  ), ${versionExtras('updated')}`;

/**
 * putVersion in one statement, outside a transaction, for the usual cases: the key's lock is free (taken without
 * waiting, held to the statement's end) and the write is a new latest version (demoting the latest), or an
 * unversioned overwrite of a null version that has no tags, with no tags. Anything else (the lock is held, the
 * latest moved or was written after the snapshot, tags to replace, a null version below the latest) writes nothing
 * and answers mode 'busy': the caller then runs the transaction (lockLatest, then WRITE_NEW_VERSION or
 * OVERWRITE_NULL_VERSION). Parameters: those of VERSION_WRITE_PARAMS, except $19, which is replaceNull.
 */
export const PUT_VERSION_AT_ONCE = `WITH gate AS (
    SELECT pg_try_advisory_xact_lock(hashtextextended($1 || '/' || $2, 0)) AS free
  ), latest AS (
    SELECT id, xmin::text AS born FROM versions WHERE bucket = $1 AND key = $2 AND is_latest = 1 AND (SELECT free FROM gate)
  ), locked AS (
    SELECT id, version_id, is_latest, tag_count, segments, xmin::text AS born FROM versions
    WHERE id = (SELECT id FROM latest) FOR UPDATE
  ), decision AS (
    SELECT CASE
        WHEN NOT g.free THEN 'busy'
        WHEN (SELECT count(*) FROM latest) = 0 THEN 'insert'
        WHEN l.id IS NULL OR l.is_latest <> 1 OR l.born <> (SELECT born FROM latest) THEN 'busy'
        WHEN NOT $19::boolean THEN 'insert'
        WHEN l.version_id = 'null' AND l.tag_count = 0 AND cardinality($20::text[]) = 0 THEN 'overwrite'
        ELSE 'busy'
      END AS mode,
      l.id AS row_id, l.segments
    FROM gate g LEFT JOIN locked l ON true
  ), demoted AS (
    UPDATE versions SET is_latest = 0 WHERE id = (SELECT row_id FROM decision WHERE mode = 'insert') AND is_latest = 1
    RETURNING id
  ), inserted AS (
    ${INSERT_NEW_LATEST}
    FROM decision, (SELECT count(*) FROM demoted) AS d WHERE decision.mode = 'insert'
    RETURNING id, seq
  ), old AS (
    SELECT segments FROM decision WHERE mode = 'overwrite'
  ), ${releaseSegments('old', '$28::bigint')}, updated AS (
    UPDATE versions SET seq = nextval('version_seq'), is_delete_marker = $4, last_modified = $5,
      owner_account_id = $6, size = $7, etag = $8, storage_class = $9, content_headers = $10, user_metadata = $11,
      checksum_algorithm = $12, checksum_value = $13, checksum_type = $14, segments = $15, part_sizes = $16,
      tag_count = $17, replication_status = $18
    WHERE id = (SELECT row_id FROM decision WHERE mode = 'overwrite')
    RETURNING id, seq
  ), acl_dropped AS (
    DELETE FROM object_acls WHERE version_row = (SELECT row_id FROM decision WHERE mode = 'overwrite') AND $22::text IS NULL
  ), written AS (
    SELECT id, seq FROM inserted UNION ALL SELECT id, seq FROM updated
  ), ${versionExtras('written', 'SELECT (SELECT mode FROM decision) AS mode, (SELECT seq FROM written) AS seq')}`;

export const DELETE_TAGS_OF_ROW = 'DELETE FROM object_tags WHERE version_row = $1';
export const INSERT_TAGS_OF_ROW = `INSERT INTO object_tags (version_row, key, value)
  SELECT $1, t.k, t.v FROM unnest($2::text[], $3::text[]) AS t (k, v)`;

/**
 * Remove a version (by bucket, key, version id; optionally only while it still has seq $4): its change-outbox row,
 * its segments released, and when it was the latest, the key's next newest version promoted. Returns the row removed.
 * Parameters: bucket, key, version id, seq (or NULL), event, now.
 */
export const REMOVE_VERSION = `WITH gone AS (
    DELETE FROM versions WHERE bucket = $1 AND key = $2 AND version_id = $3 AND ($4::bigint IS NULL OR seq = $4::bigint)
    RETURNING ${VERSION_COLUMNS}
  ), ${releaseSegments('gone', '$6::bigint')}, change AS (
    INSERT INTO change_outbox (bucket, key, version_id, kind, event, size, etag, at)
    SELECT bucket, key, version_id, 'delete-version', $5, size, etag, $6 FROM gone WHERE ${FOLLOWED('$1')}
  ), promoted AS (
    UPDATE versions SET is_latest = 1
    WHERE id = (
      SELECT n.id FROM versions n WHERE n.bucket = $1 AND n.key = $2 AND n.id NOT IN (SELECT id FROM gone)
      ORDER BY n.seq DESC LIMIT 1
    ) AND is_latest = 0 AND EXISTS (SELECT 1 FROM gone WHERE gone.is_latest = 1)
  )
  SELECT ${VERSION_COLUMNS} FROM gone`;

/**
 * Replace a version's tags ($1 = row): only the rows that change (a kept tag is neither deleted nor rewritten), the
 * count (written even when unchanged: the row is rewritten with its tags, see KEY_GATE), and the change-outbox row.
 * Parameters: row, keys, values, count, event, now.
 */
export const REPLACE_TAGS = `WITH dropped AS (
    DELETE FROM object_tags WHERE version_row = $1 AND NOT (key = ANY ($2::text[]))
  ), written AS (
    INSERT INTO object_tags (version_row, key, value) SELECT $1, t.k, t.v FROM unnest($2::text[], $3::text[]) AS t (k, v)
    ON CONFLICT (version_row, key) DO UPDATE SET value = excluded.value WHERE object_tags.value <> excluded.value
  ), counted AS (
    UPDATE versions SET tag_count = $4 WHERE id = $1
  )
  INSERT INTO change_outbox (bucket, key, version_id, kind, event, size, etag, at)
  SELECT v.bucket, v.key, v.version_id, 'tags', $5, v.size, v.etag, $6 FROM versions v
  WHERE v.id = $1 AND ${FOLLOWED('v.bucket')}`;

/**
 * replaceTags as one statement outside any transaction, when the key's lock is free (as PUT_VERSION_AT_ONCE): the
 * version is locked, checked (missing, delete marker, written after the snapshot) and its tags replaced as
 * REPLACE_TAGS does. Returns one row: `mode` ('ok', 'missing', 'delete-marker', or 'busy': nothing written, run
 * the transaction) and the version's columns as they were before the write. Parameters: bucket, key, [version id], keys, values, event, now.
 */
export function replaceTagsAtOnceSql(byVersionId: boolean): string {
  const which = byVersionId ? 'version_id = $3' : 'is_latest = 1';
  const p = byVersionId ? ['$4', '$5', '$6', '$7'] : ['$3', '$4', '$5', '$6'];
  const [keys, values, event, now] = p as [string, string, string, string];
  return `WITH gate AS (
    SELECT pg_try_advisory_xact_lock(hashtextextended($1 || '/' || $2, 0)) AS free
  ), target AS (
    SELECT id, xmin::text AS born FROM versions WHERE bucket = $1 AND key = $2 AND ${which} AND (SELECT free FROM gate)
  ), locked AS (
    SELECT ${VERSION_COLUMNS}, xmin::text AS born FROM versions WHERE id = (SELECT id FROM target) FOR UPDATE
  ), decision AS (
    SELECT CASE
        WHEN NOT g.free THEN 'busy'
        WHEN (SELECT count(*) FROM target) = 0 THEN 'missing'
        WHEN l.id IS NULL ${byVersionId ? '' : 'OR l.is_latest <> 1'} OR l.born <> (SELECT born FROM target) THEN 'busy'
        WHEN l.is_delete_marker = 1 THEN 'delete-marker'
        ELSE 'ok'
      END AS mode,
      l.id AS row_id
    FROM gate g LEFT JOIN locked l ON true
  ), ok AS (
    SELECT row_id FROM decision WHERE mode = 'ok'
  ), dropped AS (
    DELETE FROM object_tags WHERE version_row = (SELECT row_id FROM ok) AND NOT (key = ANY (${keys}::text[]))
  ), written AS (
    INSERT INTO object_tags (version_row, key, value)
    SELECT ok.row_id, t.k, t.v FROM ok, unnest(${keys}::text[], ${values}::text[]) AS t (k, v)
    ON CONFLICT (version_row, key) DO UPDATE SET value = excluded.value WHERE object_tags.value <> excluded.value
  ), counted AS (
    UPDATE versions SET tag_count = cardinality(${keys}::text[]) WHERE id = (SELECT row_id FROM ok)
  ), change AS (
    INSERT INTO change_outbox (bucket, key, version_id, kind, event, size, etag, at)
    SELECT l.bucket, l.key, l.version_id, 'tags', ${event}::text, l.size, l.etag, ${now}::bigint FROM locked l, ok
    WHERE ${FOLLOWED('$1')}
  )
  SELECT d.mode, l.* FROM decision d LEFT JOIN locked l ON true`;
}

export type ListingKind = 'live' | 'all';

/** One listing statement per shape of key range (see the SQLite twin). Parameters: bucket, lower, [upper], limit. */
export function listingSql(kind: ListingKind, lowerInclusive: boolean, hasUpper: boolean): string {
  const live = kind === 'live' ? 'AND is_latest = 1 AND is_delete_marker = 0' : '';
  const order = kind === 'live' ? 'key' : 'key, seq DESC';
  const lower = lowerInclusive ? '>=' : '>';
  const upper = hasUpper ? 'AND key < $3' : '';
  const limit = hasUpper ? '$4' : '$3';
  return `SELECT ${VERSION_COLUMNS} FROM versions WHERE bucket = $1 ${live} AND key ${lower} $2 ${upper} ORDER BY ${order} LIMIT ${limit}`;
}
