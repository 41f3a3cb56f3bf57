import type { AclGrant } from '../../../core/access/AccessControlList.js';
import type { Queryable } from './Queryable.js';
import { TOUCH_VERSION } from './versionSql.js';

/** Bucket policies and ACLs, object-version ACLs, upload ACLs (stored as JSON grants, as in SQLite). */
export class AccessRepo {
  async bucketAccess(sql: Queryable, bucket: string): Promise<{ policy: string | undefined; acl: AclGrant[] | undefined }> {
    const result = await sql.query<{ policy: string | null; acl: string | null }>(
      'SELECT policy, acl FROM bucket_access WHERE bucket = $1',
      [bucket],
      'tessera_bucket_access',
    );
    const row = result.rows[0];
    return { policy: row?.policy ?? undefined, acl: row?.acl == null ? undefined : (JSON.parse(row.acl) as AclGrant[]) };
  }

  /**
   * Set the policy or the ACL of an existing bucket (undefined: remove it), dropping the row when both are gone.
   * 'missing' when there is no such bucket. Inside a transaction: the bucket row is locked first as the revision
   * trigger's UPDATE will lock it (FOR NO KEY UPDATE), so a concurrent DeleteBucket waits (or has already removed it)
   * and two writers of one bucket's access take turns. (A share lock there let two writers each hold one and then
   * wait for each other: one for the other's share lock to update the row, the other for the first's bucket_access
   * insert; a deadlock on every retry.) Object writes are not held up: their foreign-key checks take FOR KEY SHARE.
   */
  async setBucketField(tx: Queryable, bucket: string, field: 'policy' | 'acl', value: string | null): Promise<'ok' | 'missing'> {
    if ((await tx.query('SELECT 1 FROM buckets WHERE name = $1 FOR NO KEY UPDATE', [bucket])).rowCount !== 1) return 'missing';
    await tx.query(
      `INSERT INTO bucket_access (bucket, ${field}) VALUES ($1, $2) ON CONFLICT (bucket) DO UPDATE SET ${field} = excluded.${field}`,
      [bucket, value],
    );
    await tx.query('DELETE FROM bucket_access WHERE bucket = $1 AND policy IS NULL AND acl IS NULL', [bucket]);
    return 'ok';
  }

  /** Set or drop a version's ACL; the caller holds the version's row lock (the row is rewritten too: TOUCH_VERSION). */
  async setObjectAcl(sql: Queryable, versionRow: number, grants: readonly AclGrant[] | undefined): Promise<void> {
    await sql.query(TOUCH_VERSION, [versionRow], 'tessera_v_touch');
    if (grants === undefined) await sql.query('DELETE FROM object_acls WHERE version_row = $1', [versionRow]);
    else {
      await sql.query(
        'INSERT INTO object_acls (version_row, acl) VALUES ($1, $2) ON CONFLICT (version_row) DO UPDATE SET acl = excluded.acl',
        [versionRow, JSON.stringify(grants)],
      );
    }
  }

  async uploadAcl(sql: Queryable, uploadId: string): Promise<AclGrant[] | undefined> {
    const result = await sql.query<{ acl: string }>('SELECT acl FROM upload_acls WHERE upload_id = $1', [uploadId], 'tessera_upload_acl');
    const row = result.rows[0];
    return row === undefined ? undefined : (JSON.parse(row.acl) as AclGrant[]);
  }
}
