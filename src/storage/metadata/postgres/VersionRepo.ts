import { compareUtf8, listingLowerBound, prefixUpperBound } from '../../../core/keys/keyOrder.js';
import { NULL_VERSION_ID, type NewObjectVersion, type ObjectVersion } from '../../../core/objects/ObjectVersion.js';
import type { Tag } from '../../../core/tags/Tag.js';
import { insertedVersion, toInsertParams, toObjectVersion, type VersionRow } from '../rows/versionRows.js';
import { isUniqueViolation } from './PostgresDatabase.js';
import type { Queryable } from './Queryable.js';
import {
  ANY_IN_BUCKET,
  DELETE_TAGS_OF_ROW,
  INSERT_TAGS_OF_ROW,
  LOCK_BY_VERSION_ID,
  LOCK_KEYS,
  LOCK_LATEST,
  OVERWRITE_NULL_VERSION,
  PUT_VERSION_AT_ONCE,
  REMOVE_VERSION,
  REPLACE_TAGS,
  SELECT_BY_VERSION_ID,
  SELECT_LATEST,
  SELECT_OLDER_OF_KEY,
  WRITE_NEW_VERSION,
  listingSql,
  replaceTagsAtOnceSql,
  type ListingKind,
} from './versionSql.js';

/** How many times a writer looks again for a key's latest version that moved while it waited (see lockLatest). */
const MAX_LOCK_ROUNDS = 1000;

/**
 * Two first writers of one key raced (the unique indexes versions_one_latest, or versions_by_version_id for two null
 * versions, chose one): the other's transaction runs again and then finds the winner's row to lock.
 */
export function isVersionRace(error: unknown): boolean {
  return isUniqueViolation(error, 'versions_one_latest') || isUniqueViolation(error, 'versions_by_version_id');
}

/** What LOCK_LATEST and LOCK_BY_VERSION_ID return (the version's columns are NULL when none was locked). */
type LockedRow = VersionRow & { readonly waited: boolean; readonly found: number };

/** A version's tags as json_agg(json_build_array(key, value)) returns them. */
export type TagPairs = [string, string][] | null;

export function pairsToTags(pairs: TagPairs): Tag[] {
  return pairs === null ? [] : pairs.map(([key, value]) => ({ key, value }));
}

/**
 * Object versions with their tags, on PostgreSQL. Same invariant as the SQLite twin: for each (bucket, key) exactly
 * the version with the highest seq has is_latest = 1 (the unique partial index versions_one_latest enforces "at most
 * one").
 *
 * Concurrency (several nodes on one database): every write of a key first takes the key's write lock and locks its
 * latest row (`lockLatest`: a per-key advisory lock, then SELECT … FOR UPDATE) before any other lock or write of
 * its transaction, so writers of one key take turns and their transaction ids follow their order (the change feed
 * reads the outbox in that order); a transaction writing several keys takes all their locks first (`lockKeys`).
 * Two first writers of a key that both saw no row are told apart by versions_one_latest (or
 * versions_by_version_id for two null versions): the loser's transaction is run again (`isVersionRace`). seq comes
 * from the sequence version_seq, drawn after the lock. `insertAtOnce` and `replaceTagsAtOnce` do the same in one
 * statement when the key's lock is free.
 */
export class VersionRepo {
  constructor(private readonly now: () => number = Date.now) {}

  // ---- reads ----

  async find(sql: Queryable, bucket: string, key: string, versionId?: string): Promise<VersionRow | undefined> {
    const result =
      versionId === undefined
        ? await sql.query<VersionRow>(SELECT_LATEST, [bucket, key], 'tessera_v_latest')
        : await sql.query<VersionRow>(SELECT_BY_VERSION_ID, [bucket, key, versionId], 'tessera_v_by_id');
    return result.rows[0];
  }

  async bucketHasVersions(sql: Queryable, bucket: string): Promise<boolean> {
    return (await sql.query(ANY_IN_BUCKET, [bucket], 'tessera_v_any_in_bucket')).rowCount === 1;
  }

