import type { Statement } from 'better-sqlite3';
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
import { AccessRepo } from '../AccessRepo.js';
import { BlobLedger } from '../BlobLedger.js';
import type { GroupCommit } from '../GroupCommit.js';
import type { SqliteDatabase } from '../SqliteDatabase.js';
import { UploadRepo } from '../UploadRepo.js';
import { VersionRepo } from '../VersionRepo.js';
import { tagCountOf } from '../versionSql.js';
import { parseSegments } from '../../rows/versionRows.js';
import { groupByKey, reviveDates, toPass, toVersion, type PassRow, type ScanRow } from '../../rows/lifecycleRows.js';
import { settle } from '../settle.js';

/** Pass records kept per bucket (older ones are dropped when a pass finishes). */
const PASSES_KEPT = 1000;

/** Errors kept per pass record (the first ones; a pass that fails on every object needs no million lines). */
const MAX_PASS_ERRORS = 100;

/** ScanRow's columns read from `table` (tag_count counted from the tag rows: versionSql.tagCountOf). */
function scanColumns(table: string): string {
  const plain = ['id', 'key', 'version_id', 'seq', 'is_latest', 'is_delete_marker', 'last_modified', 'size', 'storage_class', 'segments'];
  return [...plain.map((c) => `${table}.${c} AS ${c}`), `${tagCountOf(table)} AS tag_count`].join(', ');
}

const SCAN_COLUMNS = scanColumns('versions');

/**
 * LifecycleStore on the shared SQLite file. Scans read committed data; a unit's guarded writes, its cursor and its
 * tally commit in one transaction of the group commit, through the same repositories the metadata store writes with
 * (VersionRepo keeps the latest-version invariant and puts dropped blobs into the released-blob outbox).
 */
export class SqliteLifecycleStore implements LifecycleStore {
  private readonly commits: GroupCommit;
  private readonly versions: VersionRepo;
  private readonly uploads: UploadRepo;
  private readonly ledger: BlobLedger;
  private readonly selectConfig: Statement<[string], { configuration: string; transition_minimum_size: string }>;
  private readonly upsertConfig: Statement<[string, string, string]>;
  private readonly deleteConfig: Statement<[string]>;
  private readonly bucketExists: Statement<[string], number>;
  private readonly configuredBuckets: Statement<[], string>;
  private readonly selectStacks: Statement<[string, string], ScanRow>;
  private readonly selectStack: Statement<[string, string], ScanRow>;
  private readonly selectGuard: Statement<
    [string, string, string],
    { id: number; seq: number; segments: string; storage_class: string; is_latest: number }
  >;
  private readonly selectVersioning: Statement<[string], string>;
  private readonly selectCreatedAt: Statement<[string], number>;
  private readonly selectPageTags: Statement<[string], { version_row: number; key: string; value: string }>;
  private readonly updateStorage: Statement<[string, string, number]>;
  private readonly selectUnfinished: Statement<[string], PassRow>;
  private readonly insertPass: Statement<[string, string, number, number, string]>;
  private readonly selectPass: Statement<[number], PassRow>;
  private readonly updatePass: Statement<[string, string, number, string, number]>;
  private readonly finishStatement: Statement<[number, number]>;
  private readonly pruneStatement: Statement<[string, string, number]>;
  private readonly finishUnfinished: Statement<[number, string]>;
  private readonly selectPasses: Statement<[string, number], PassRow>;
  private readonly selectRestore: Statement<[string, string, string], { requested_at: number; expiry: number }>;
  private readonly upsertRestore: Statement<[number, number, number]>;

  /** The key range scans, by lower bound (>= or >) and whether the prefix has an upper bound. */
  private readonly keyScans: Record<'inclusive' | 'exclusive', Record<'open' | 'bounded', Statement<unknown[], ScanRow>>>;
  /** The tag index scans, by whether the prefix has an upper bound. */
  private readonly taggedScans: Record<'open' | 'bounded', Statement<unknown[], ScanRow>>;

