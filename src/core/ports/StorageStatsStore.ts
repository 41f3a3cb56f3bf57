/** What one bucket holds, as the metadata store keeps it current with every write (docs/metrics.md, "Storage figures"). */
export interface BucketStats {
  readonly bucket: string;
  /** Current versions that are not delete markers: what ListObjects shows. */
  readonly objects: number;
  readonly objectBytes: number;
  /** Every version that is not a delete marker, current or noncurrent: what the bucket stores. */
  readonly versions: number;
  readonly versionBytes: number;
  readonly deleteMarkers: number;
}

/** The current objects of a bucket carrying one value of a tracked tag key, and their bytes. */
export interface TagStats {
  readonly bucket: string;
  readonly key: string;
  readonly value: string;
  readonly objects: number;
  readonly bytes: number;
}

/** One value of a tag key in one bucket: its current objects and their bytes. */
export interface TagValueCount {
  readonly value: string;
  readonly objects: number;
  readonly bytes: number;
}

/**
 * Storage figures per bucket and per value of the tracked tag keys, kept current by the store in the same transaction
 * as every write, so reading them costs one row per bucket or per tracked value, never a scan. Every backend runs
 * test/storage/storageStatsContract.ts.
 */
export interface StorageStatsStore {
  /** Every bucket's figures (zeros for an empty bucket), by bucket name. */
  bucketStats(): Promise<BucketStats[]>;
  /** One bucket's figures; undefined when there is no such bucket. */
  bucketStatsOf(bucket: string): Promise<BucketStats | undefined>;
  /** Every (bucket, tracked key, value) with at least one current object, by bucket, key and value. */
  trackedTagStats(): Promise<TagStats[]>;
  /** The tracked tag keys, sorted. */
  trackedTagKeys(): Promise<string[]>;
  /**
   * Track exactly `keys` (already validated): a newly tracked key is counted from the tag index once, in this call's
   * transaction; the figures of a key no longer tracked go.
   */
  setTrackedTagKeys(keys: readonly string[]): Promise<void>;
  /**
   * The values of tag `key` on the current objects of `bucket`, by value. From the kept figures when the key is
   * tracked; otherwise one grouped query over the tag index, reading every tag row with that key in the store (a
   * backend documents that cost).
   */
  countByTag(bucket: string, key: string): Promise<TagValueCount[]>;
}