  async listLatest(sql: Queryable, bucket: string, prefix: string, after: string | undefined, limit: number): Promise<ObjectVersion[]> {
    return (await this.rangeQuery(sql, 'live', bucket, prefix, after, limit)).map(toObjectVersion);
  }

  async listVersions(
    sql: Queryable,
    bucket: string,
    prefix: string,
    after: { key: string; afterSeq?: number } | undefined,
    limit: number,
  ): Promise<ObjectVersion[]> {
    if (limit <= 0) return [];
    const rows: VersionRow[] = [];
    if (after?.afterSeq !== undefined && after.key.startsWith(prefix)) {
      // the rest of the marker key's stack first: its versions older than afterSeq
      const older = await sql.query<VersionRow>(SELECT_OLDER_OF_KEY, [bucket, after.key, after.afterSeq, limit], 'tessera_v_older');
      rows.push(...older.rows);
    }
    if (rows.length < limit) rows.push(...(await this.rangeQuery(sql, 'all', bucket, prefix, after?.key, limit - rows.length)));
    return rows.map(toObjectVersion);
  }

  // ---- writes (inside a transaction) ----

  /**
   * Take the key's write lock and lock its latest version; return that version (undefined: the key has none). Must
   * be the transaction's first statement (see LOCK_LATEST). When the lock was waited for, or the row was demoted or
   * deleted meanwhile, look again: the next statement sees every write committed before the lock was granted.
   * Two first writers of a key that both see no row are told apart by the unique indexes (isVersionRace).
   */
  async lockLatest(tx: Queryable, bucket: string, key: string): Promise<VersionRow | undefined> {
    for (let round = 0; round < MAX_LOCK_ROUNDS; round++) {
      const row = (await tx.query<LockedRow>(LOCK_LATEST, [bucket, key], 'tessera_v_lock_latest')).rows[0]!;
      if (row.found === 0 && !row.waited) return undefined;
      if (row.found === 1 && row.id !== null && row.is_latest === 1) return row;
    }
    throw new Error(`could not lock the latest version of ${bucket}/${key}`);
  }

  /**
   * The write locks of several keys (see LOCK_KEYS), for a transaction that changes versions of many keys (bulk tag
   * writers, lifecycle passes): its first statement; then lockLatest or lockTarget per key as usual.
   */
  async lockKeys(tx: Queryable, keys: readonly { readonly bucket: string; readonly key: string }[]): Promise<void> {
    if (keys.length === 0) return;
    await tx.query(LOCK_KEYS, [keys.map((k) => k.bucket), keys.map((k) => k.key)], 'tessera_v_lock_keys');
  }

  /** Lock a version to change its tags or ACL: the latest (see lockLatest) or one by id (after the key's lock). */
  async lockTarget(tx: Queryable, bucket: string, key: string, versionId: string | undefined): Promise<VersionRow | undefined> {
    if (versionId === undefined) return this.lockLatest(tx, bucket, key);
    for (let round = 0; round < MAX_LOCK_ROUNDS; round++) {
      const row = (await tx.query<LockedRow>(LOCK_BY_VERSION_ID, [bucket, key, versionId], 'tessera_v_lock_by_id')).rows[0]!;
      if (row.found === 1) return row;
      if (!row.waited) return undefined;
    }
    throw new Error(`could not lock version ${versionId} of ${bucket}/${key}`);
  }

