import type { LifecycleConfiguration } from '../../../../core/lifecycle/LifecycleRule.js';
import { countInto, type MutableTally, type PassRecord } from '../../../../core/lifecycle/PassRecord.js';
import type { TransitionMinimumSize } from '../../../../core/lifecycle/transitionMinimumSize.js';
import { listingLowerBound, prefixUpperBound } from '../../../../core/keys/keyOrder.js';
import type {
  LifecycleKey,
  LifecycleStore,
  LifecycleUpload,
  LifecycleWrite,
  PassUnit,
  RestoreRecord,
  ScanPage,
  StoredLifecycle,
  WriteOutcome,
} from '../../../../core/ports/LifecycleStore.js';
import type { Tag } from '../../../../core/tags/Tag.js';
import { groupByKey, reviveDates, toPass, toVersion, type PassRow, type ScanRow } from '../../rows/lifecycleRows.js';
import { lockBucketRow } from '../bucketRow.js';
import { isUniqueViolation, type PostgresDatabase, type Tx } from '../PostgresDatabase.js';
import { UploadRepo } from '../UploadRepo.js';
import { VersionRepo } from '../VersionRepo.js';
import {
  LOCK_VERSION,
  PASS_COLUMNS,
  PRUNE_PASSES,
  SELECT_PAGE_TAGS,
  SELECT_STACK,
  SELECT_STACKS,
  TRANSITION,
  keyScanSql,
  taggedScanSql,
} from './lifecycleSql.js';

/** Pass records kept per bucket (older ones are dropped when a pass finishes). */
const PASSES_KEPT = 1000;

/** Errors kept per pass record (the first ones; a pass that fails on every object needs no million lines). */
const MAX_PASS_ERRORS = 100;

/** Two nodes starting the bucket's first pass at once: one insert wins, the other's transaction runs again and resumes it. */
const PASS_RACE = { retryOn: (error: unknown) => isUniqueViolation(error, 'lifecycle_passes_unfinished') };

/**
 * LifecycleStore on PostgreSQL. Scans are single statements on the pool. A unit's guarded writes, its cursor and its
 * tally commit in one transaction, which first locks the pass row (two nodes running one pass count into it in
 * turn); each write takes the key's writer lock and then checks its guard on the locked row, through the metadata
 * store's own version statements (VersionRepo: latest-version invariant, released blobs, change outbox), so two
 * nodes can never expire or transition one version twice, nor undo a write that raced the pass.
 */
export class PostgresLifecycleStore implements LifecycleStore {
  private readonly versions = new VersionRepo();
  private readonly uploads = new UploadRepo();

  constructor(private readonly database: PostgresDatabase) {}

  // ---- configurations ----

  async getLifecycle(bucket: string): Promise<StoredLifecycle | undefined> {
    const rows = await this.database.query<{ configuration: string; transition_minimum_size: string }>(
      'SELECT configuration, transition_minimum_size FROM bucket_lifecycle WHERE bucket = $1',
      [bucket],
      'tessera_lifecycle_config',
    );
    const row = rows.rows[0];
    if (row === undefined) return undefined;
    return {
      configuration: JSON.parse(row.configuration, reviveDates) as LifecycleConfiguration,
      transitionMinimumSize: row.transition_minimum_size as TransitionMinimumSize,
    };
  }

  putLifecycle(bucket: string, stored: StoredLifecycle): Promise<'ok' | 'missing'> {
    return this.database.transaction(async (tx) => {
      if (!(await lockBucketRow(tx, bucket))) return 'missing';
      await tx.query(
        `INSERT INTO bucket_lifecycle (bucket, configuration, transition_minimum_size) VALUES ($1, $2, $3)
         ON CONFLICT (bucket) DO UPDATE SET configuration = excluded.configuration, transition_minimum_size = excluded.transition_minimum_size`,
        [bucket, JSON.stringify(stored.configuration), stored.transitionMinimumSize],
      );
      return 'ok';
    });
  }

  deleteLifecycle(bucket: string): Promise<'ok' | 'missing'> {
    return this.database.transaction(async (tx) => {
      if (!(await lockBucketRow(tx, bucket))) return 'missing';
      await tx.query('DELETE FROM bucket_lifecycle WHERE bucket = $1', [bucket]);
      // a pass interrupted under the old configuration has nothing left to do
      await tx.query('UPDATE lifecycle_passes SET finished_at = $1 WHERE bucket = $2 AND finished_at IS NULL', [Date.now(), bucket]);
      return 'ok';
    });
  }

