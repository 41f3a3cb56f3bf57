/**
 * S3 access control lists (the legacy grant model kept for older tools): who may do what to a bucket or an object.
 * Stored per bucket and per object version; absent means the default ACL (the owner has FULL_CONTROL).
 * The owner is not stored here: it is the bucket's owner, or the object version's owner.
 */
export type AclPermission = 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';

export const ACL_PERMISSIONS: readonly AclPermission[] = ['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP'];

export const ALL_USERS_URI = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS_URI = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
export const LOG_DELIVERY_URI = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

export type AclGrantee =
  | { readonly type: 'CanonicalUser'; readonly id: string }
  | { readonly type: 'Group'; readonly uri: string };

export interface AclGrant {
  readonly grantee: AclGrantee;
  readonly permission: AclPermission;
}

/** The canned ACLs S3 accepts in x-amz-acl. */
export const CANNED_ACLS = [
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'aws-exec-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
  'log-delivery-write',
] as const;
export type CannedAcl = (typeof CANNED_ACLS)[number];

export function isCannedAcl(value: string): value is CannedAcl {
  return (CANNED_ACLS as readonly string[]).includes(value);
}

/**
 * The grants of a canned ACL (group grants listed before the owner's, the order the ceph suite expects; clients
 * treat grants as a set), per AWS's "Canned ACL" table. `ownerId` is the canonical id of the resource owner;
 * `bucketOwnerId` the bucket owner's (for the bucket-owner-* ACLs of objects).
 */
export function cannedGrants(acl: CannedAcl, ownerId: string, bucketOwnerId: string = ownerId): AclGrant[] {
  const owner: AclGrant = { grantee: { type: 'CanonicalUser', id: ownerId }, permission: 'FULL_CONTROL' };
  const group = (uri: string, permission: AclPermission): AclGrant => ({ grantee: { type: 'Group', uri }, permission });
  switch (acl) {
    case 'private':
    case 'aws-exec-read':
      return [owner];
    case 'public-read':
      return [group(ALL_USERS_URI, 'READ'), owner];
    case 'public-read-write':
      return [group(ALL_USERS_URI, 'READ'), group(ALL_USERS_URI, 'WRITE'), owner];
    case 'authenticated-read':
      return [group(AUTHENTICATED_USERS_URI, 'READ'), owner];
    case 'bucket-owner-read':
      return bucketOwnerId === ownerId ? [owner] : [owner, { grantee: { type: 'CanonicalUser', id: bucketOwnerId }, permission: 'READ' }];
    case 'bucket-owner-full-control':
      return bucketOwnerId === ownerId
        ? [owner]
        : [owner, { grantee: { type: 'CanonicalUser', id: bucketOwnerId }, permission: 'FULL_CONTROL' }];
    case 'log-delivery-write':
      return [group(LOG_DELIVERY_URI, 'WRITE'), group(LOG_DELIVERY_URI, 'READ_ACP'), owner];
  }
}
