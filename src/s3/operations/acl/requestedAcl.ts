import {
  ALL_USERS_URI,
  AUTHENTICATED_USERS_URI,
  LOG_DELIVERY_URI,
  cannedGrants,
  isCannedAcl,
  type AclGrant,
  type AclPermission,
} from '../../../core/access/AccessControlList.js';
import { canonicalIdOf } from '../../../core/identity/canonicalId.js';
import type { AccessService } from '../../../core/access/AccessService.js';
import { header, type S3Request } from '../../../http/S3Request.js';
import { S3Error } from '../../../errors/S3Error.js';
import type { RequestedGrant } from '../../xml/shapes/AccessControlPolicy.js';

/** Shared by the ACL operations and by the operations that create buckets and objects with an ACL. */

const GRANT_HEADERS: ReadonlyArray<readonly [string, AclPermission]> = [
  ['x-amz-grant-full-control', 'FULL_CONTROL'],
  ['x-amz-grant-read', 'READ'],
  ['x-amz-grant-write', 'WRITE'],
  ['x-amz-grant-read-acp', 'READ_ACP'],
  ['x-amz-grant-write-acp', 'WRITE_ACP'],
];

const GROUPS = new Set([ALL_USERS_URI, AUTHENTICATED_USERS_URI, LOG_DELIVERY_URI]);

/** Whether the request sets an ACL through headers (x-amz-acl or any x-amz-grant-*). */
export function hasAclHeaders(request: S3Request): boolean {
  return header(request, 'x-amz-acl') !== undefined || GRANT_HEADERS.some(([name]) => header(request, name) !== undefined);
}

/** `id="…", uri="…", emailAddress="…"` lists of one x-amz-grant-* header. */
function parseGrantHeader(value: string, permission: AclPermission): RequestedGrant[] {
  const grants: RequestedGrant[] = [];
  for (const part of value.split(',')) {
    const m = /^\s*(id|uri|emailAddress)\s*=\s*"?([^"]*)"?\s*$/i.exec(part);
    if (m === null) throw new S3Error('InvalidArgument', { message: 'Argument format not recognized', details: { ArgumentName: 'x-amz-grant', ArgumentValue: value } });
    const kind = (m[1] ?? '').toLowerCase();
    const v = m[2] ?? '';
    if (kind === 'id') grants.push({ grantee: { type: 'CanonicalUser', id: v }, permission });
    else if (kind === 'uri') grants.push({ grantee: { type: 'Group', uri: v }, permission });
    else grants.push({ grantee: { type: 'Email', email: v }, permission });
  }
  return grants;
}

/** Check requested grantees against the accounts Tessera knows: an unknown id is InvalidArgument, as AWS answers. */
export async function resolveGrants(
  access: Pick<AccessService, 'knownCanonicalIds'>,
  requested: readonly RequestedGrant[],
): Promise<AclGrant[]> {
  if (requested.length === 0) return [];
  const known = await access.knownCanonicalIds();
  return requested.map((g): AclGrant => {
    const grantee = g.grantee;
    if (grantee.type === 'Email') {
      throw new S3Error('UnresolvableGrantByEmailAddress', { details: { EmailAddress: grantee.email } });
    }
    if (grantee.type === 'Group') {
      if (!GROUPS.has(grantee.uri)) throw new S3Error('InvalidArgument', { message: 'Invalid group uri', details: { ArgumentName: 'uri', ArgumentValue: grantee.uri } });
      return { grantee, permission: g.permission };
    }
    if (!known.has(grantee.id)) throw new S3Error('InvalidArgument', { message: 'Invalid id', details: { ArgumentName: 'CanonicalUser/ID', ArgumentValue: grantee.id } });
    return { grantee, permission: g.permission };
  });
}

/**
 * The ACL a request's headers set: a canned ACL (x-amz-acl) expanded for the owner, or exactly the x-amz-grant-*
 * grants; undefined when the request sets none. Both kinds at once is 400 InvalidRequest; an unknown canned ACL is
 * 400 InvalidArgument.
 */
export async function aclFromHeaders(
  request: S3Request,
  access: Pick<AccessService, 'knownCanonicalIds'>,
  ownerAccountId: string,
  bucketOwnerAccountId: string = ownerAccountId,
): Promise<AclGrant[] | undefined> {
  const canned = header(request, 'x-amz-acl');
  const grantHeaders = GRANT_HEADERS.filter(([name]) => header(request, name) !== undefined);
  if (canned !== undefined && grantHeaders.length > 0) {
    throw new S3Error('InvalidRequest', { message: 'Specifying both Canned ACLs and Header Grants is not allowed' });
  }
  if (canned !== undefined) return cannedAcl(canned, ownerAccountId, bucketOwnerAccountId);
  if (grantHeaders.length === 0) return undefined;
  const requested = grantHeaders.flatMap(([name, permission]) => parseGrantHeader(header(request, name) ?? '', permission));
  return resolveGrants(access, requested);
}

/** The grants of a canned ACL name (x-amz-acl, PostObject's `acl` field); InvalidArgument when it is not one. */
export function cannedAcl(name: string, ownerAccountId: string, bucketOwnerAccountId: string = ownerAccountId): AclGrant[] {
  if (!isCannedAcl(name)) throw new S3Error('InvalidArgument', { details: { ArgumentName: 'x-amz-acl', ArgumentValue: name } });
  return cannedGrants(name, canonicalIdOf(ownerAccountId), canonicalIdOf(bucketOwnerAccountId));
}

/** The grants to show for a resource whose ACL was never set: its owner has FULL_CONTROL. */
export function defaultAcl(ownerAccountId: string): AclGrant[] {
  return [{ grantee: { type: 'CanonicalUser', id: canonicalIdOf(ownerAccountId) }, permission: 'FULL_CONTROL' }];
}
