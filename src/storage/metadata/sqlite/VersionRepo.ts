import type { Database, Statement } from 'better-sqlite3';
import { NULL_VERSION_ID, type NewObjectVersion, type ObjectVersion } from '../../../core/objects/ObjectVersion.js';
import type { TaggedVersion } from '../../../core/ports/VersionStore.js';
import type { Tag } from '../../../core/tags/Tag.js';
import { tagChanges } from '../rows/tagChanges.js';
import { compareUtf8, listingLowerBound, prefixUpperBound } from '../../../core/keys/keyOrder.js';
import type { AccessRepo } from './AccessRepo.js';
import type { BlobLedger } from './BlobLedger.js';
import { ChangeLog } from './ChangeLog.js';
import {
  DEMOTE_LATEST,
  INSERT_VERSION,
  NEXT_SEQ,
  OVERWRITE_VERSION,
  PROMOTE_NEWEST,
  SELECT_BY_VERSION_ID,
  SELECT_LATEST,
  SELECT_LATEST_TARGETS,
  SELECT_LIVE_TARGETS,
  SELECT_TARGETS_BY_ID,
  SELECT_OLDER_OF_KEY,
  tagCountOf,
  listingSql,
  type ListingKind,
} from './versionSql.js';
import {
  insertedVersion,
  parseSegments,
  toInsertParams,
  toObjectVersion,
  type VersionInsertParams,
  type VersionRow,
} from '../rows/versionRows.js';

/** The row a tag write addresses. */
export interface TagTarget {
  readonly id: number;
  readonly is_delete_marker: number;
  readonly tag_count: number;
}

/** What findTagTargets' statements return, parsed (versionSql.targetColumns): the rows found, column by column. */
type TargetColumns = [indices: number[], ids: number[], deleteMarkers: number[], tagCounts: number[]];
/** TagTarget with the version's id, which a single tag write reports (VersionStore.replaceTags). */
export interface TagWriteTarget extends TagTarget {
  readonly version_id: string;
}

type RangeStatements = Record<'from' | 'fromTo', Record<'inclusive' | 'exclusive', Statement<unknown[], VersionRow>>>;

/**
 * Object versions with their tags, on synchronous better-sqlite3 statements prepared once.
 *
 * Invariant: for each (bucket, key) exactly the version with the highest seq has is_latest = 1. Every method that
 * adds or removes a version keeps it, so "latest" is one index seek and listing current objects reads only the
 * `versions_live` partial index.
 */
export class VersionRepo {
  private readonly selectLatest: Statement<[string, string], VersionRow>;
  private readonly selectById: Statement<[string, string, string], VersionRow>;
  private readonly insertVersion: Statement<[VersionInsertParams]>;
  private readonly overwriteVersion: Statement<[VersionInsertParams & { id: number }]>;
  private readonly nextSeq: Statement<[], number>;
  private readonly deleteRow: Statement<[number]>;
  private readonly deleteIfSeq: Statement<[string, string, string, number], { segments: string; is_latest: number }>;
  private readonly demoteLatest: Statement<[string, string]>;
  private readonly promoteNewest: Statement<[string, string]>;
  private readonly insertTag: Statement<[number, string, string]>;
  private readonly deleteTags: Statement<[number]>;
  private readonly deleteTag: Statement<[number, string]>;
  private readonly updateTag: Statement<[string, number, string]>;
  private readonly selectTags: Statement<[number], Tag>;
  private readonly insertTagsOfRows: Statement<[string, string]>;
  private readonly deleteTagsOfRowsNotIn: Statement<[string, string]>;
  private readonly insertMissingTagsOfRows: Statement<[string, string]>;
  private readonly anyInBucket: Statement<[string], number>;
  private readonly liveRange: RangeStatements;
  private readonly allRange: RangeStatements;
  private readonly olderOfKey: Statement<[string, string, number, number], VersionRow>;
  private readonly selectLatestTargets: Statement<[string, string], string>;
  private readonly selectLiveTargets: Statement<[string, string], string>;
  private readonly selectTargetsById: Statement<[string, string], string>;
  private readonly selectLatestWriteTarget: Statement<[string, string], TagWriteTarget>;
  private readonly selectWriteTargetById: Statement<[string, string, string], TagWriteTarget>;
  /** Every change below is also a row of the change outbox (for followed buckets), in the same transaction. */
  private readonly changes: ChangeLog;

