import type { Tag } from '../../core/tags/Tag.js';
import { CONDITION_KEYS, findConditionKey, K, type ConditionKeyName, type KeyRef, type LazySource } from './conditionKeys.js';
import { normaliseIp } from './ipCidr.js';
import type { PolicyPrincipal } from './principals.js';
import type { VariableResolver } from './variables.js';

/** Tags given up front, or a loader the evaluator calls only when an applicable statement needs them. */
export type TagSource = readonly Tag[] | (() => Promise<readonly Tag[]>);

/**
 * What the caller (the S3 pipeline, later the IAM API) knows about a request. Every field maps to the condition
 * keys in conditionKeys.ts; leave a field out when the request does not carry it (the key is then absent).
 */
export interface RequestContextInput {
  /** The time of the request (aws:CurrentTime, aws:EpochTime): the clock is a parameter. */
  readonly now: Date;
  readonly principal: PolicyPrincipal;
  /** aws:SourceIp; IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is normalised to IPv4. */
  readonly sourceIp?: string | undefined;
  /** aws:SecureTransport */
  readonly secureTransport?: boolean | undefined;
  /** aws:Referer */
  readonly referer?: string | undefined;
  /** aws:UserAgent */
  readonly userAgent?: string | undefined;
  /** Account owning the addressed bucket (aws:ResourceAccount, s3:ResourceAccount). */
  readonly resourceAccount?: string | undefined;
  /** s3:prefix, s3:delimiter, s3:max-keys — listing parameters as sent. */
  readonly prefix?: string | undefined;
  readonly delimiter?: string | undefined;
  readonly maxKeys?: number | string | undefined;
  /** s3:VersionId — the versionId query parameter. */
  readonly versionId?: string | undefined;
  /** s3:x-amz-acl — the canned ACL header. */
  readonly acl?: string | undefined;
  /** s3:x-amz-copy-source — the copy source as `bucket/key` (decoded, without a leading slash). */
  readonly copySource?: string | undefined;
  /** s3:x-amz-metadata-directive — COPY or REPLACE. */
  readonly metadataDirective?: string | undefined;
  /** s3:x-amz-content-sha256 — the payload hash header (UNSIGNED-PAYLOAD, STREAMING-…, or a hex digest). */
  readonly contentSha256?: string | undefined;
  /** s3:signatureversion — `AWS4-HMAC-SHA256` for SigV4. */
  readonly signatureVersion?: string | undefined;
  /** s3:authType — REST-HEADER, REST-QUERY-STRING or POST. */
  readonly authType?: 'REST-HEADER' | 'REST-QUERY-STRING' | 'POST' | undefined;
  /** The tags the request sets (s3:RequestObjectTag/<key>, s3:RequestObjectTagKeys); undefined when it sets none. */
  readonly requestObjectTags?: readonly Tag[] | undefined;
  /** The addressed object version's current tags (s3:ExistingObjectTag/<key>), usually a lazy loader. */
  readonly existingObjectTags?: TagSource | undefined;
  /** The bucket's tags (aws:ResourceTag/<key>). */
  readonly bucketTags?: TagSource | undefined;
}

/** A lazily loaded key whose loader has not run yet. */
export const PENDING: unique symbol = Symbol('pending');
/**
 * A present key's value as a lookup gives it: one string for a single-valued key (most keys, and each tag), a list for
 * a multivalued one (s3:RequestObjectTagKeys). No list is made for a single value: every governed request looks up
 * several keys, and these small arrays were most of what an evaluation allocated.
 */
export type KeyValue = string | readonly string[];
export type LookupResult = KeyValue | undefined | typeof PENDING;

type Resolver = (input: RequestContextInput) => KeyValue | undefined;

