import type { CoreDeps } from '../CoreDeps.js';
import { ownerLookup, type OwnerInfo } from '../objects/listing/owners.js';
import type { ObjectVersion } from '../objects/ObjectVersion.js';
import type { AclGrant } from './AccessControlList.js';

/** The outcome of changing a version's ACL. The operation decides what each means on the wire. */
export type ObjectAclOutcome =
  | { readonly status: 'ok'; readonly version: ObjectVersion }
  /** No such key, or no such version of it. */
  | { readonly status: 'missing' }
  /** The addressed version (the latest, when no versionId was given) is a delete marker, which has no ACL. */
  | { readonly status: 'delete-marker'; readonly version: ObjectVersion };

/**
 * Access control as the S3 operations manage it: bucket policies, bucket ACLs, object (version) ACLs, and the
 * accounts that grants and Owner elements name. A new object's ACL is not set here: it commits with its version
 * (ObjectAttributes.acl, CreateUploadInput.acl). "Absent" is a result; the operation decides the S3 error.
 */
export class AccessService {
  constructor(private readonly deps: Pick<CoreDeps, 'access' | 'accounts'>) {}

  /** The bucket's policy (JSON text as stored) and ACL grants; each undefined when not set (default ACL). */
  bucketAccess(bucket: string): Promise<{ policy: string | undefined; acl: AclGrant[] | undefined }> {
    return this.deps.access.getBucketAccess(bucket);
  }

  /** Store (text) or remove (undefined) the bucket policy; 'missing' when the bucket is gone. */
  setBucketPolicy(bucket: string, policy: string | undefined): Promise<'ok' | 'missing'> {
    return this.deps.access.setBucketPolicy(bucket, policy);
  }

  /** Replace the bucket's ACL, or reset it to the default (undefined); 'missing' when the bucket is gone. */
  setBucketAcl(bucket: string, grants: readonly AclGrant[] | undefined): Promise<'ok' | 'missing'> {
    return this.deps.access.setBucketAcl(bucket, grants);
  }

  /** The ACL of a version (latest when versionId is undefined), `acl` undefined for the default; undefined when absent. */
  objectAcl(bucket: string, key: string, versionId?: string): Promise<{ version: ObjectVersion; acl: AclGrant[] | undefined } | undefined> {
    return this.deps.access.getObjectAcl(bucket, key, versionId);
  }

  /** Replace the ACL of an existing version (latest when versionId is undefined): PutObjectAcl. */
  setObjectAcl(bucket: string, key: string, versionId: string | undefined, grants: readonly AclGrant[]): Promise<ObjectAclOutcome> {
    return this.deps.access.setObjectAcl(bucket, key, versionId, grants);
  }

  /** The canonical ids of the accounts Tessera knows (a grant may name only those). */
  async knownCanonicalIds(): Promise<ReadonlySet<string>> {
    return new Set((await this.deps.accounts.listAccounts()).map((a) => a.canonicalId));
  }

  /** Display names by canonical id, for rendering grants; accounts are few, so they are listed once. */
  async displayNames(): Promise<(canonicalId: string) => string | undefined> {
    const names = new Map((await this.deps.accounts.listAccounts()).map((a) => [a.canonicalId, a.displayName]));
    return (id) => names.get(id);
  }

  /** A per-request lookup from an owner account id to its Owner element (see listing/owners.ts). */
  ownerLookup(): (accountId: string) => Promise<OwnerInfo> {
    return ownerLookup(this.deps.accounts);
  }
}
