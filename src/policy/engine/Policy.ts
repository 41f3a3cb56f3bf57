import type { LazySource } from './conditionKeys.js';
import type { CompiledCondition } from './conditions.js';
import type { ActionMatcher, ResourceMatcher } from './matchers.js';
import type { PrincipalSpec } from './principals.js';

/** Identity policies are attached to IAM users; resource policies to buckets (they name principals). */
export type PolicyKind = 'identity' | 'resource';
/** 2012-10-17 has policy variables; 2008-10-17 (the default when Version is missing) treats `${…}` as text. */
export type PolicyVersion = '2012-10-17' | '2008-10-17';
export type Effect = 'Allow' | 'Deny';

export interface PrincipalElement {
  /** NotPrincipal. */
  readonly negated: boolean;
  readonly spec: PrincipalSpec;
}

/** One statement, validated and compiled into matchers. */
export interface Statement {
  /** Position in the policy's Statement list (0-based). */
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: Effect;
  /** Principal or NotPrincipal (resource policies only). */
  readonly principal: PrincipalElement | undefined;
  /** Action or NotAction. */
  readonly action: ActionMatcher;
  /** Resource or NotResource. */
  readonly resource: ResourceMatcher;
  /** Every operator × key of the Condition block (all must hold); request-only keys first, lazy keys last. */
  readonly conditions: readonly CompiledCondition[];
  /** Lazy sources (existing object tags, bucket tags) some condition of this statement reads. */
  readonly lazySources: ReadonlySet<LazySource>;
  /** A policy variable in its Resource or a condition's values: evaluating it needs the request's variable resolver. */
  readonly readsVariables: boolean;
}

/** A parsed, validated, compiled policy. Immutable; shared through the parse cache. */
export interface Policy {
  readonly kind: PolicyKind;
  readonly version: PolicyVersion;
  readonly id: string | undefined;
  readonly statements: readonly Statement[];
  /** The document as given. */
  readonly text: string;
}
