import type { PassCursor, PassRecord, PassTally } from '../../../core/lifecycle/PassRecord.js';
import type { LifecycleVersion } from '../../../core/ports/LifecycleStore.js';
import type { Tag } from '../../../core/tags/Tag.js';
import { parseSegments } from './versionRows.js';

/** Row shapes and row→domain mappers of the lifecycle scans and `lifecycle_passes`, shared by both backends. */
export interface ScanRow {
  readonly id: number;
  readonly key: string;
  readonly version_id: string;
  readonly seq: number;
  readonly is_latest: number;
  readonly is_delete_marker: number;
  readonly last_modified: number;
  readonly size: number;
  readonly storage_class: string;
  readonly segments: string;
  readonly tag_count: number;
}

export interface PassRow {
  readonly id: number;
  readonly bucket: string;
  readonly trigger: string;
  readonly evaluated_at: number;
  readonly started_at: number;
  readonly finished_at: number | null;
  readonly cursor: string;
  readonly tally: string;
  readonly stale: number;
  readonly errors: string;
}

export function toVersion(r: ScanRow, tags: readonly Tag[]): LifecycleVersion {
  return {
    versionId: r.version_id,
    seq: r.seq,
    isLatest: r.is_latest === 1,
    isDeleteMarker: r.is_delete_marker === 1,
    lastModified: new Date(r.last_modified),
    size: r.size,
    storageClass: r.storage_class,
    segments: parseSegments(r.segments),
    tags,
  };
}

export function groupByKey(rows: readonly ScanRow[]): { key: string; rows: ScanRow[] }[] {
  const out: { key: string; rows: ScanRow[] }[] = [];
  for (const row of rows) {
    const last = out[out.length - 1];
    if (last !== undefined && last.key === row.key) last.rows.push(row);
    else out.push({ key: row.key, rows: [row] });
  }
  return out;
}

export function toPass(r: PassRow): PassRecord {
  return {
    id: r.id,
    bucket: r.bucket,
    trigger: r.trigger,
    evaluatedAt: new Date(r.evaluated_at),
    startedAt: new Date(r.started_at),
    ...(r.finished_at === null ? {} : { finishedAt: new Date(r.finished_at) }),
    cursor: JSON.parse(r.cursor) as PassCursor,
    tally: JSON.parse(r.tally) as PassTally,
    stale: r.stale,
    errors: JSON.parse(r.errors) as string[],
  };
}

/** Lifecycle dates (Expiration and Transition `Date`) are stored as ISO strings under the property `date`. */
export function reviveDates(key: string, value: unknown): unknown {
  return key === 'date' && typeof value === 'string' ? new Date(value) : value;
}
