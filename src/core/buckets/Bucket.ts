export type VersioningState = 'Unversioned' | 'Enabled' | 'Suspended';

export interface Bucket {
  readonly name: string;
  /** Account id of the owner. */
  readonly ownerAccountId: string;
  readonly region: string;
  readonly createdAt: Date;
  readonly versioning: VersioningState;
  /**
   * Moves with every change to the bucket's configurations (lifecycle, replication, notifications, metrics, audit),
   * where other nodes can make such changes (the PostgreSQL backend keeps it with triggers); undefined where one
   * process makes every change (SQLite). Caches of those configurations key on `bucketGeneration`.
   */
  readonly configRevision?: number;
}

/**
 * What a per-bucket configuration cache keys on: the bucket's creation (a bucket deleted and created again under the
 * same name has none of the old one's configurations) and its configuration revision (a change made on another node).
 */
export function bucketGeneration(bucket: Bucket): string {
  return `${bucket.createdAt.getTime()}:${bucket.configRevision ?? 0}`;
}
