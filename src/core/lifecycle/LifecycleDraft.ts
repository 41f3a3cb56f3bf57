import type { Tag } from '../tags/Tag.js';

/**
 * A lifecycle configuration as a document gives it, before validateLifecycle checks it: each element that was
 * present, with integers already read as integers (a value that is not one is MalformedXML while parsing) and
 * everything else as written. The XML shape (s3/xml/shapes/LifecycleConfiguration.ts) builds one; so could any
 * other way in (a JSON admin API, a test).
 */
export interface LifecycleDraft {
  readonly rules: readonly RuleDraft[];
}

export interface RuleDraft {
  /** undefined or '' when the client sent none: one is generated. */
  readonly id?: string;
  /** As written; only `Enabled` and `Disabled` are valid. undefined when the element is missing. */
  readonly status?: string;
  /** The rule-level `<Prefix>` of Lifecycle V1. */
  readonly prefix?: string;
  readonly filter?: FilterDraft;
  readonly expiration?: ExpirationDraft;
  readonly transitions: readonly TransitionDraft[];
  readonly noncurrentVersionExpiration?: NoncurrentDraft;
  readonly noncurrentVersionTransitions: readonly NoncurrentTransitionDraft[];
  readonly abortIncompleteMultipartUpload?: AbortDraft;
}

/** A `<Filter>` (or its `<And>`): every condition element present, so that "more than one" can be refused. */
export interface FilterDraft extends ConditionsDraft {
  readonly and?: ConditionsDraft;
}

export interface ConditionsDraft {
  readonly prefix?: string;
  /** Every `<Tag>` element, in document order. */
  readonly tags: readonly Tag[];
  readonly objectSizeGreaterThan?: number;
  readonly objectSizeLessThan?: number;
}

export interface ExpirationDraft {
  readonly days?: number;
  /** As written (ISO 8601); read by validateLifecycle. */
  readonly date?: string;
  readonly expiredObjectDeleteMarker?: boolean;
}

export interface TransitionDraft {
  readonly days?: number;
  readonly date?: string;
  readonly storageClass?: string;
}

export interface NoncurrentDraft {
  readonly noncurrentDays?: number;
  readonly newerNoncurrentVersions?: number;
}

export interface NoncurrentTransitionDraft extends NoncurrentDraft {
  readonly storageClass?: string;
}

export interface AbortDraft {
  readonly daysAfterInitiation?: number;
}
