import type { BucketStats } from '../../../core/ports/StorageStatsStore.js';

/** A bucket's storage figures as both backends select them, and its BucketStats. */
export interface BucketStatsRow {
  readonly bucket: string;
  readonly objects: number;
  readonly object_bytes: number;
  readonly versions: number;
  readonly version_bytes: number;
  readonly delete_markers: number;
}

export function toBucketStats(row: BucketStatsRow): BucketStats {
  return {
    bucket: row.bucket,
    objects: row.objects,
    objectBytes: row.object_bytes,
    versions: row.versions,
    versionBytes: row.version_bytes,
    deleteMarkers: row.delete_markers,
  };
}