  constructor(database: SqliteDatabase) {
    const db = database.db;
    const keyScan = (op: string, bounded: boolean): Statement<unknown[], ScanRow> =>
      db.prepare(`SELECT ${SCAN_COLUMNS} FROM versions WHERE bucket = ? AND key ${op} ?${bounded ? ' AND key < ?' : ''} ORDER BY key, seq DESC LIMIT ?`);
    this.keyScans = {
      inclusive: { open: keyScan('>=', false), bounded: keyScan('>=', true) },
      exclusive: { open: keyScan('>', false), bounded: keyScan('>', true) },
    };
    const columns = scanColumns('v');
    const taggedScan = (bounded: boolean): Statement<unknown[], ScanRow> =>
      db.prepare(`SELECT ${columns} FROM object_tags t JOIN versions v ON v.id = t.version_row
        WHERE t.key = ? AND t.value = ? AND t.version_row > ? AND v.bucket = ? AND v.key >= ?${bounded ? ' AND v.key < ?' : ''}
        ORDER BY t.version_row LIMIT ?`);
    this.taggedScans = { open: taggedScan(false), bounded: taggedScan(true) };
    this.commits = database.commits;
    this.ledger = new BlobLedger(db);
    this.versions = new VersionRepo(db, this.ledger, new AccessRepo(db));
    this.uploads = new UploadRepo(db, this.ledger);
    this.selectConfig = db.prepare('SELECT configuration, transition_minimum_size FROM bucket_lifecycle WHERE bucket = ?');
    this.upsertConfig = db.prepare(`INSERT INTO bucket_lifecycle (bucket, configuration, transition_minimum_size) VALUES (?, ?, ?)
      ON CONFLICT (bucket) DO UPDATE SET configuration = excluded.configuration, transition_minimum_size = excluded.transition_minimum_size`);
    this.deleteConfig = db.prepare('DELETE FROM bucket_lifecycle WHERE bucket = ?');
    this.bucketExists = db.prepare<[string], number>('SELECT 1 FROM buckets WHERE name = ?').pluck();
    this.configuredBuckets = db.prepare<[], string>('SELECT bucket FROM bucket_lifecycle ORDER BY bucket').pluck();
    this.selectStacks = db.prepare(
      `SELECT ${SCAN_COLUMNS} FROM versions WHERE bucket = ? AND key IN (SELECT value FROM json_each(?)) ORDER BY key, seq DESC`,
    );
    this.selectStack = db.prepare(`SELECT ${SCAN_COLUMNS} FROM versions WHERE bucket = ? AND key = ? ORDER BY seq DESC`);
    this.selectGuard = db.prepare('SELECT id, seq, segments, storage_class, is_latest FROM versions WHERE bucket = ? AND key = ? AND version_id = ?');
    this.selectVersioning = db.prepare<[string], string>('SELECT versioning FROM buckets WHERE name = ?').pluck();
    this.selectCreatedAt = db.prepare<[string], number>('SELECT created_at FROM buckets WHERE name = ?').pluck();
    this.selectPageTags = db.prepare(
      'SELECT version_row, key, value FROM object_tags WHERE version_row IN (SELECT value FROM json_each(?)) ORDER BY version_row, key',
    );
    this.updateStorage = db.prepare('UPDATE versions SET storage_class = ?, segments = ? WHERE id = ?');
    this.selectUnfinished = db.prepare('SELECT * FROM lifecycle_passes WHERE bucket = ? AND finished_at IS NULL');
    this.insertPass = db.prepare(
      'INSERT INTO lifecycle_passes (bucket, trigger, evaluated_at, started_at, cursor) VALUES (?, ?, ?, ?, ?)',
    );
    this.selectPass = db.prepare('SELECT * FROM lifecycle_passes WHERE id = ?');
    this.updatePass = db.prepare('UPDATE lifecycle_passes SET cursor = ?, tally = ?, stale = ?, errors = ? WHERE id = ?');
    this.finishStatement = db.prepare('UPDATE lifecycle_passes SET finished_at = ? WHERE id = ? AND finished_at IS NULL');
    this.pruneStatement = db.prepare(`DELETE FROM lifecycle_passes WHERE bucket = ? AND finished_at IS NOT NULL AND id <= (
      SELECT id FROM lifecycle_passes WHERE bucket = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`);
    this.finishUnfinished = db.prepare('UPDATE lifecycle_passes SET finished_at = ? WHERE bucket = ? AND finished_at IS NULL');
    this.selectPasses = db.prepare('SELECT * FROM lifecycle_passes WHERE bucket = ? ORDER BY id DESC LIMIT ?');
    this.selectRestore = db.prepare(`SELECT r.requested_at, r.expiry FROM object_restores r JOIN versions v ON v.id = r.version_row
      WHERE v.bucket = ? AND v.key = ? AND v.version_id = ?`);
    this.upsertRestore = db.prepare(`INSERT INTO object_restores (version_row, requested_at, expiry) VALUES (?, ?, ?)
      ON CONFLICT (version_row) DO UPDATE SET requested_at = excluded.requested_at, expiry = excluded.expiry`);
  }

  // ---- configurations ----

  getLifecycle(bucket: string): Promise<StoredLifecycle | undefined> {
    return settle(() => {
      const row = this.selectConfig.get(bucket);
      if (row === undefined) return undefined;
      return {
        configuration: JSON.parse(row.configuration, reviveDates) as LifecycleConfiguration,
        transitionMinimumSize: row.transition_minimum_size as TransitionMinimumSize,
      };
    });
  }