  /**
   * putVersion as one statement outside any transaction, when the key's lock is free and the write is a plain one
   * (see PUT_VERSION_AT_ONCE); undefined when it wrote nothing and the caller must run the transaction (lockLatest,
   * then insert). `sql` must be the pool, not a transaction.
   */
  async insertAtOnce(sql: Queryable, version: NewObjectVersion, replaceNull: boolean): Promise<ObjectVersion | undefined> {
    const params = writeParams(version, null, this.now(), true);
    params[18] = replaceNull;
    let result;
    try {
      result = await sql.query<{ mode: string; seq: number | null }>(PUT_VERSION_AT_ONCE, params, 'tessera_v_put_at_once');
    } catch (error) {
      if (isVersionRace(error)) return undefined; // another first writer of the key won: the transaction sorts it out
      throw error;
    }
    const row = result.rows[0];
    if (row === undefined || row.mode === 'busy' || row.seq === null) return undefined;
    return insertedVersion(version, row.seq);
  }

  /**
   * Insert a new latest version with its tags and ACL (see VersionStore.putVersion). `latest`: the key's latest row,
   * locked by this transaction with lockLatest (undefined when the key has none).
   */
  async insert(tx: Queryable, version: NewObjectVersion, replaceNull: boolean, latest: VersionRow | undefined): Promise<ObjectVersion> {
    let existingNull: VersionRow | undefined;
    if (replaceNull) {
      // a key without a latest version has no version at all; every writer of the key holds its lock, so a null
      // version below the latest cannot change under us
      if (latest === undefined || latest.version_id === NULL_VERSION_ID) existingNull = latest;
      else existingNull = await this.find(tx, version.bucket, version.key, NULL_VERSION_ID);
    }
    const now = this.now();
    let seq: number;
    if (existingNull !== undefined && existingNull.is_latest === 1) {
      // the common unversioned overwrite: the same row, a new seq (its ACL goes unless a new one is given)
      if (existingNull.tag_count > 0) await tx.query(DELETE_TAGS_OF_ROW, [existingNull.id], 'tessera_v_delete_tags');
      const written = await tx.query<{ id: number; seq: number }>(
        OVERWRITE_NULL_VERSION,
        writeParams(version, existingNull.id, now, false),
        'tessera_v_overwrite',
      );
      if (written.rowCount !== 1) throw new Error(`null version of ${version.bucket}/${version.key} vanished while locked`);
      seq = written.rows[0]!.seq;
      if (version.tags.length > 0) {
        await tx.query(
          INSERT_TAGS_OF_ROW,
          [existingNull.id, version.tags.map((t) => t.key), version.tags.map((t) => t.value)],
          'tessera_v_insert_tags',
        );
      }
    } else {
      // a null version below the latest (a suspended bucket) goes first; the latest stays the one locked
      if (existingNull !== undefined) await this.remove(tx, version.bucket, version.key, NULL_VERSION_ID);
      const written = await tx.query<{ id: number; seq: number }>(
        WRITE_NEW_VERSION,
        writeParams(version, latest?.id ?? null, now, true),
        'tessera_v_insert',
      );
      seq = written.rows[0]!.seq;
    }
    return insertedVersion(version, seq);
  }

  /**
   * Remove one version; when it was the latest, the next newest becomes latest. With `seq`, only while the version
   * still has that seq. The caller holds the key's lock (lockLatest). Returns the row removed.
   */
  async remove(
    tx: Queryable,
    bucket: string,
    key: string,
    versionId: string,
    options: { seq?: number; event?: string } = {},
  ): Promise<VersionRow | undefined> {
    const result = await tx.query<VersionRow>(
      REMOVE_VERSION,
      [bucket, key, versionId, options.seq ?? null, options.event ?? 's3:ObjectRemoved:Delete', this.now()],
      'tessera_v_remove',
    );
    return result.rows[0];
  }