  constructor(
    db: Database,
    private readonly ledger: BlobLedger,
    private readonly access: AccessRepo,
  ) {
    this.changes = new ChangeLog(db);
    this.selectLatest = db.prepare(SELECT_LATEST);
    this.selectById = db.prepare(SELECT_BY_VERSION_ID);
    this.insertVersion = db.prepare(INSERT_VERSION);
    this.overwriteVersion = db.prepare(OVERWRITE_VERSION);
    this.nextSeq = db.prepare<[], number>(NEXT_SEQ).pluck();
    this.deleteRow = db.prepare('DELETE FROM versions WHERE id = ?');
    this.deleteIfSeq = db.prepare(
      'DELETE FROM versions WHERE bucket = ? AND key = ? AND version_id = ? AND seq = ? RETURNING segments, is_latest',
    );
    this.demoteLatest = db.prepare(DEMOTE_LATEST);
    this.promoteNewest = db.prepare(PROMOTE_NEWEST);
    this.insertTag = db.prepare('INSERT INTO object_tags (version_row, key, value) VALUES (?, ?, ?)');
    this.deleteTags = db.prepare('DELETE FROM object_tags WHERE version_row = ?');
    this.deleteTag = db.prepare('DELETE FROM object_tags WHERE version_row = ? AND key = ?');
    this.updateTag = db.prepare('UPDATE object_tags SET value = ? WHERE version_row = ? AND key = ?');
    this.selectTags = db.prepare('SELECT key, value FROM object_tags WHERE version_row = ? ORDER BY key');
    // replaceTagsOfRows: the rows are a JSON array of version row ids, the tag set a JSON array of [key, value] pairs
    this.insertTagsOfRows = db.prepare(`INSERT INTO object_tags (version_row, key, value)
      SELECT r.value, t.value ->> 0, t.value ->> 1 FROM json_each(?) AS r CROSS JOIN json_each(?) AS t`);
    this.deleteTagsOfRowsNotIn = db.prepare(`DELETE FROM object_tags WHERE version_row IN (SELECT value FROM json_each(?))
      AND (key, value) NOT IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))`);
    this.insertMissingTagsOfRows = db.prepare(`INSERT INTO object_tags (version_row, key, value)
      SELECT r.value, t.value ->> 0, t.value ->> 1 FROM json_each(?) AS r CROSS JOIN json_each(?) AS t
      WHERE NOT EXISTS (SELECT 1 FROM object_tags o WHERE o.version_row = r.value AND o.key = t.value ->> 0)`);
    this.anyInBucket = db.prepare<[string], number>('SELECT 1 FROM versions WHERE bucket = ? LIMIT 1').pluck();
    const range = (kind: ListingKind): RangeStatements => {
      const make = (inclusive: boolean, hasUpper: boolean): Statement<unknown[], VersionRow> =>
        db.prepare(listingSql(kind, inclusive, hasUpper));
      return {
        from: { inclusive: make(true, false), exclusive: make(false, false) },
        fromTo: { inclusive: make(true, true), exclusive: make(false, true) },
      };
    };
    this.liveRange = range('live');
    this.allRange = range('all');
    this.olderOfKey = db.prepare(SELECT_OLDER_OF_KEY);
    // findTagTargets: the keys (or [key, versionId] pairs) are a JSON array; the rows found come back as one JSON text
    this.selectLatestTargets = db.prepare<[string, string], string>(SELECT_LATEST_TARGETS).pluck();
    this.selectLiveTargets = db.prepare<[string, string], string>(SELECT_LIVE_TARGETS).pluck();
    this.selectTargetsById = db.prepare<[string, string], string>(SELECT_TARGETS_BY_ID).pluck();
    this.selectLatestWriteTarget = db.prepare(
      `SELECT id, is_delete_marker, ${tagCountOf('versions')} AS tag_count, version_id FROM versions WHERE bucket = ? AND key = ? ORDER BY seq DESC LIMIT 1`,
    );
    this.selectWriteTargetById = db.prepare(
      `SELECT id, is_delete_marker, ${tagCountOf('versions')} AS tag_count, version_id FROM versions WHERE bucket = ? AND key = ? AND version_id = ?`,
    );
  }