/** A number or boolean field as the key's text (each field is read once: the input's fields may be getters). */
function text(value: number | string | boolean | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

function user(input: RequestContextInput): Extract<PolicyPrincipal, { kind: 'user' }> | undefined {
  return input.principal.kind === 'user' ? input.principal : undefined;
}

// Every governed request asks for aws:CurrentTime / aws:EpochTime within the same second as the one before it:
// remember the last second rendered (pure: the text depends on the second alone).
let lastSecond = NaN;
let lastIso = '';

/** `now` as aws:CurrentTime holds it: ISO 8601 to the second (`2026-12-04T08:00:00Z`). */
export function isoSeconds(now: Date): string {
  const second = Math.floor(now.getTime() / 1000);
  if (second !== lastSecond) {
    lastIso = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    lastSecond = second;
  }
  return lastIso;
}

/** Request-sourced keys (tag-style keys are handled by the context itself). One resolver per supported key. */
const RESOLVERS: Partial<Record<ConditionKeyName, Resolver>> = {
  // (made once per context: see RequestContext.lookup)
  [K.RequestObjectTagKeys]: (i) => i.requestObjectTags?.map((t) => t.key),
  [K.Prefix]: (i) => i.prefix,
  [K.Delimiter]: (i) => i.delimiter,
  [K.MaxKeys]: (i) => text(i.maxKeys),
  [K.VersionId]: (i) => i.versionId,
  [K.XAmzAcl]: (i) => i.acl,
  [K.XAmzCopySource]: (i) => i.copySource,
  [K.XAmzMetadataDirective]: (i) => i.metadataDirective,
  [K.XAmzContentSha256]: (i) => i.contentSha256,
  [K.SignatureVersion]: (i) => i.signatureVersion,
  [K.AuthType]: (i) => i.authType,
  [K.S3ResourceAccount]: (i) => i.resourceAccount,
  [K.ResourceAccount]: (i) => i.resourceAccount,
  [K.SourceIp]: (i) => {
    const ip = i.sourceIp;
    return ip === undefined ? undefined : normaliseIp(ip);
  },
  [K.SecureTransport]: (i) => text(i.secureTransport),
  [K.CurrentTime]: (i) => isoSeconds(i.now),
  [K.EpochTime]: (i) => String(Math.floor(i.now.getTime() / 1000)),
  [K.Referer]: (i) => i.referer,
  [K.UserAgent]: (i) => i.userAgent,
  [K.Username]: (i) => {
    const u = user(i);
    return u && !u.isRoot ? u.userName : undefined;
  },
  [K.Userid]: (i) => {
    const u = user(i);
    if (!u) return 'anonymous';
    return u.isRoot ? u.accountId : u.userId;
  },
  [K.PrincipalArn]: (i) => user(i)?.arn,
  [K.PrincipalAccount]: (i) => user(i)?.accountId,
  [K.PrincipalType]: (i) => {
    const u = user(i);
    return !u ? 'Anonymous' : u.isRoot ? 'Account' : 'User';
  },
};

/** RESOLVERS by catalogue position (ConditionKeyDef.ordinal). */
const RESOLVER_AT: readonly (Resolver | undefined)[] = CONDITION_KEYS.map((d) => RESOLVERS[d.name]);

/** Not computed yet (the tag keys' list: undefined means the request sets no tags). */
const UNREAD = Symbol('unread');

/** Keys the context answers itself (tag-style keys), rather than through RESOLVERS. */
const TAG_KEYS: ReadonlySet<ConditionKeyName> = new Set([K.ExistingObjectTag, K.RequestObjectTag, K.ResourceTag]);

/** Supported keys with no way to compute them (a programming error; the unit tests check this is empty). */
export function keysWithoutResolver(): ConditionKeyName[] {
  return CONDITION_KEYS.filter((d) => d.supported && !RESOLVERS[d.name] && !TAG_KEYS.has(d.name)).map((d) => d.name);
}

/**
 * A tag's value as a lookup answers it (a repeated key: the last one, as a map built from the set would hold). A scan:
 * tag sets are small (10 on an object, 50 on a bucket) and a policy asks for a few keys, so building a map per
 * request costs more than it saves.
 */
function tagValue(tags: readonly Tag[], key: string): string | undefined {
  for (let i = tags.length - 1; i >= 0; i--) {
    const tag = tags[i] as Tag;
    if (tag.key === key) return tag.value;
  }
  return undefined;
}

export class PolicyContextNotLoadedError extends Error {
  constructor(key: string) {
    super(`condition key ${key} is loaded lazily; call load() before get()`);
  }
}

/**
 * The request context a policy is evaluated against. A key's value is read from the input when a condition asks for
 * it: the input's fields are plain values or cheap getters (the S3 layer parses a header once, and the hot keys'
 * conversions remember their last answer: normaliseIp, isoSeconds), so nothing is copied or cached per context
 * except the request's list of tag keys. Existing object tags (and bucket tags, when given as a loader) are loaded
 * only through `load()`, which the evaluator calls only when a statement that otherwise applies has a condition on
 * them.
 */
export class RequestContext {
  readonly principal: PolicyPrincipal;
  readonly now: Date;
  private readonly input: RequestContextInput;
  /** s3:RequestObjectTagKeys once made (a list built from the request's tags). */
  private requestTagKeys: readonly string[] | undefined | typeof UNREAD = UNREAD;
  /** The lazy sources' tags once given or loaded. */
  private existingObjectTags: readonly Tag[] | undefined;
  private resourceTags: readonly Tag[] | undefined;
  private loading: Partial<Record<LazySource, Promise<void>>> | undefined;
  private resolver: VariableResolver | undefined;

  constructor(input: RequestContextInput) {
    this.input = input;
    this.principal = input.principal;
    this.now = input.now;
    // tags given up front (not as loaders) count as loaded
    const existing = input.existingObjectTags;
    if (existing !== undefined && typeof existing !== 'function') this.existingObjectTags = existing;
    const bucket = input.bucketTags;
    if (bucket !== undefined && typeof bucket !== 'function') this.resourceTags = bucket;
  }

  private tagsOf(source: LazySource): readonly Tag[] | undefined {
    return source === 'existingObjectTags' ? this.existingObjectTags : this.resourceTags;
  }

  private sourceOf(source: LazySource): TagSource | undefined {
    return source === 'existingObjectTags' ? this.input.existingObjectTags : this.input.bucketTags;
  }

  /** The value of a catalogue key: undefined when absent, PENDING when its lazy source is not loaded yet. */
  lookup(ref: KeyRef): LookupResult {
    const { def } = ref;
    if (!def.supported) return undefined;
    if (def.source !== 'request') {
      const tags = this.tagsOf(def.source);
      if (tags) return tagValue(tags, ref.tagKey);
      return this.sourceOf(def.source) === undefined ? undefined : PENDING;
    }
    if (def.name === K.RequestObjectTag) {
      const given = this.input.requestObjectTags;
      if (given === undefined) return undefined;
      return tagValue(given, ref.tagKey);
    }
    const resolve = RESOLVER_AT[def.ordinal];
    if (def.name !== K.RequestObjectTagKeys) return resolve?.(this.input);
    if (this.requestTagKeys === UNREAD) this.requestTagKeys = resolve?.(this.input) as readonly string[] | undefined;
    return this.requestTagKeys;
  }

  /** The values of a key as a policy names it (any case), as a list. Throws for a lazy key that is not loaded yet. */
  get(key: string): readonly string[] | undefined {
    const ref = findConditionKey(key);
    if (!ref) return undefined;
    const value = this.lookup(ref);
    if (value === PENDING) throw new PolicyContextNotLoadedError(key);
    return typeof value === 'string' ? [value] : value;
  }

  /** Whether the caller supplied this lazy source at all. */
  has(source: LazySource): boolean {
    return this.sourceOf(source) !== undefined;
  }

  isLoaded(source: LazySource): boolean {
    return this.tagsOf(source) !== undefined;
  }

  /** Run the loader of a lazy source once (concurrent and repeated calls share the first load). */
  load(source: LazySource): Promise<void> {
    if (this.tagsOf(source) || !this.has(source)) return Promise.resolve();
    const loading = (this.loading ??= {});
    const pending = loading[source];
    if (pending) return pending;
    const loader = this.sourceOf(source) as () => Promise<readonly Tag[]>;
    const run = loader().then((tags) => {
      if (source === 'existingObjectTags') this.existingObjectTags = tags;
      else this.resourceTags = tags;
    });
    loading[source] = run;
    return run;
  }

  /**
   * Policy-variable lookup: a single, already available value, else undefined. Made on first use (only statements
   * with variables ask for it).
   */
  get resolveVariable(): VariableResolver {
    return (this.resolver ??= (ref) => {
      const value = this.lookup(ref);
      if (typeof value === 'string') return value;
      return value !== PENDING && value !== undefined && value.length === 1 ? value[0] : undefined;
    });
  }
}
