import type { AclGrant } from '../../../core/access/AccessControlList.js';
import type { Bucket, VersioningState } from '../../../core/buckets/Bucket.js';
import type { Tag } from '../../../core/tags/Tag.js';
import type { BucketAccess } from './BucketAccessMemo.js';
import type { Queryable } from './Queryable.js';
import { bucketFields, type BucketFieldsRow } from '../rows/bucketRows.js';

interface BucketRow extends BucketFieldsRow {
  readonly config_revision: number;
}

const BUCKET_COLUMNS = 'name, owner_account_id, region, created_at, versioning, config_revision';

/**
 * Buckets and bucket tags. Nothing is cached: another node may change a bucket at any time (a read cache in front
 * must follow a signal all nodes share).
 */
export class BucketRepo {
  async create(sql: Queryable, bucket: Bucket): Promise<'created' | 'exists'> {
    const result = await sql.query(
      `INSERT INTO buckets (name, owner_account_id, region, created_at, versioning) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (name) DO NOTHING`,
      [bucket.name, bucket.ownerAccountId, bucket.region, bucket.createdAt.getTime(), bucket.versioning],
    );
    return result.rowCount === 1 ? 'created' : 'exists';
  }

  async get(sql: Queryable, name: string): Promise<Bucket | undefined> {
    const result = await sql.query<BucketRow>(`SELECT ${BUCKET_COLUMNS} FROM buckets WHERE name = $1`, [name], 'tessera_bucket');
    const row = result.rows[0];
    return row === undefined ? undefined : toBucket(row);
  }

  /** The bucket with its policy and ACL as of the same statement (one round trip for a request's bucket and access). */
  async getWithAccess(sql: Queryable, name: string): Promise<{ bucket: Bucket; access: BucketAccess } | undefined> {
    const result = await sql.query<BucketRow & { policy: string | null; acl: string | null }>(
      `SELECT b.name, b.owner_account_id, b.region, b.created_at, b.versioning, b.config_revision, a.policy, a.acl
         FROM buckets b LEFT JOIN bucket_access a ON a.bucket = b.name WHERE b.name = $1`,
      [name],
      'tessera_bucket_with_access',
    );
    const row = result.rows[0];
    if (row === undefined) return undefined;
    return { bucket: toBucket(row), access: { policy: row.policy ?? undefined, acl: row.acl === null ? undefined : (JSON.parse(row.acl) as AclGrant[]) } };
  }

  /** Lock the bucket row against object writes (their foreign-key checks share-lock it) before deleting it. */
  async lockForDelete(sql: Queryable, name: string): Promise<boolean> {
    return (await sql.query('SELECT 1 FROM buckets WHERE name = $1 FOR UPDATE', [name])).rowCount === 1;
  }

  async list(sql: Queryable, ownerAccountId: string | undefined): Promise<Bucket[]> {
    const result =
      ownerAccountId === undefined
        ? await sql.query<BucketRow>(`SELECT ${BUCKET_COLUMNS} FROM buckets ORDER BY name`)
        : await sql.query<BucketRow>(`SELECT ${BUCKET_COLUMNS} FROM buckets WHERE owner_account_id = $1 ORDER BY name`, [ownerAccountId]);
    return result.rows.map(toBucket);
  }

  async setVersioning(sql: Queryable, name: string, state: VersioningState): Promise<'ok' | 'missing'> {
    const result = await sql.query('UPDATE buckets SET versioning = $1 WHERE name = $2', [state, name]);
    return result.rowCount === 1 ? 'ok' : 'missing';
  }

  /** Delete the row; the caller has checked the bucket is empty. bucket_tags, bucket_access, change_feeds cascade. */
  async delete(sql: Queryable, name: string): Promise<boolean> {
    return (await sql.query('DELETE FROM buckets WHERE name = $1', [name])).rowCount === 1;
  }

  /** The bucket's tag set, or undefined when it has none (or there is no such bucket): one statement. */
  async getTags(sql: Queryable, name: string): Promise<Tag[] | undefined> {
    const result = await sql.query<{ tags: [string, string][] | null }>(
      `SELECT (SELECT json_agg(json_build_array(t.key, t.value) ORDER BY t.key COLLATE "C") FROM bucket_tags t
         WHERE t.bucket = b.name) AS tags
       FROM buckets b WHERE b.name = $1 AND b.has_tag_set = 1`,
      [name],
    );
    const row = result.rows[0];
    if (row === undefined) return undefined;
    return (row.tags ?? []).map(([key, value]) => ({ key, value }));
  }

  /** Replace the tag set (undefined: none), in one statement. */
  async setTags(sql: Queryable, name: string, tags: readonly Tag[] | undefined): Promise<'ok' | 'missing'> {
    const result = await sql.query<{ found: number }>(
      `WITH b AS (
         UPDATE buckets SET has_tag_set = $2 WHERE name = $1 RETURNING name
       ), dropped AS (
         DELETE FROM bucket_tags WHERE bucket IN (SELECT name FROM b) RETURNING 1
       ), added AS (
         INSERT INTO bucket_tags (bucket, key, value)
         SELECT b.name, t.k, t.v FROM b, unnest($3::text[], $4::text[]) AS t (k, v), (SELECT count(*) FROM dropped) AS d
       )
       SELECT count(*)::int AS found FROM b`,
      [name, tags === undefined ? 0 : 1, (tags ?? []).map((t) => t.key), (tags ?? []).map((t) => t.value)],
    );
    return result.rows[0]?.found === 1 ? 'ok' : 'missing';
  }
}

function toBucket(row: BucketRow): Bucket {
  return Object.freeze({
    ...bucketFields(row),
    // moved by migration 006's triggers with every configuration change; absent while there was none
    ...(row.config_revision > 0 ? { configRevision: row.config_revision } : {}),
  });
}