  /**
   * replaceTags as one statement outside any transaction (see replaceTagsAtOnceSql); undefined when the key's lock
   * was busy and the caller must run the transaction (lockTarget, then replaceTags). `sql` must be the pool.
   */
  async replaceTagsAtOnce(
    sql: Queryable,
    bucket: string,
    key: string,
    versionId: string | undefined,
    tags: readonly Tag[],
  ): Promise<{ status: 'ok' | 'missing' | 'delete-marker'; row: VersionRow | undefined } | undefined> {
    const event = tags.length === 0 ? 's3:ObjectTagging:Delete' : 's3:ObjectTagging:Put';
    const rest = [tags.map((t) => t.key), tags.map((t) => t.value), event, this.now()];
    const result =
      versionId === undefined
        ? await sql.query<LockedRow & { mode: string }>(replaceTagsAtOnceSql(false), [bucket, key, ...rest], 'tessera_v_tags_at_once')
        : await sql.query<LockedRow & { mode: string }>(replaceTagsAtOnceSql(true), [bucket, key, versionId, ...rest], 'tessera_v_tags_at_once_by_id');
    const row = result.rows[0]!;
    if (row.mode === 'busy') return undefined;
    return { status: row.mode as 'ok' | 'missing' | 'delete-marker', row: row.id === null ? undefined : row };
  }

  /** Replace the tag set of a locked version row; the caller has checked it is not a delete marker. */
  async replaceTags(tx: Queryable, row: VersionRow, tags: readonly Tag[]): Promise<ObjectVersion> {
    const event = tags.length === 0 ? 's3:ObjectTagging:Delete' : 's3:ObjectTagging:Put';
    await tx.query(
      REPLACE_TAGS,
      [row.id, tags.map((t) => t.key), tags.map((t) => t.value), tags.length, event, this.now()],
      'tessera_v_replace_tags',
    );
    return { ...toObjectVersion(row), tagCount: tags.length };
  }

  private async rangeQuery(
    sql: Queryable,
    kind: ListingKind,
    bucket: string,
    prefix: string,
    after: string | undefined,
    limit: number,
  ): Promise<VersionRow[]> {
    if (limit <= 0) return [];
    const lower = listingLowerBound(prefix, after);
    const upper = prefixUpperBound(prefix);
    const side = lower.inclusive ? 'i' : 'x';
    if (upper === undefined) {
      return (await sql.query<VersionRow>(listingSql(kind, lower.inclusive, false), [bucket, lower.value, limit], `tessera_v_list_${kind}_${side}`)).rows;
    }
    if (compareUtf8(lower.value, upper) >= 0) return [];
    const text = listingSql(kind, lower.inclusive, true);
    return (await sql.query<VersionRow>(text, [bucket, lower.value, upper, limit], `tessera_v_list_${kind}_${side}_to`)).rows;
  }
}

/** The parameters of WRITE_NEW_VERSION / OVERWRITE_NULL_VERSION (see VERSION_WRITE_PARAMS). */
function writeParams(version: NewObjectVersion, row: number | null, now: number, withTags: boolean): unknown[] {
  const p = toInsertParams(version, 0);
  const files: string[] = [];
  const inlineIds: string[] = [];
  const inlineData: Buffer[] = [];
  for (const segment of version.segments) {
    if (segment.inline === true) {
      const data = version.inlineData?.get(segment.blobId);
      if (data === undefined || data.length !== segment.size) {
        throw new Error(`inline segment ${segment.blobId} has no bytes of size ${segment.size}`);
      }
      inlineIds.push(segment.blobId);
      inlineData.push(data);
    } else {
      files.push(segment.blobId);
    }
  }
  const kind = version.isDeleteMarker ? 'delete-marker' : 'put';
  const event = version.event ?? (version.isDeleteMarker ? 's3:ObjectRemoved:DeleteMarkerCreated' : 's3:ObjectCreated:Put');
  return [
    p.bucket, p.key, p.version_id, p.is_delete_marker, p.last_modified, p.owner_account_id, p.size, p.etag,
    p.storage_class, p.content_headers, p.user_metadata, p.checksum_algorithm, p.checksum_value, p.checksum_type,
    p.segments, p.part_sizes, p.tag_count, p.replication_status, row,
    withTags ? version.tags.map((t) => t.key) : [], withTags ? version.tags.map((t) => t.value) : [],
    version.acl === undefined ? null : JSON.stringify(version.acl),
    files, inlineIds, inlineData, kind, event, now,
  ];
}