  /**
   * find(), reading only what a tag write needs (row id, delete marker, tag count, version id): several times cheaper
   * than the whole row parsed into a version (VersionStore.replaceTags, getTagsOnly).
   */
  findTagTarget(bucket: string, key: string, versionId?: string): TagWriteTarget | undefined {
    return versionId === undefined ? this.selectLatestWriteTarget.get(bucket, key) : this.selectWriteTargetById.get(bucket, key, versionId);
  }

  /**
   * findTagTarget for many objects of one bucket in one statement (bulk tag writers: a unit of a batch job looks up
   * its 20,000 objects several times faster than one statement each). `versionIds`: absent for the latest versions,
   * else one per key. The result has one entry per key, in order: undefined where nothing was found.
   */
  findTagTargets(bucket: string, keys: readonly string[], versionIds?: readonly string[]): (TagTarget | undefined)[] {
    const found: (TagTarget | undefined)[] = new Array<TagTarget | undefined>(keys.length).fill(undefined);
    if (versionIds !== undefined) {
      const pairs = JSON.stringify(keys.map((key, i) => [key, versionIds[i]]));
      fillTargets(found, this.selectTargetsById.get(pairs, bucket)!, undefined);
      return found;
    }
    // current objects from the live index first; the rest (delete markers, missing keys) by their newest version
    const live = fillTargets(found, this.selectLiveTargets.get(JSON.stringify(keys), bucket)!, undefined);
    if (live === keys.length) return found;
    const others: number[] = [];
    for (let i = 0; i < keys.length; i++) if (found[i] === undefined) others.push(i);
    fillTargets(found, this.selectLatestTargets.get(JSON.stringify(others.map((i) => keys[i])), bucket)!, others);
    return found;
  }

  // ---- reads ----

  find(bucket: string, key: string, versionId?: string): VersionRow | undefined {
    return versionId === undefined ? this.selectLatest.get(bucket, key) : this.selectById.get(bucket, key, versionId);
  }

  tagsOf(versionRow: number): Tag[] {
    return this.selectTags.all(versionRow);
  }

  bucketHasVersions(bucket: string): boolean {
    return this.anyInBucket.get(bucket) !== undefined;
  }

  listLatest(bucket: string, prefix: string, after: string | undefined, limit: number): ObjectVersion[] {
    return this.rangeQuery(this.liveRange, bucket, prefix, after, limit).map(toObjectVersion);
  }

  listVersions(
    bucket: string,
    prefix: string,
    after: { key: string; afterSeq?: number } | undefined,
    limit: number,
  ): ObjectVersion[] {
    if (limit <= 0) return [];
    const rows: VersionRow[] = [];
    if (after?.afterSeq !== undefined && after.key.startsWith(prefix)) {
      // The rest of the marker key's stack first: its versions older than afterSeq.
      rows.push(...this.olderOfKey.all(bucket, after.key, after.afterSeq, limit));
    }
    if (rows.length < limit) rows.push(...this.rangeQuery(this.allRange, bucket, prefix, after?.key, limit - rows.length));
    return rows.map(toObjectVersion);
  }

  // ---- writes (run inside a transaction) ----

