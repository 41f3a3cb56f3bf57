import type { Tag } from '../tags/Tag.js';

/**
 * A replication configuration as a document gives it, before validateReplication checks it: each element that was
 * present, with `Priority` already read as an integer (a value that is not one is MalformedXML while parsing) and
 * everything else as written. The XML shape (s3/xml/shapes/ReplicationConfiguration.ts) builds one; so could any
 * other way in (a JSON admin API, a test).
 */
export interface ReplicationDraft {
  /** The IAM role S3 would assume to replicate; undefined when the element is missing. */
  readonly role?: string;
  readonly rules: readonly ReplicationRuleDraft[];
}

export interface ReplicationRuleDraft {
  /** undefined or '' when the client sent none: one is generated. */
  readonly id?: string;
  readonly priority?: number;
  /** As written; only `Enabled` and `Disabled` are valid. */
  readonly status?: string;
  /** The rule-level `<Prefix>` of the first (V1) replication schema. */
  readonly prefix?: string;
  /** A V2 `<Filter>`: its presence is what makes a rule V2. */
  readonly filter?: ReplicationFilterDraft;
  readonly destination?: DestinationDraft;
  /** `<DeleteMarkerReplication>`: its `<Status>` as written (undefined when the element has none). */
  readonly deleteMarkerReplication?: StatusDraft;
  readonly existingObjectReplication?: StatusDraft;
}

/** A `<Filter>`: every condition element present (so that "more than one outside And" can be refused), and its And. */
export interface ReplicationFilterDraft extends ReplicationConditionsDraft {
  readonly and?: ReplicationConditionsDraft;
}

export interface ReplicationConditionsDraft {
  readonly prefix?: string;
  /** Every `<Tag>` element, in document order. */
  readonly tags: readonly Tag[];
}

export interface DestinationDraft {
  /** The destination bucket's ARN, as written. */
  readonly bucket?: string;
  readonly account?: string;
  readonly storageClass?: string;
}

export interface StatusDraft {
  readonly status?: string;
}
