import type { Tag } from '../../core/tags/Tag.js';
import { parseTaggingHeader } from '../../core/tags/TagSet.js';
import { header, type S3Request } from '../../http/S3Request.js';
import type { AuthorizationFacts } from './Authorizer.js';
import type { TagSource } from '../../policy/engine/index.js';
import type { ActionConditions } from '../../policy/authorizeIdentity.js';

/** What the request context of one action needs besides the request itself. */
export interface ContextInput {
  readonly request: S3Request;
  readonly facts: AuthorizationFacts | undefined;
  /** Account owning the bucket concerned. */
  readonly resourceAccount: string | undefined;
  /** Loader of the addressed version's tags, for actions on the addressed object (never for a copy source). */
  readonly existingObjectTags: TagSource | undefined;
  readonly bucketTags: TagSource | undefined;
  /** s3:prefix to use instead of the query's (the missing-object check asks about ListBucket with prefix = key). */
  readonly prefix?: string | undefined;
}

/** `x-amz-tagging` as policies see it; a header that does not parse gives no tags (the handler rejects it). */
function headerTags(request: S3Request): readonly Tag[] | undefined {
  const value = header(request, 'x-amz-tagging');
  if (value === undefined) return undefined;
  try {
    return parseTaggingHeader(value);
  } catch {
    return undefined;
  }
}

/** `x-amz-copy-source` as the s3:x-amz-copy-source key holds it: `bucket/key`, decoded, no leading slash or query. */
function copySourceOf(request: S3Request): string | undefined {
  const value = header(request, 'x-amz-copy-source');
  if (value === undefined) return undefined;
  const q = value.indexOf('?');
  const path = q < 0 ? value : value.slice(0, q);
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // keep it as sent
  }
  return decoded.startsWith('/') ? decoded.slice(1) : decoded;
}

function authTypeOf(request: S3Request, facts: AuthorizationFacts | undefined): 'REST-HEADER' | 'REST-QUERY-STRING' | 'POST' | undefined {
  if (facts?.authType === 'POST') return 'POST';
  if (header(request, 'authorization') !== undefined) return 'REST-HEADER';
  if (request.query.has('X-Amz-Signature') || request.query.has('Signature')) return 'REST-QUERY-STRING';
  return undefined;
}

function signatureVersionOf(request: S3Request): string | undefined {
  const auth = header(request, 'authorization');
  if (auth?.startsWith('AWS4-HMAC-SHA256') === true || request.query.has('X-Amz-Signature')) return 'AWS4-HMAC-SHA256';
  if (auth?.startsWith('AWS ') === true || request.query.has('Signature')) return 'AWS';
  return undefined;
}

/**
 * The S3 condition keys of one action of one S3 request (beyond the request facts every API shares: time, source IP,
 * transport, user agent, referer — see src/http/requestFacts.ts).
 */
export function s3ConditionsOf(input: ContextInput): ActionConditions {
  const { request, facts } = input;
  const q = request.query;
  const requestObjectTags = facts?.requestObjectTags ?? headerTags(request);
  return {
    resourceAccount: input.resourceAccount,
    prefix: input.prefix ?? q.get('prefix'),
    delimiter: q.get('delimiter'),
    maxKeys: q.get('max-keys'),
    versionId: q.get('versionId'),
    acl: facts?.acl ?? header(request, 'x-amz-acl'),
    copySource: copySourceOf(request),
    metadataDirective: header(request, 'x-amz-metadata-directive'),
    contentSha256: header(request, 'x-amz-content-sha256'),
    signatureVersion: signatureVersionOf(request),
    authType: authTypeOf(request, facts),
    requestObjectTags,
    existingObjectTags: input.existingObjectTags,
    bucketTags: input.bucketTags,
  };
}
