import type { AclGrant } from '../../../core/access/AccessControlList.js';
import { S3Error } from '../../../errors/S3Error.js';
import { parseAccessControlPolicy } from '../../xml/shapes/AccessControlPolicy.js';
import type { OperationContext } from '../Operation.js';
import { aclFromHeaders, hasAclHeaders, resolveGrants } from './requestedAcl.js';

/** Largest AccessControlPolicy document accepted (AWS allows at most 100 grants). */
const MAX_ACL_BODY_BYTES = 64 * 1024;

/**
 * The ACL a PutBucketAcl / PutObjectAcl request sets: from the headers (canned or grants) or from the
 * AccessControlPolicy body — one or the other. Neither is 400 MissingSecurityHeader-like InvalidRequest, as AWS.
 */
export async function requestedAcl(ctx: OperationContext, ownerAccountId: string, bucketOwnerAccountId: string): Promise<AclGrant[]> {
  const access = ctx.services.access;
  const body = await ctx.body.readAll(MAX_ACL_BODY_BYTES);
  if (hasAclHeaders(ctx.request)) {
    if (body.length > 0) throw new S3Error('UnexpectedContent');
    return (await aclFromHeaders(ctx.request, access, ownerAccountId, bucketOwnerAccountId)) ?? [];
  }
  if (body.length === 0) throw new S3Error('MissingSecurityHeader', { message: 'Your request was missing a required header', details: { MissingHeaderName: 'x-amz-acl' } });
  const parsed = parseAccessControlPolicy(body);
  return resolveGrants(access, parsed.grants);
}