  putLifecycle(bucket: string, stored: StoredLifecycle): Promise<'ok' | 'missing'> {
    return this.commits.run(() => {
      if (this.bucketExists.get(bucket) === undefined) return 'missing';
      this.upsertConfig.run(bucket, JSON.stringify(stored.configuration), stored.transitionMinimumSize);
      return 'ok';
    });
  }

  deleteLifecycle(bucket: string): Promise<'ok' | 'missing'> {
    return this.commits.run(() => {
      if (this.bucketExists.get(bucket) === undefined) return 'missing';
      this.deleteConfig.run(bucket);
      // a pass interrupted under the old configuration has nothing left to do
      this.finishUnfinished.run(Date.now(), bucket);
      return 'ok';
    });
  }

  bucketsWithLifecycle(): Promise<string[]> {
    return settle(() => this.configuredBuckets.all());
  }

  // ---- scans ----

  scanKeys(bucket: string, query: { prefix: string; after?: string; limit: number }): Promise<ScanPage<LifecycleKey>> {
    return settle(() => {
      const lower = listingLowerBound(query.prefix, query.after);
      const upper = prefixUpperBound(query.prefix);
      const params: unknown[] = [bucket, lower.value, ...(upper === undefined ? [] : [upper]), query.limit];
      const rows = this.keyScans[lower.inclusive ? 'inclusive' : 'exclusive'][upper === undefined ? 'open' : 'bounded'].all(...params);
      if (rows.length === 0) return { items: [] };
      const full = rows.length < query.limit;
      let keys = groupByKey(rows);
      if (!full) {
        // the last key's stack may go on past the limit: read it whole (alone, when it is the only key of the page)
        const last = keys[keys.length - 1]!;
        keys = keys.length > 1 ? keys.slice(0, -1) : [{ key: last.key, rows: this.selectStack.all(bucket, last.key) }];
      }
      const items = this.toKeys(keys);
      return full ? { items } : { items, next: items[items.length - 1]!.key };
    });
  }

  scanTagged(bucket: string, query: { tag: Tag; prefix: string; after?: string; limit: number }): Promise<ScanPage<LifecycleKey>> {
    return settle(() => {
      const upper = prefixUpperBound(query.prefix);
      const after = query.after === undefined ? 0 : Number(query.after);
      const params: unknown[] = [query.tag.key, query.tag.value, after, bucket, query.prefix, ...(upper === undefined ? [] : [upper]), query.limit];
      const found = this.taggedScans[upper === undefined ? 'open' : 'bounded'].all(...params);
      if (found.length === 0) return { items: [] };
      const next = found.length < query.limit ? {} : { next: String(found[found.length - 1]!.id) };
      if (this.selectVersioning.get(bucket) === 'Unversioned') {
        // a bucket that was never versioned holds one version per key: the row found is the whole stack
        return { items: this.toKeys(found.map((row) => ({ key: row.key, rows: [row] }))), ...next };
      }
      const byKey = new Map<string, string[]>();
      for (const f of found) {
        const list = byKey.get(f.key);
        if (list === undefined) byKey.set(f.key, [f.version_id]);
        else list.push(f.version_id);
      }
      const stacks = groupByKey(this.selectStacks.all(bucket, JSON.stringify([...byKey.keys()])));
      const items = this.toKeys(stacks).map((k) => ({ ...k, found: byKey.get(k.key) ?? [] }));
      return { items, ...next };
    });
  }

  scanUploads(bucket: string, query: { prefix: string; after?: string; limit: number }): Promise<ScanPage<LifecycleUpload>> {
    return settle(() => {
      const position = query.after === undefined ? undefined : (JSON.parse(query.after) as { key: string; uploadId: string });
      const uploads = this.uploads.list(bucket, query.prefix, position?.key, position?.uploadId, query.limit);
      const items = uploads.map((u) => ({ uploadId: u.uploadId, key: u.key, initiated: u.initiated }));
      const last = items[items.length - 1];
      return items.length < query.limit || last === undefined
        ? { items }
        : { items, next: JSON.stringify({ key: last.key, uploadId: last.uploadId }) };
    });
  }

  /** Rows to keys, with the tags of every tagged row read in one statement. */
  private toKeys(keys: readonly { key: string; rows: readonly ScanRow[] }[]): LifecycleKey[] {
    const tagged = keys.flatMap((k) => k.rows.filter((r) => r.tag_count > 0).map((r) => r.id));
    const tags = new Map<number, Tag[]>();
    if (tagged.length > 0) {
      for (const t of this.selectPageTags.all(JSON.stringify(tagged))) {
        const list = tags.get(t.version_row);
        if (list === undefined) tags.set(t.version_row, [{ key: t.key, value: t.value }]);
        else list.push({ key: t.key, value: t.value });
      }
    }
    return keys.map((k) => ({ key: k.key, versions: k.rows.map((r) => toVersion(r, tags.get(r.id) ?? [])) }));
  }

