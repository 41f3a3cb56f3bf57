import type { Database, Statement } from 'better-sqlite3';
import type { Bucket, VersioningState } from '../../../core/buckets/Bucket.js';
import type { Tag } from '../../../core/tags/Tag.js';
import { bucketFields, type BucketFieldsRow } from '../rows/bucketRows.js';

interface BucketRow extends BucketFieldsRow {
  readonly has_tag_set: number;
}

const BUCKET_COLUMNS = 'name, owner_account_id, region, created_at, versioning, has_tag_set';

/** Most buckets the lookup cache holds; it starts over when full. */
const CACHE_LIMIT = 10_000;

/**
 * Buckets and bucket tags (rows, indexed by (key, value) like object tags).
 *
 * `get` runs on every S3 request, so buckets found are cached. The cache holds committed rows only: it is filled only
 * outside a transaction, and every write of a bucket row drops that bucket's entry (a rolled-back write therefore just
 * costs a re-read). All writes of `buckets` must go through this class.
 */
export class BucketRepo {
  private readonly cache = new Map<string, Bucket>();
  private readonly insertBucket: Statement<[string, string, string, number, string]>;
  private readonly selectBucket: Statement<[string], BucketRow>;
  private readonly selectAll: Statement<[], BucketRow>;
  private readonly selectByOwner: Statement<[string], BucketRow>;
  private readonly updateVersioning: Statement<[string, string]>;
  private readonly deleteBucket: Statement<[string]>;
  private readonly updateHasTagSet: Statement<[number, string]>;
  private readonly selectTags: Statement<[string], Tag>;
  private readonly deleteTags: Statement<[string]>;
  private readonly insertTag: Statement<[string, string, string]>;

  constructor(private readonly db: Database) {
    this.insertBucket = db.prepare(`INSERT INTO buckets (name, owner_account_id, region, created_at, versioning)
      VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`);
    this.selectBucket = db.prepare(`SELECT ${BUCKET_COLUMNS} FROM buckets WHERE name = ?`);
    this.selectAll = db.prepare(`SELECT ${BUCKET_COLUMNS} FROM buckets ORDER BY name`);
    this.selectByOwner = db.prepare(`SELECT ${BUCKET_COLUMNS} FROM buckets WHERE owner_account_id = ? ORDER BY name`);
    this.updateVersioning = db.prepare('UPDATE buckets SET versioning = ? WHERE name = ?');
    this.deleteBucket = db.prepare('DELETE FROM buckets WHERE name = ?');
    this.updateHasTagSet = db.prepare('UPDATE buckets SET has_tag_set = ? WHERE name = ?');
    this.selectTags = db.prepare('SELECT key, value FROM bucket_tags WHERE bucket = ? ORDER BY key');
    this.deleteTags = db.prepare('DELETE FROM bucket_tags WHERE bucket = ?');
    this.insertTag = db.prepare('INSERT INTO bucket_tags (bucket, key, value) VALUES (?, ?, ?)');
  }

  create(bucket: Bucket): 'created' | 'exists' {
    this.cache.delete(bucket.name);
    const { changes } = this.insertBucket.run(
      bucket.name,
      bucket.ownerAccountId,
      bucket.region,
      bucket.createdAt.getTime(),
      bucket.versioning,
    );
    return changes === 1 ? 'created' : 'exists';
  }

  get(name: string): Bucket | undefined {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    const row = this.selectBucket.get(name);
    if (row === undefined) return undefined;
    const bucket = toBucket(row);
    if (!this.db.inTransaction) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(name, bucket);
    }
    return bucket;
  }

  list(ownerAccountId: string | undefined): Bucket[] {
    const rows = ownerAccountId === undefined ? this.selectAll.all() : this.selectByOwner.all(ownerAccountId);
    return rows.map(toBucket);
  }

  setVersioning(name: string, state: VersioningState): 'ok' | 'missing' {
    this.cache.delete(name);
    return this.updateVersioning.run(state, name).changes === 1 ? 'ok' : 'missing';
  }

  /** Delete the row; the caller has checked the bucket is empty. bucket_tags go by ON DELETE CASCADE. */
  delete(name: string): boolean {
    this.cache.delete(name);
    return this.deleteBucket.run(name).changes === 1;
  }

  getTags(name: string): Tag[] | undefined {
    const row = this.selectBucket.get(name);
    if (row === undefined || row.has_tag_set === 0) return undefined;
    return this.selectTags.all(name);
  }

  setTags(name: string, tags: readonly Tag[] | undefined): 'ok' | 'missing' {
    if (this.updateHasTagSet.run(tags === undefined ? 0 : 1, name).changes === 0) return 'missing';
    this.deleteTags.run(name);
    for (const tag of tags ?? []) this.insertTag.run(name, tag.key, tag.value);
    return 'ok';
  }
}

function toBucket(row: BucketRow): Bucket {
  // frozen: one cached object is shared by every request
  return Object.freeze(bucketFields(row));
}
