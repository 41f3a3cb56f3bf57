import { ALL_USERS_URI, AUTHENTICATED_USERS_URI, type AclGrant } from '../../../core/access/AccessControlList.js';

/**
 * Whether a bucket is public, as GetBucketPolicyStatus reports it (S3 "The meaning of public"): a policy is public
 * when an Allow statement applies to everyone (`*` or `{"AWS": "*"}`) and no condition pins it to fixed values
 * (aws:SourceIp, aws:SourceArn, aws:SourceVpc(e), aws:SourceAccount, aws:SourceOwner, aws:PrincipalAccount,
 * aws:PrincipalArn, aws:PrincipalOrgID, aws:userid, s3:DataAccessPointArn/Account). An ACL is public when it grants
 * anything to AllUsers or AuthenticatedUsers.
 */
const PINNING_KEYS = new Set([
  'aws:sourceip',
  'aws:sourcearn',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:principalorgid',
  'aws:userid',
  's3:dataaccesspointarn',
  's3:dataaccesspointaccount',
]);

function everyone(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const aws = (principal as Record<string, unknown>)['AWS'];
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
}

function pinned(condition: unknown): boolean {
  if (typeof condition !== 'object' || condition === null) return false;
  return Object.values(condition as Record<string, unknown>).some(
    (block) =>
      typeof block === 'object' &&
      block !== null &&
      Object.keys(block).some((k) => PINNING_KEYS.has(k.toLowerCase())),
  );
}

export function policyIsPublic(text: string | undefined): boolean {
  if (text === undefined) return false;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return false;
  }
  const raw = (doc as { Statement?: unknown }).Statement;
  const statements = Array.isArray(raw) ? raw : [raw];
  return statements.some((s) => {
    if (typeof s !== 'object' || s === null) return false;
    const st = s as Record<string, unknown>;
    return st['Effect'] === 'Allow' && everyone(st['Principal']) && !pinned(st['Condition']);
  });
}

export function aclIsPublic(grants: readonly AclGrant[] | undefined): boolean {
  return (grants ?? []).some((g) => g.grantee.type === 'Group' && (g.grantee.uri === ALL_USERS_URI || g.grantee.uri === AUTHENTICATED_USERS_URI));
}
