import type { Tag } from '../tags/Tag.js';

/**
 * A bucket's replication configuration as Tessera keeps it once validated (validateReplication): a role, and rules
 * that each have an ID, a scope and a destination within AWS's limits. Rules stay in the order they were given:
 * GetBucketReplication answers them in that order, and among V1 rules (which have no Priority) the first that
 * applies to an object wins.
 */
export interface ReplicationConfiguration {
  /** The IAM role ARN S3 assumes to replicate, as given. */
  readonly role: string;
  readonly rules: readonly ReplicationRule[];
}

export type ReplicationStatus = 'Enabled' | 'Disabled';

export interface ReplicationRule {
  /** Given (at most 255 characters) or generated when the client sent none. */
  readonly id: string;
  /** V2 rules only: among rules that apply to an object and share a destination, the highest number wins. */
  readonly priority?: number;
  readonly status: ReplicationStatus;
  /** Which objects the rule replicates. */
  readonly scope: ReplicationScope;
  readonly destination: ReplicationDestination;
  /** V2 rules only (V1 rules always replicate delete markers); never `Enabled` on a rule that filters by tag. */
  readonly deleteMarkerReplication?: ReplicationStatus;
  /** `<ExistingObjectReplication><Status>`, kept as given. */
  readonly existingObjectReplication?: ReplicationStatus;
}

/**
 * `{ kind: 'prefix' }` is the rule-level `<Prefix>` of the first replication schema (V1: no Priority, no
 * DeleteMarkerReplication); `{ kind: 'filter' }` is a V2 `<Filter>`.
 */
export type ReplicationScope =
  | { readonly kind: 'prefix'; readonly prefix: string }
  | { readonly kind: 'filter'; readonly filter: ReplicationFilter };

/** A V2 `<Filter>`: empty (every object), a Prefix, one Tag, or an And of a prefix and tags (two conditions or more). */
export type ReplicationFilter =
  | { readonly kind: 'all' }
  | { readonly kind: 'prefix'; readonly prefix: string }
  | { readonly kind: 'tag'; readonly tag: Tag }
  | { readonly kind: 'and'; readonly prefix?: string; readonly tags: readonly Tag[] };

export interface ReplicationDestination {
  /** As given: `arn:aws:s3:::bucket`. */
  readonly bucketArn: string;
  /** The bucket name the ARN names. */
  readonly bucket: string;
  /** The destination account, when given (cross-account replication). */
  readonly account?: string;
  /** The replicas' storage class; absent means the source object's class. */
  readonly storageClass?: string;
}

/** What matching a rule checks: the key prefix ('' for every key) and the tags the object must carry. */
export interface ReplicationConditions {
  readonly prefix: string;
  readonly tags: readonly Tag[];
}

export function conditionsOf(scope: ReplicationScope): ReplicationConditions {
  if (scope.kind === 'prefix') return { prefix: scope.prefix, tags: [] };
  const filter = scope.filter;
  switch (filter.kind) {
    case 'all':
      return { prefix: '', tags: [] };
    case 'prefix':
      return { prefix: filter.prefix, tags: [] };
    case 'tag':
      return { prefix: '', tags: [filter.tag] };
    case 'and':
      return { prefix: filter.prefix ?? '', tags: filter.tags };
  }
}

/** Whether a rule is of the V2 schema (it has a `<Filter>`). */
export function isV2Rule(rule: ReplicationRule): boolean {
  return rule.scope.kind === 'filter';
}
