import type { Bucket, VersioningState } from '../../../core/buckets/Bucket.js';

/** The `buckets` columns both backends have; each backend's row adds its own (SQLite has_tag_set, PostgreSQL config_revision). */
export interface BucketFieldsRow {
  readonly name: string;
  readonly owner_account_id: string;
  readonly region: string;
  readonly created_at: number;
  readonly versioning: VersioningState;
}

/** The Bucket those columns give; each backend adds what its own columns hold and freezes the result. */
export function bucketFields(row: BucketFieldsRow): Bucket {
  return {
    name: row.name,
    ownerAccountId: row.owner_account_id,
    region: row.region,
    createdAt: new Date(row.created_at),
    versioning: row.versioning,
  };
}
