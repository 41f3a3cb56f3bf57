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
 * transport, user agent, referer — see src/http/requestFacts.ts). Each key is read from the request only when a
 * policy condition asks for it (most requests' policies name none of them), and the request's tags are parsed once.
 */
export function s3ConditionsOf(input: ContextInput): ActionConditions {
  return new S3Conditions(input);
}

/** The keys as getters over the request: nothing is computed that no condition reads. */
class S3Conditions implements ActionConditions {
  private tags: readonly Tag[] | undefined | null = null;

  constructor(private readonly input: ContextInput) {}

  get resourceAccount(): string | undefined {
    return this.input.resourceAccount;
  }
  get prefix(): string | undefined {
    return this.input.prefix ?? this.input.request.query.get('prefix');
  }
  get delimiter(): string | undefined {
    return this.input.request.query.get('delimiter');
  }
  get maxKeys(): string | undefined {
    return this.input.request.query.get('max-keys');
  }
  get versionId(): string | undefined {
    return this.input.request.query.get('versionId');
  }
  get acl(): string | undefined {
    return this.input.facts?.acl ?? header(this.input.request, 'x-amz-acl');
  }
  get copySource(): string | undefined {
    return copySourceOf(this.input.request);
  }
  get metadataDirective(): string | undefined {
    return header(this.input.request, 'x-amz-metadata-directive');
  }
  get contentSha256(): string | undefined {
    return header(this.input.request, 'x-amz-content-sha256');
  }
  get signatureVersion(): string | undefined {
    return signatureVersionOf(this.input.request);
  }
  get authType(): 'REST-HEADER' | 'REST-QUERY-STRING' | 'POST' | undefined {
    return authTypeOf(this.input.request, this.input.facts);
  }
  /** The tags the operation read from the body, else `x-amz-tagging` (parsed on the first read). */
  get requestObjectTags(): readonly Tag[] | undefined {
    if (this.tags === null) this.tags = this.input.facts?.requestObjectTags ?? headerTags(this.input.request);
    return this.tags;
  }
  get existingObjectTags(): TagSource | undefined {
    return this.input.existingObjectTags;
  }
  get bucketTags(): TagSource | undefined {
    return this.input.bucketTags;
  }
}
