import type { Bucket } from '../buckets/Bucket.js';
import type { ObjectVersion } from '../objects/ObjectVersion.js';
import type { AclGrant } from '../access/AccessControlList.js';

/** Bucket policies, bucket ACLs and object ACLs (conventions: see MetadataStore). */
export interface AccessStore {
  /**
   * The bucket's policy (JSON text as stored) and ACL grants; each undefined when not set (default ACL). `asOf`: the
   * bucket as the caller has just read it (getBucket); a store whose bucket reads carry the access of the same
   * bucket generation (bucketGeneration: a policy or ACL change moves the configuration revision) may answer from
   * that read instead of reading again. Without it, the store reads what is current.
   */
  getBucketAccess(name: string, asOf?: Bucket): Promise<{ policy: string | undefined; acl: AclGrant[] | undefined }>;
  /** Store (text) or remove (undefined) the bucket policy. */
  setBucketPolicy(name: string, policy: string | undefined): Promise<'ok' | 'missing'>;
  /** Store the bucket's ACL grants, or reset to the default ACL (undefined). */
  setBucketAcl(name: string, grants: readonly AclGrant[] | undefined): Promise<'ok' | 'missing'>;
  /**
   * The ACL grants of a version (latest when versionId is undefined); `acl` undefined means the default ACL.
   * An unversioned overwrite (the version rewritten in place) and a deletion drop the version's ACL.
   */
  getObjectAcl(
    bucket: string,
    key: string,
    versionId?: string,
  ): Promise<{ version: ObjectVersion; acl: AclGrant[] | undefined } | undefined>;
  /**
   * Replace (grants) or reset (undefined) the ACL of an existing version (latest when versionId is undefined):
   * PutObjectAcl. A new version's ACL is not set here: it travels in NewObjectVersion.acl and commits with it.
   */
  setObjectAcl(
    bucket: string,
    key: string,
    versionId: string | undefined,
    grants: readonly AclGrant[] | undefined,
  ): Promise<{ status: 'ok'; version: ObjectVersion } | { status: 'missing' } | { status: 'delete-marker'; version: ObjectVersion }>;
}