  async bucketsWithLifecycle(): Promise<string[]> {
    const rows = await this.database.query<{ bucket: string }>('SELECT bucket FROM bucket_lifecycle ORDER BY bucket');
    return rows.rows.map((r) => r.bucket);
  }

  // ---- scans ----

  async scanKeys(bucket: string, query: { prefix: string; after?: string; limit: number }): Promise<ScanPage<LifecycleKey>> {
    const lower = listingLowerBound(query.prefix, query.after);
    const upper = prefixUpperBound(query.prefix);
    const op = lower.inclusive ? '>=' : '>';
    const params: unknown[] = [bucket, lower.value, ...(upper === undefined ? [] : [upper]), query.limit];
    const name = `tessera_lifecycle_keys${lower.inclusive ? '_i' : '_x'}${upper === undefined ? '' : '_to'}`;
    const rows = (await this.database.query<ScanRow>(keyScanSql(op, upper !== undefined), params, name)).rows;
    if (rows.length === 0) return { items: [] };
    const full = rows.length < query.limit;
    let keys = groupByKey(rows);
    if (!full) {
      // the last key's stack may go on past the limit: read it whole (alone, when it is the only key of the page)
      const last = keys[keys.length - 1]!;
      keys =
        keys.length > 1
          ? keys.slice(0, -1)
          : [{ key: last.key, rows: (await this.database.query<ScanRow>(SELECT_STACK, [bucket, last.key], 'tessera_lifecycle_stack')).rows }];
    }
    const items = await this.toKeys(keys);
    return full ? { items } : { items, next: items[items.length - 1]!.key };
  }

  async scanTagged(bucket: string, query: { tag: Tag; prefix: string; after?: string; limit: number }): Promise<ScanPage<LifecycleKey>> {
    const upper = prefixUpperBound(query.prefix);
    const after = query.after === undefined ? 0 : Number(query.after);
    const params: unknown[] = [query.tag.key, query.tag.value, after, bucket, query.prefix, ...(upper === undefined ? [] : [upper]), query.limit];
    const found = (await this.database.query<ScanRow>(taggedScanSql(upper !== undefined), params, `tessera_lifecycle_tagged${upper === undefined ? '' : '_to'}`)).rows;
    if (found.length === 0) return { items: [] };
    const next = found.length < query.limit ? {} : { next: String(found[found.length - 1]!.id) };
    const versioning = await this.database.query<{ versioning: string }>('SELECT versioning FROM buckets WHERE name = $1', [bucket], 'tessera_lifecycle_versioning');
    if (versioning.rows[0]?.versioning === 'Unversioned') {
      // a bucket that was never versioned holds one version per key: the row found is the whole stack
      return { items: await this.toKeys(found.map((row) => ({ key: row.key, rows: [row] }))), ...next };
    }
    const byKey = new Map<string, string[]>();
    for (const f of found) {
      const list = byKey.get(f.key);
      if (list === undefined) byKey.set(f.key, [f.version_id]);
      else list.push(f.version_id);
    }
    const stacks = groupByKey((await this.database.query<ScanRow>(SELECT_STACKS, [bucket, [...byKey.keys()]], 'tessera_lifecycle_stacks')).rows);
    const items = (await this.toKeys(stacks)).map((k) => ({ ...k, found: byKey.get(k.key) ?? [] }));
    return { items, ...next };
  }

  async scanUploads(bucket: string, query: { prefix: string; after?: string; limit: number }): Promise<ScanPage<LifecycleUpload>> {
    const position = query.after === undefined ? undefined : (JSON.parse(query.after) as { key: string; uploadId: string });
    const uploads = await this.uploads.list(this.database, bucket, query.prefix, position?.key, position?.uploadId, query.limit);
    const items = uploads.map((u) => ({ uploadId: u.uploadId, key: u.key, initiated: u.initiated }));
    const last = items[items.length - 1];
    return items.length < query.limit || last === undefined
      ? { items }
      : { items, next: JSON.stringify({ key: last.key, uploadId: last.uploadId }) };
  }

