import { S3Error } from '../../errors/S3Error.js';
import type { BucketStats, StorageStatsStore, TagStats, TagValueCount } from '../ports/StorageStatsStore.js';
import { MAX_TRACKED_TAG_KEYS, tagKeyProblem } from './trackedTagKeys.js';

/** One bucket's figures with, when asked for, its current objects counted by the values of one tag key. */
export interface BucketStatsReport extends BucketStats {
  readonly byTag?: {
    readonly key: string;
    /** The key is one of TESSERA_METRICS_TAG_KEYS (figures kept current) rather than counted for this answer. */
    readonly tracked: boolean;
    readonly values: readonly TagValueCount[];
    /** Current objects without the key. */
    readonly untagged: { readonly objects: number; readonly bytes: number };
  };
}

/**
 * Storage figures (docs/metrics.md, "Storage figures"): what `tessera stats` (GET /{Bucket}?tessera-stats) and the
 * metrics exporter read. The store keeps them current with every write; nothing here scans.
 */
export class StorageStatsService {
  constructor(private readonly store: StorageStatsStore) {}

  /** Every bucket's figures, zeros for an empty one: one row per bucket (the exporter's storage gauges). */
  bucketStats(): Promise<BucketStats[]> {
    return this.store.bucketStats();
  }

  /** Every (bucket, tracked key, value) with at least one current object: one row each (the exporter's tag gauges). */
  trackedTagStats(): Promise<TagStats[]> {
    return this.store.trackedTagStats();
  }

  trackedTagKeys(): Promise<string[]> {
    return this.store.trackedTagKeys();
  }

  /** Track exactly `keys` (TESSERA_METRICS_TAG_KEYS, applied at start): a new key is counted once, now. */
  async setTrackedTagKeys(keys: readonly string[]): Promise<void> {
    if (keys.length > MAX_TRACKED_TAG_KEYS) throw new Error(`at most ${MAX_TRACKED_TAG_KEYS} tag keys can be tracked`);
    for (const key of keys) {
      const problem = tagKeyProblem(key);
      if (problem !== undefined) throw new Error(problem);
    }
    await this.store.setTrackedTagKeys(keys);
  }

  /**
   * The bucket's figures and, with `byTagKey`, its current objects by that key's values. An untracked key is counted
   * from the tag index for this answer (its cost grows with the versions carrying the key store-wide).
   */
  async report(bucket: string, byTagKey?: string): Promise<BucketStatsReport> {
    if (byTagKey !== undefined) {
      const problem = tagKeyProblem(byTagKey);
      if (problem !== undefined) {
        throw new S3Error('InvalidArgument', { message: problem, details: { ArgumentName: 'by-tag', ArgumentValue: byTagKey } });
      }
    }
    // started together: the SQLite store answers both in the same turn, so they see the same writes
    const [stats, values, tracked] = await Promise.all([
      this.store.bucketStatsOf(bucket),
      byTagKey === undefined ? Promise.resolve([]) : this.store.countByTag(bucket, byTagKey),
      byTagKey === undefined ? Promise.resolve([]) : this.store.trackedTagKeys(),
    ]);
    if (stats === undefined) throw new S3Error('NoSuchBucket', { details: { BucketName: bucket } });
    if (byTagKey === undefined) return stats;
    const tagged = values.reduce((sum, v) => ({ objects: sum.objects + v.objects, bytes: sum.bytes + v.bytes }), { objects: 0, bytes: 0 });
    return {
      ...stats,
      byTag: {
        key: byTagKey,
        tracked: tracked.includes(byTagKey),
        values,
        untagged: { objects: stats.objects - tagged.objects, bytes: stats.objectBytes - tagged.bytes },
      },
    };
  }
}
