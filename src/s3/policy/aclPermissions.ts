import {
  ALL_USERS_URI,
  AUTHENTICATED_USERS_URI,
  type AclGrant,
  type AclPermission,
} from '../../core/access/AccessControlList.js';
import type { Principal } from '../../core/identity/Principal.js';

/**
 * Which ACL permission grants which IAM action (AWS "Mapping of ACL permissions and access policy permissions").
 * `bucket`: checked against the bucket's ACL; `object`: against the addressed object version's ACL.
 * Actions not listed here are never granted by an ACL (tagging, policies, versioning, …).
 */
const BUCKET_ACL: Readonly<Record<string, AclPermission>> = {
  's3:listbucket': 'READ',
  's3:listbucketversions': 'READ',
  's3:listbucketmultipartuploads': 'READ',
  's3:putobject': 'WRITE',
  's3:deleteobject': 'WRITE',
  's3:deleteobjectversion': 'WRITE',
  's3:abortmultipartupload': 'WRITE',
  's3:getbucketacl': 'READ_ACP',
  's3:putbucketacl': 'WRITE_ACP',
};

const OBJECT_ACL: Readonly<Record<string, AclPermission>> = {
  's3:getobject': 'READ',
  's3:getobjectversion': 'READ',
  's3:getobjecttorrent': 'READ',
  's3:getobjectacl': 'READ_ACP',
  's3:getobjectversionacl': 'READ_ACP',
  's3:putobjectacl': 'WRITE_ACP',
  's3:putobjectversionacl': 'WRITE_ACP',
};

/** The ACL (bucket's or object's) and the permission an ACL grant must give for `action`; undefined when none can. */
export function aclPermissionFor(action: string): { acl: 'bucket' | 'object'; permission: AclPermission } | undefined {
  const lower = action.toLowerCase();
  const onBucket = BUCKET_ACL[lower];
  if (onBucket !== undefined) return { acl: 'bucket', permission: onBucket };
  const onObject = OBJECT_ACL[lower];
  return onObject === undefined ? undefined : { acl: 'object', permission: onObject };
}

/**
 * How a grant list lets `principal` have `permission`: 'group' (AllUsers, AuthenticatedUsers: anyone, or any signed
 * request), 'account' (a CanonicalUser grant to the principal's account — it speaks for the account: its root user;
 * IAM users of the account also need their identity policy to allow, as S3 delegates to the account), or undefined.
 */
export function aclGrants(grants: readonly AclGrant[], principal: Principal, permission: AclPermission): 'group' | 'account' | undefined {
  let result: 'group' | 'account' | undefined;
  for (const grant of grants) {
    if (grant.permission !== permission && grant.permission !== 'FULL_CONTROL') continue;
    const g = grant.grantee;
    if (g.type === 'Group') {
      if (g.uri === ALL_USERS_URI || (g.uri === AUTHENTICATED_USERS_URI && principal.kind === 'user')) return 'group';
    } else if (principal.kind === 'user' && g.id === principal.canonicalId) {
      result = 'account';
    }
  }
  return result;
}