  /** Rows to keys, with the tags of every tagged row read in one statement. */
  private async toKeys(keys: readonly { key: string; rows: readonly ScanRow[] }[]): Promise<LifecycleKey[]> {
    const tagged = keys.flatMap((k) => k.rows.filter((r) => r.tag_count > 0).map((r) => r.id));
    const tags = new Map<number, Tag[]>();
    if (tagged.length > 0) {
      const rows = await this.database.query<{ version_row: number; key: string; value: string }>(SELECT_PAGE_TAGS, [tagged], 'tessera_lifecycle_page_tags');
      for (const t of rows.rows) {
        const list = tags.get(t.version_row);
        if (list === undefined) tags.set(t.version_row, [{ key: t.key, value: t.value }]);
        else list.push({ key: t.key, value: t.value });
      }
    }
    return keys.map((k) => ({ key: k.key, versions: k.rows.map((r) => toVersion(r, tags.get(r.id) ?? [])) }));
  }

  // ---- passes ----

  startPass(bucket: string, now: Date, trigger: string): Promise<PassRecord> {
    return this.database.transaction(async (tx) => {
      const unfinished = (await tx.query<PassRow>(`SELECT ${PASS_COLUMNS} FROM lifecycle_passes WHERE bucket = $1 AND finished_at IS NULL FOR UPDATE`, [bucket])).rows[0];
      const created = await tx.query<{ created_at: number }>('SELECT created_at FROM buckets WHERE name = $1', [bucket]);
      const createdAt = created.rows[0]?.created_at ?? 0;
      // a pass left unfinished by a bucket that was deleted (and created again since) has nothing left to do
      if (unfinished !== undefined && unfinished.started_at >= createdAt) return toPass(unfinished);
      if (unfinished !== undefined) await tx.query('UPDATE lifecycle_passes SET finished_at = $1 WHERE id = $2', [Date.now(), unfinished.id]);
      const inserted = await tx.query<PassRow>(
        `INSERT INTO lifecycle_passes (bucket, trigger, evaluated_at, started_at, cursor) VALUES ($1, $2, $3, $4, $5)
         RETURNING ${PASS_COLUMNS}`,
        [bucket, trigger, now.getTime(), Date.now(), JSON.stringify({ phase: 'versions', scan: 0 })],
      );
      return toPass(inserted.rows[0]!);
    }, PASS_RACE);
  }

  commitUnit(passId: number, unit: PassUnit): Promise<WriteOutcome[]> {
    return this.database.transaction(async (tx) => {
      // the write locks of every key the unit changes, before anything else (the metadata store's protocol: see
      // VersionRepo.lockKeys); then the pass row: units of one pass committed by two nodes count into it in turn
      const bucket = (await tx.query<{ bucket: string }>('SELECT bucket FROM lifecycle_passes WHERE id = $1', [passId], 'tessera_lifecycle_pass_bucket')).rows[0]?.bucket;
      if (bucket === undefined) throw new Error(`lifecycle pass ${passId} does not exist`);
      await this.versions.lockKeys(tx, unit.writes.filter((w) => w.kind !== 'abortUpload').map((w) => ({ bucket, key: w.key })));
      const pass = (await tx.query<PassRow>(`SELECT ${PASS_COLUMNS} FROM lifecycle_passes WHERE id = $1 FOR UPDATE`, [passId], 'tessera_lifecycle_lock_pass')).rows[0];
      if (pass === undefined) throw new Error(`lifecycle pass ${passId} does not exist`);
      if (pass.finished_at !== null) throw new Error(`lifecycle pass ${passId} is finished`);
      const tally = JSON.parse(pass.tally) as MutableTally;
      let stale = pass.stale;
      const outcomes: WriteOutcome[] = [];
      for (const write of unit.writes) {
        const outcome = await this.apply(tx, pass.bucket, write);
        outcomes.push(outcome);
        if (outcome === 'done') countInto(tally, write);
        else stale++;
      }
      const errors = JSON.parse(pass.errors) as string[];
      for (const e of unit.errors ?? []) if (errors.length < MAX_PASS_ERRORS) errors.push(e);
      await tx.query(
        'UPDATE lifecycle_passes SET cursor = $1, tally = $2, stale = $3, errors = $4 WHERE id = $5',
        [JSON.stringify(unit.cursor), JSON.stringify(tally), stale, JSON.stringify(errors), passId],
        'tessera_lifecycle_update_pass',
      );
      return outcomes;
    });
  }