  /** Insert a new latest version with its tags and ACL (see VersionStore.putVersion). */
  insert(version: NewObjectVersion, replaceNull: boolean): ObjectVersion {
    const seq = this.nextSeq.get();
    if (seq === undefined) throw new Error('version_seq counter is missing');
    const params = toInsertParams(version, seq);
    let row: number;
    const existingNull = replaceNull ? this.selectById.get(version.bucket, version.key, NULL_VERSION_ID) : undefined;
    if (existingNull !== undefined && existingNull.is_latest === 1) {
      // The common unversioned overwrite: reuse the row (the new seq drops its ACL: see migration 004).
      row = existingNull.id;
      this.deleteTags.run(row);
      this.ledger.releaseVersionSegments(parseSegments(existingNull.segments));
      this.overwriteVersion.run({ ...params, id: row });
    } else {
      if (existingNull !== undefined) this.removeRow(existingNull);
      this.demoteLatest.run(version.bucket, version.key);
      row = Number(this.insertVersion.run(params).lastInsertRowid);
    }
    for (const tag of version.tags) this.insertTag.run(row, tag.key, tag.value);
    if (version.acl !== undefined) this.access.setObjectAcl(row, version.acl);
    this.ledger.holdForVersion(row, version.segments, version.inlineData);
    if (version.isDeleteMarker) this.changes.row(row, 'delete-marker', version.event ?? 's3:ObjectRemoved:DeleteMarkerCreated');
    else this.changes.row(row, 'put', version.event ?? 's3:ObjectCreated:Put');
    return insertedVersion(version, seq);
  }

  /** Remove one version; the next newest becomes latest. */
  remove(bucket: string, key: string, versionId: string): ObjectVersion | undefined {
    const row = this.selectById.get(bucket, key, versionId);
    if (row === undefined) return undefined;
    this.removeRow(row);
    if (row.is_latest === 1) this.promoteNewest.run(bucket, key);
    return toObjectVersion(row);
  }

  /**
   * remove(), only if the version still has `seq` (a guarded bulk remover: lifecycle passes, whose removals are
   * `s3:LifecycleExpiration:Delete` events), in one statement.
   * `onlyVersion`: the caller knows the key has no other version (a never-versioned bucket), so none to promote.
   * False when the version is gone or changed.
   */
  removeIfSeq(bucket: string, key: string, versionId: string, seq: number, onlyVersion = false): boolean {
    const row = this.deleteIfSeq.get(bucket, key, versionId, seq);
    if (row === undefined) return false;
    this.changes.version(bucket, key, versionId, 'delete-version', 's3:LifecycleExpiration:Delete');
    this.ledger.releaseVersionSegments(parseSegments(row.segments));
    if (row.is_latest === 1 && !onlyVersion) this.promoteNewest.run(bucket, key);
    return true;
  }

  /**
   * Replace the tag set of a version of `bucket`; the caller has checked it is not a delete marker. Whether the bucket
   * is followed is asked first (a read), so an unfollowed bucket's write runs no change-outbox INSERT.
   */
  replaceTags(bucket: string, target: TagWriteTarget, tags: readonly Tag[]): TaggedVersion {
    this.replaceTagsOfRow(target.id, tags, target.tag_count, this.changes.isFollowed(bucket));
    return { versionId: target.version_id, tagCount: tags.length };
  }

  /**
   * replaceTags by row id (see findTagTarget); the caller has checked it is not a delete marker. Given the row's
   * current tag_count (which always equals its number of object_tags rows), it skips the statements that would change
   * nothing: the tag rows that stay as they are (tagChanges), the UPDATE of the count when it stays the same. `followed`: whether
   * the version's bucket is followed, when the caller asked `bucketFollowed` in this transaction (bulk writers);
   * undefined looks it up with the change.
   */
  replaceTagsOfRow(id: number, tags: readonly Tag[], currentCount?: number, followed?: boolean): void {
    if (currentCount === 0) {
      for (const tag of tags) this.insertTag.run(id, tag.key, tag.value);
    } else {
      // only the rows that change: a tag kept as it was is neither deleted nor inserted again
      const current = this.selectTags.all(id);
      const { remove, update, insert } = tagChanges(current, tags);
      if (remove.length > 1 && remove.length === current.length) this.deleteTags.run(id);
      else for (const key of remove) this.deleteTag.run(id, key);
      for (const tag of update) this.updateTag.run(tag.value, id, tag.key);
      for (const tag of insert) this.insertTag.run(id, tag.key, tag.value);
    }
    const event = tags.length === 0 ? 's3:ObjectTagging:Delete' : 's3:ObjectTagging:Put';
    if (followed === undefined) this.changes.row(id, 'tags', event);
    else if (followed) this.changes.rowOfFollowed(id, 'tags', event);
  }

