import type { Tag } from '../tags/Tag.js';
import type { TransitionStorageClass } from './storageClasses.js';

/**
 * A bucket's lifecycle configuration as Tessera keeps it once validated (validateLifecycle): every rule has an ID,
 * every value is within AWS's limits, and the form the client chose (a `Filter`, or the deprecated rule-level
 * `Prefix` of the original PutBucketLifecycle) is kept, so GetBucketLifecycleConfiguration answers it as it was sent.
 * Rules stay in the order they were given: that order breaks ties (the first of two rules due the same day names
 * the x-amz-expiration header).
 */
export interface LifecycleConfiguration {
  readonly rules: readonly LifecycleRule[];
}

export type RuleStatus = 'Enabled' | 'Disabled';

export interface LifecycleRule {
  /** Given (at most 255 characters) or generated when the client sent none. */
  readonly id: string;
  readonly status: RuleStatus;
  /** Which objects the rule applies to. */
  readonly scope: RuleScope;
  readonly expiration?: Expiration;
  /** In the order given; at most one per storage class. */
  readonly transitions: readonly Transition[];
  readonly noncurrentVersionExpiration?: NoncurrentVersionExpiration;
  readonly noncurrentVersionTransitions: readonly NoncurrentVersionTransition[];
  readonly abortIncompleteMultipartUpload?: AbortIncompleteMultipartUpload;
}

/**
 * `{ kind: 'prefix' }` is the rule-level `<Prefix>` of a Lifecycle V1 configuration (the deprecated
 * PutBucketLifecycle, still accepted by PutBucketLifecycleConfiguration); `{ kind: 'filter' }` is a V2 `<Filter>`.
 * A configuration never mixes the two.
 */
export type RuleScope =
  | { readonly kind: 'prefix'; readonly prefix: string }
  | { readonly kind: 'filter'; readonly filter: LifecycleFilter };

/**
 * A V2 `<Filter>`: empty (every object), exactly one condition, or `<And>` of two or more. Sizes are in bytes and
 * exclusive (an object of exactly ObjectSizeGreaterThan bytes does not match).
 */
export type LifecycleFilter =
  | { readonly kind: 'all' }
  | { readonly kind: 'prefix'; readonly prefix: string }
  | { readonly kind: 'tag'; readonly tag: Tag }
  | { readonly kind: 'objectSizeGreaterThan'; readonly bytes: number }
  | { readonly kind: 'objectSizeLessThan'; readonly bytes: number }
  | { readonly kind: 'and'; readonly and: FilterConditions };

/** The conditions of an `<And>` (every one must hold), in the shape evaluation uses for every filter. */
export interface FilterConditions {
  readonly prefix?: string;
  /** Each must be on the object with exactly this value; the object may have other tags too. */
  readonly tags: readonly Tag[];
  readonly objectSizeGreaterThan?: number;
  readonly objectSizeLessThan?: number;
}

/** `<Expiration>`: exactly one of Days, Date, ExpiredObjectDeleteMarker. */
export type Expiration =
  | { readonly kind: 'days'; readonly days: number }
  /** Midnight UTC (with a test clock: a multiple of the day length). */
  | { readonly kind: 'date'; readonly date: Date }
  /** `false` is accepted and does nothing, as AWS documents. */
  | { readonly kind: 'expiredObjectDeleteMarker'; readonly enabled: boolean };

/** `<Transition>` of current versions: after Days (0 or more) or on a Date. */
export type Transition =
  | { readonly kind: 'days'; readonly days: number; readonly storageClass: TransitionStorageClass }
  | { readonly kind: 'date'; readonly date: Date; readonly storageClass: TransitionStorageClass };

/** `<NoncurrentVersionExpiration>`: NoncurrentDays ≥ 1 after the version became noncurrent. */
export interface NoncurrentVersionExpiration {
  readonly noncurrentDays: number;
  /** Keep this many newer noncurrent versions whatever their age (V2 only). */
  readonly newerNoncurrentVersions?: number;
}

export interface NoncurrentVersionTransition {
  /** 0 or more. */
  readonly noncurrentDays: number;
  readonly newerNoncurrentVersions?: number;
  readonly storageClass: TransitionStorageClass;
}

/** `<AbortIncompleteMultipartUpload>`: uploads initiated DaysAfterInitiation ≥ 1 days ago are aborted. */
export interface AbortIncompleteMultipartUpload {
  readonly daysAfterInitiation: number;
}

/** The conditions of a rule's scope, whatever its form: what matching an object checks. */
export function conditionsOf(scope: RuleScope): FilterConditions {
  if (scope.kind === 'prefix') return { prefix: scope.prefix, tags: [] };
  const filter = scope.filter;
  switch (filter.kind) {
    case 'all':
      return { tags: [] };
    case 'prefix':
      return { prefix: filter.prefix, tags: [] };
    case 'tag':
      return { tags: [filter.tag] };
    case 'objectSizeGreaterThan':
      return { tags: [], objectSizeGreaterThan: filter.bytes };
    case 'objectSizeLessThan':
      return { tags: [], objectSizeLessThan: filter.bytes };
    case 'and':
      return filter.and;
  }
}

/** The key prefix a rule applies to ('' for every key): all that AbortIncompleteMultipartUpload looks at. */
export function prefixOf(scope: RuleScope): string {
  return conditionsOf(scope).prefix ?? '';
}