  /** One guarded write: the guard is checked on the row this transaction holds locked, and the write made under it. */
  private async apply(tx: Tx, bucket: string, write: LifecycleWrite): Promise<WriteOutcome> {
    switch (write.kind) {
      case 'deleteVersion': {
        // the key's writer lock first (as every writer of the key), then the removal, only while the seq is the one read
        if ((await this.versions.lockLatest(tx, bucket, write.key)) === undefined) return 'stale';
        const removed = await this.versions.remove(tx, bucket, write.key, write.versionId, { seq: write.seq, event: 's3:LifecycleExpiration:Delete' });
        return removed === undefined ? 'stale' : 'done';
      }
      case 'addDeleteMarker': {
        const latest = await this.versions.lockLatest(tx, bucket, write.key);
        if (latest === undefined || latest.seq !== write.latestSeq || latest.is_delete_marker === 1) return 'stale';
        await this.versions.insert(tx, write.marker, write.replaceNull, latest);
        return 'done';
      }
      case 'transition': {
        // the key's writer lock, then the version's: the order every writer of the key takes them in (no deadlock)
        if ((await this.versions.lockLatest(tx, bucket, write.key)) === undefined) return 'stale';
        const row = (await tx.query<{ id: number; seq: number; segments: string; storage_class: string }>(
          LOCK_VERSION,
          [bucket, write.key, write.versionId],
          'tessera_lifecycle_lock_version',
        )).rows[0];
        if (row === undefined || row.seq !== write.seq || row.storage_class !== write.fromStorageClass) return 'stale';
        const segments = write.segments === undefined ? null : JSON.stringify(write.segments.map((s) => ({ blobId: s.blobId, size: s.size })));
        const files = (write.segments ?? []).filter((s) => s.inline !== true).map((s) => s.blobId);
        await tx.query(TRANSITION, [row.id, write.storageClass, segments, files, Date.now()], 'tessera_lifecycle_transition');
        return 'done';
      }
      case 'abortUpload': {
        const locked = await this.uploads.lock(tx, write.uploadId);
        if (locked === undefined || locked.upload.bucket !== bucket) return 'stale';
        await this.uploads.remove(tx, write.uploadId);
        return 'done';
      }
    }
  }

  finishPass(passId: number, finishedAt: Date): Promise<void> {
    return this.database.transaction(async (tx) => {
      const finished = await tx.query<{ bucket: string }>(
        'UPDATE lifecycle_passes SET finished_at = $1 WHERE id = $2 AND finished_at IS NULL RETURNING bucket',
        [finishedAt.getTime(), passId],
      );
      const bucket = finished.rows[0]?.bucket;
      if (bucket !== undefined) await tx.query(PRUNE_PASSES, [bucket, PASSES_KEPT]);
    });
  }

  async listPasses(bucket: string, limit: number): Promise<PassRecord[]> {
    const rows = await this.database.query<PassRow>(`SELECT ${PASS_COLUMNS} FROM lifecycle_passes WHERE bucket = $1 ORDER BY id DESC LIMIT $2`, [bucket, limit]);
    return rows.rows.map(toPass);
  }

  // ---- restores ----

  async getRestore(bucket: string, key: string, versionId: string): Promise<RestoreRecord | undefined> {
    const rows = await this.database.query<{ requested_at: number; expiry: number }>(
      `SELECT r.requested_at, r.expiry FROM object_restores r JOIN versions v ON v.id = r.version_row
       WHERE v.bucket = $1 AND v.key = $2 AND v.version_id = $3`,
      [bucket, key, versionId],
      'tessera_lifecycle_restore',
    );
    const row = rows.rows[0];
    return row === undefined ? undefined : { requestedAt: new Date(row.requested_at), expiry: new Date(row.expiry) };
  }

  putRestore(bucket: string, key: string, versionId: string, restore: RestoreRecord): Promise<'ok' | 'missing'> {
    return this.database.transaction(async (tx) => {
      // the version stays as it is (no removal, no overwrite) until the restore is stored with it
      const row = (await tx.query<{ id: number }>('SELECT id FROM versions WHERE bucket = $1 AND key = $2 AND version_id = $3 FOR SHARE', [bucket, key, versionId])).rows[0];
      if (row === undefined) return 'missing';
      await tx.query(
        `INSERT INTO object_restores (version_row, requested_at, expiry) VALUES ($1, $2, $3)
         ON CONFLICT (version_row) DO UPDATE SET requested_at = excluded.requested_at, expiry = excluded.expiry`,
        [row.id, restore.requestedAt.getTime(), restore.expiry.getTime()],
      );
      return 'ok';
    });
  }
}