  /**
   * replaceTagsOfRow for many rows and one tag set, in a handful of set-based statements (bulk writers: S3 Batch
   * Operations). `untagged`: rows known to have no tags now (tag_count 0); `tagged`: the others; each row at most once in
   * the two lists. Only the tag rows that change are written: a row's tags whose key and value stay are kept, the others
   * deleted, the missing keys inserted (so the triggers of migration 012 see exactly the rows that change).
   * `logged`: the rows whose change goes to the change outbox (rows of buckets
   * known, in this transaction, to be followed), in write order, a row once per write of it.
   *
   * Why set-based: a statement on object_tags fires its triggers, so SQLite gives it a statement journal, and inside a
   * group commit's savepoint closing that journal walks the savepoint's whole in-memory sub-journal, which grows with every
   * page the transaction has changed: one such statement per row made a 20,000-row unit quadratic.
   */
  replaceTagsOfRows(untagged: readonly number[], tagged: readonly number[], tags: readonly Tag[], logged: readonly number[]): void {
    const pairs = JSON.stringify(tags.map((t) => [t.key, t.value]));
    if (tagged.length > 0) {
      const rows = JSON.stringify(tagged);
      this.deleteTagsOfRowsNotIn.run(rows, pairs);
      if (tags.length > 0) this.insertMissingTagsOfRows.run(rows, pairs);
    }
    if (untagged.length > 0 && tags.length > 0) {
      const rows = JSON.stringify(untagged);
      this.insertTagsOfRows.run(rows, pairs);
    }
    this.changes.rowsOfFollowed(logged, 'tags', tags.length === 0 ? 's3:ObjectTagging:Delete' : 's3:ObjectTagging:Put');
  }

  /** Whether changes to the bucket go to the change outbox (see ChangeLog.isFollowed). */
  bucketFollowed(bucket: string): boolean {
    return this.changes.isFollowed(bucket);
  }

  private removeRow(row: VersionRow): void {
    this.changes.row(row.id, 'delete-version', 's3:ObjectRemoved:Delete');
    this.deleteRow.run(row.id); // object_tags rows go by the trigger object_tags_version_delete
    this.ledger.releaseVersionSegments(parseSegments(row.segments));
  }

  private rangeQuery(
    statements: RangeStatements,
    bucket: string,
    prefix: string,
    after: string | undefined,
    limit: number,
  ): VersionRow[] {
    if (limit <= 0) return [];
    const lower = listingLowerBound(prefix, after);
    const upper = prefixUpperBound(prefix);
    const side = lower.inclusive ? 'inclusive' : 'exclusive';
    if (upper === undefined) return statements.from[side].all(bucket, lower.value, limit);
    if (compareUtf8(lower.value, upper) >= 0) return [];
    return statements.fromTo[side].all(bucket, lower.value, upper, limit);
  }
}

/**
 * Put the targets of a findTagTargets statement's result (TargetColumns as JSON) into `found`, at the index each row
 * names (through `positions` when the statement looked up a subset); returns how many rows there were.
 */
function fillTargets(found: (TagTarget | undefined)[], json: string, positions: readonly number[] | undefined): number {
  const [indices, ids, deleteMarkers, tagCounts] = JSON.parse(json) as TargetColumns;
  for (let r = 0; r < indices.length; r++) {
    const at = positions === undefined ? indices[r]! : positions[indices[r]!]!;
    found[at] = { id: ids[r]!, is_delete_marker: deleteMarkers[r]!, tag_count: tagCounts[r]! };
  }
  return indices.length;
}
