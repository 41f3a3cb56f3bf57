import type { Database, Statement } from 'better-sqlite3';
import type { AclGrant } from '../../../core/access/AccessControlList.js';

interface BucketAccessRow {
  readonly policy: string | null;
  readonly acl: string | null;
}

/** Bucket policies, bucket ACLs and object-version ACLs (tables of migration 004). ACLs are stored as JSON grants. */
export class AccessRepo {
  private readonly selectBucket: Statement<[string], BucketAccessRow>;
  private readonly upsertPolicy: Statement<[string, string | null]>;
  private readonly upsertAcl: Statement<[string, string | null]>;
  private readonly dropEmpty: Statement<[string]>;
  private readonly selectObjectAcl: Statement<[number], { acl: string }>;
  private readonly upsertObjectAcl: Statement<[number, string]>;
  private readonly deleteObjectAcl: Statement<[number]>;
  private readonly selectUploadAcl: Statement<[string], { acl: string }>;
  private readonly insertUploadAcl: Statement<[string, string]>;

  constructor(db: Database) {
    this.selectBucket = db.prepare('SELECT policy, acl FROM bucket_access WHERE bucket = ?');
    this.upsertPolicy = db.prepare(`INSERT INTO bucket_access (bucket, policy) VALUES (?, ?)
      ON CONFLICT (bucket) DO UPDATE SET policy = excluded.policy`);
    this.upsertAcl = db.prepare(`INSERT INTO bucket_access (bucket, acl) VALUES (?, ?)
      ON CONFLICT (bucket) DO UPDATE SET acl = excluded.acl`);
    this.dropEmpty = db.prepare('DELETE FROM bucket_access WHERE bucket = ? AND policy IS NULL AND acl IS NULL');
    this.selectObjectAcl = db.prepare('SELECT acl FROM object_acls WHERE version_row = ?');
    this.upsertObjectAcl = db.prepare(`INSERT INTO object_acls (version_row, acl) VALUES (?, ?)
      ON CONFLICT (version_row) DO UPDATE SET acl = excluded.acl`);
    this.deleteObjectAcl = db.prepare('DELETE FROM object_acls WHERE version_row = ?');
    this.selectUploadAcl = db.prepare('SELECT acl FROM upload_acls WHERE upload_id = ?');
    this.insertUploadAcl = db.prepare(`INSERT INTO upload_acls (upload_id, acl) VALUES (?, ?)
      ON CONFLICT (upload_id) DO UPDATE SET acl = excluded.acl`);
  }

  bucketAccess(bucket: string): { policy: string | undefined; acl: AclGrant[] | undefined } {
    const row = this.selectBucket.get(bucket);
    return { policy: row?.policy ?? undefined, acl: row?.acl == null ? undefined : (JSON.parse(row.acl) as AclGrant[]) };
  }

  /** The caller has checked that the bucket exists. */
  setPolicy(bucket: string, policy: string | undefined): void {
    this.upsertPolicy.run(bucket, policy ?? null);
    this.dropEmpty.run(bucket);
  }

  setAcl(bucket: string, grants: readonly AclGrant[] | undefined): void {
    this.upsertAcl.run(bucket, grants === undefined ? null : JSON.stringify(grants));
    this.dropEmpty.run(bucket);
  }

  objectAcl(versionRow: number): AclGrant[] | undefined {
    const row = this.selectObjectAcl.get(versionRow);
    return row === undefined ? undefined : (JSON.parse(row.acl) as AclGrant[]);
  }

  setObjectAcl(versionRow: number, grants: readonly AclGrant[] | undefined): void {
    if (grants === undefined) this.deleteObjectAcl.run(versionRow);
    else this.upsertObjectAcl.run(versionRow, JSON.stringify(grants));
  }

  uploadAcl(uploadId: string): AclGrant[] | undefined {
    const row = this.selectUploadAcl.get(uploadId);
    return row === undefined ? undefined : (JSON.parse(row.acl) as AclGrant[]);
  }

  /** The caller has checked that the upload exists. */
  setUploadAcl(uploadId: string, grants: readonly AclGrant[]): void {
    this.insertUploadAcl.run(uploadId, JSON.stringify(grants));
  }
}
