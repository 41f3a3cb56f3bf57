import type { BatchTagOutcome, UnitTagWrites } from '../../../../core/ports/JobStore.js';
import type { Tag } from '../../../../core/tags/Tag.js';
import { tagChanges } from '../../rows/tagChanges.js';
import type { Tx } from '../PostgresDatabase.js';

/**
 * The versions a unit addresses, found and locked (FOR UPDATE) in one statement, in row-id order (concurrent units
 * lock in the same order). A target's version is its version id's, or the key's latest (highest seq).
 */
const LOCK_TARGETS = `
SELECT t.ord, v.id, v.is_delete_marker, v.tag_count
  FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(bucket, key, version_id, ord)
  JOIN versions v ON v.id = (
    SELECT c.id FROM versions c
     WHERE c.bucket = t.bucket AND c.key = t.key AND (t.version_id IS NULL OR c.version_id = t.version_id)
     ORDER BY c.seq DESC LIMIT 1)
 ORDER BY v.id
 FOR UPDATE OF v`;

const SELECT_TAGS = 'SELECT version_row, key, value FROM object_tags WHERE version_row = ANY($1::bigint[])';
const DELETE_TAGS = `DELETE FROM object_tags o USING unnest($1::bigint[], $2::text[]) AS d(version_row, key)
  WHERE o.version_row = d.version_row AND o.key = d.key`;
const UPDATE_TAGS = `UPDATE object_tags o SET value = u.value FROM unnest($1::bigint[], $2::text[], $3::text[]) AS u(version_row, key, value)
  WHERE o.version_row = u.version_row AND o.key = u.key`;
const INSERT_TAGS = 'INSERT INTO object_tags (version_row, key, value) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[])';
const SET_TAG_COUNT = 'UPDATE versions SET tag_count = $2 WHERE id = ANY($1::bigint[])';
/** One outbox row per tag write of a followed bucket, in the unit's order; seq is given when a reader takes it. */
const LOG_CHANGES = `INSERT INTO change_outbox (bucket, key, version_id, kind, event, size, etag, at)
  SELECT v.bucket, v.key, v.version_id, 'tags', $2, v.size, v.etag, $3
    FROM unnest($1::bigint[]) WITH ORDINALITY AS u(id, ord) JOIN versions v ON v.id = u.id
   WHERE EXISTS (SELECT 1 FROM change_feeds f WHERE f.bucket = v.bucket)
   ORDER BY u.ord`;

/** Rows for the statements above, column by column (unnest's arrays). */
class Columns {
  readonly rows: number[] = [];
  readonly keys: string[] = [];
  readonly values: string[] = [];
  add(row: number, key: string, value?: string): void {
    this.rows.push(row);
    this.keys.push(key);
    if (value !== undefined) this.values.push(value);
  }
}

/**
 * A batch unit's tag writes, inside the caller's transaction, with PutObjectTagging's rules and the invariants of
 * every tag write: each target version locked before it is written; only the tag rows that change are written
 * (tagChanges); `tag_count` kept; a change-outbox row (kind 'tags', `s3:ObjectTagging:Put` or `:Delete`) for each
 * write to a followed bucket. A handful of set-based statements whatever the unit's size. Returns each target's
 * outcome, in order.
 *
 * The caller has taken the write locks of the targets' keys (LOCK_KEYS of versionSql.ts) before its first row lock,
 * as every writer of a key does: no other writer changes these keys until the unit commits, and the change outbox's
 * (txid, id) order follows each key's writes.
 */
export async function applyUnitTagWrites(tx: Tx, writes: UnitTagWrites, now: number): Promise<BatchTagOutcome[]> {
  const { targets, tags } = writes;
  if (targets.length === 0) return [];
  const results: BatchTagOutcome[] = targets.map(() => 'missing');
  const found = await tx.query<{ ord: number; id: number; is_delete_marker: number; tag_count: number }>(
    LOCK_TARGETS,
    [targets.map((t) => t.bucket), targets.map((t) => t.key), targets.map((t) => t.versionId ?? null)],
    'batch-lock-tag-targets',
  );
  const rowOf = new Map<number, number>();
  const tagCounts = new Map<number, number>();
  for (const r of found.rows) {
    results[r.ord - 1] = r.is_delete_marker === 1 ? 'delete-marker' : 'ok';
    rowOf.set(r.ord - 1, r.id);
    if (r.is_delete_marker !== 1) tagCounts.set(r.id, r.tag_count);
  }
  // the rows written, once each, and the writes in the unit's order (a manifest may name a version twice)
  const written: number[] = [];
  results.forEach((result, i) => {
    if (result === 'ok') written.push(rowOf.get(i)!);
  });
  if (written.length === 0) return results;

  const tagged = [...tagCounts].filter(([, count]) => count > 0).map(([id]) => id);
  const current = new Map<number, Tag[]>();
  if (tagged.length > 0) {
    const rows = await tx.query<{ version_row: number; key: string; value: string }>(SELECT_TAGS, [tagged], 'batch-select-tags');
    for (const r of rows.rows) {
      let list = current.get(r.version_row);
      if (list === undefined) current.set(r.version_row, (list = []));
      list.push({ key: r.key, value: r.value });
    }
  }
  const remove = new Columns();
  const update = new Columns();
  const insert = new Columns();
  // rows whose count changes, and rows given a tag key they did not have: the version row is rewritten for those
  // (KEY_GATE in versionSql.ts); a changed value or a removed key needs nothing, its UPDATE or DELETE is seen
  const rewrite: number[] = [];
  for (const [id, count] of tagCounts) {
    const changes = tagChanges(current.get(id) ?? [], tags);
    for (const key of changes.remove) remove.add(id, key);
    for (const tag of changes.update) update.add(id, tag.key, tag.value);
    for (const tag of changes.insert) insert.add(id, tag.key, tag.value);
    if (count !== tags.length || changes.insert.length > 0) rewrite.push(id);
  }
  if (remove.rows.length > 0) await tx.query(DELETE_TAGS, [remove.rows, remove.keys], 'batch-delete-tags');
  if (update.rows.length > 0) await tx.query(UPDATE_TAGS, [update.rows, update.keys, update.values], 'batch-update-tags');
  if (insert.rows.length > 0) await tx.query(INSERT_TAGS, [insert.rows, insert.keys, insert.values], 'batch-insert-tags');
  if (rewrite.length > 0) await tx.query(SET_TAG_COUNT, [rewrite, tags.length], 'batch-set-tag-count');
  const event = tags.length === 0 ? 's3:ObjectTagging:Delete' : 's3:ObjectTagging:Put';
  await tx.query(LOG_CHANGES, [written, event, now], 'batch-log-tag-changes');
  return results;
}