  // ---- passes ----

  startPass(bucket: string, now: Date, trigger: string): Promise<PassRecord> {
    return this.commits.run(() => {
      const unfinished = this.selectUnfinished.get(bucket);
      const createdAt = this.selectCreatedAt.get(bucket) ?? 0;
      // a pass left unfinished by a bucket that was deleted (and created again since) has nothing left to do
      if (unfinished !== undefined && unfinished.started_at >= createdAt) return toPass(unfinished);
      if (unfinished !== undefined) this.finishStatement.run(Date.now(), unfinished.id);
      const id = Number(this.insertPass.run(bucket, trigger, now.getTime(), Date.now(), JSON.stringify({ phase: 'versions', scan: 0 })).lastInsertRowid);
      return toPass(this.selectPass.get(id)!);
    });
  }

  commitUnit(passId: number, unit: PassUnit): Promise<WriteOutcome[]> {
    return this.commits.run(() => {
      const pass = this.selectPass.get(passId);
      if (pass === undefined) throw new Error(`lifecycle pass ${passId} does not exist`);
      if (pass.finished_at !== null) throw new Error(`lifecycle pass ${passId} is finished`);
      const tally = JSON.parse(pass.tally) as MutableTally;
      let stale = pass.stale;
      // a never-versioned bucket holds one version per key: removing it leaves nothing to promote
      const unversioned = this.selectVersioning.get(pass.bucket) === 'Unversioned';
      const outcomes = unit.writes.map((write) => this.apply(pass.bucket, write, unversioned));
      unit.writes.forEach((write, i) => {
        if (outcomes[i] === 'done') countInto(tally, write);
        else stale++;
      });
      const errors = JSON.parse(pass.errors) as string[];
      for (const e of unit.errors ?? []) if (errors.length < MAX_PASS_ERRORS) errors.push(e);
      this.updatePass.run(JSON.stringify(unit.cursor), JSON.stringify(tally), stale, JSON.stringify(errors), passId);
      return outcomes;
    });
  }

  private apply(bucket: string, write: LifecycleWrite, unversioned: boolean): WriteOutcome {
    switch (write.kind) {
      case 'deleteVersion': {
        return this.versions.removeIfSeq(bucket, write.key, write.versionId, write.seq, unversioned) ? 'done' : 'stale';
      }
      case 'addDeleteMarker': {
        const latest = this.versions.find(bucket, write.key);
        if (latest === undefined || latest.seq !== write.latestSeq || latest.is_delete_marker === 1) return 'stale';
        this.versions.insert(write.marker, write.replaceNull);
        return 'done';
      }
      case 'transition': {
        const row = this.selectGuard.get(bucket, write.key, write.versionId);
        if (row === undefined || row.seq !== write.seq || row.storage_class !== write.fromStorageClass) return 'stale';
        if (write.segments === undefined) {
          this.updateStorage.run(write.storageClass, row.segments, row.id);
        } else {
          this.ledger.releaseVersionSegments(parseSegments(row.segments));
          this.ledger.holdForVersion(row.id, write.segments);
          this.updateStorage.run(write.storageClass, JSON.stringify(write.segments.map((s) => ({ blobId: s.blobId, size: s.size }))), row.id);
        }
        return 'done';
      }
      case 'abortUpload': {
        const upload = this.uploads.get(write.uploadId);
        if (upload === undefined || upload.bucket !== bucket) return 'stale';
        this.uploads.remove(write.uploadId);
        return 'done';
      }
    }
  }

  finishPass(passId: number, finishedAt: Date): Promise<void> {
    return this.commits.run(() => {
      this.finishStatement.run(finishedAt.getTime(), passId);
      const bucket = this.selectPass.get(passId)?.bucket;
      if (bucket !== undefined) this.pruneStatement.run(bucket, bucket, PASSES_KEPT);
    });
  }

  listPasses(bucket: string, limit: number): Promise<PassRecord[]> {
    return settle(() => this.selectPasses.all(bucket, limit).map(toPass));
  }

  // ---- restores ----

  getRestore(bucket: string, key: string, versionId: string): Promise<RestoreRecord | undefined> {
    return settle(() => {
      const row = this.selectRestore.get(bucket, key, versionId);
      return row === undefined ? undefined : { requestedAt: new Date(row.requested_at), expiry: new Date(row.expiry) };
    });
  }

  putRestore(bucket: string, key: string, versionId: string, restore: RestoreRecord): Promise<'ok' | 'missing'> {
    return this.commits.run(() => {
      const row = this.selectGuard.get(bucket, key, versionId);
      if (row === undefined) return 'missing';
      this.upsertRestore.run(row.id, restore.requestedAt.getTime(), restore.expiry.getTime());
      return 'ok';
    });
  }
}
