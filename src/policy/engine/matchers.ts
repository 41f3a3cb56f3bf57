import { CompiledPattern, UNRESOLVED, type PatternResult } from './patterns.js';
import type { VariableResolver } from './variables.js';
import { globRegExp, hasWildcard } from './wildcard.js';

/** The Action / NotAction element: action names and wildcards, matched case-insensitively. */
export class ActionMatcher {
  private readonly all: boolean;
  private readonly exact: ReadonlySet<string>;
  private readonly wildcards: readonly RegExp[];
  private readonly memo = new Map<string, boolean>();

  constructor(
    readonly patterns: readonly string[],
    /** NotAction. */
    readonly negated: boolean,
  ) {
    this.all = patterns.includes('*');
    this.exact = new Set(patterns.filter((p) => !hasWildcard(p)).map((p) => p.toLowerCase()));
    this.wildcards = patterns.filter((p) => p !== '*' && hasWildcard(p)).map((p) => globRegExp(p, { ignoreCase: true }));
  }

  /** Whether the element names the action (lower-cased), before NotAction's negation. */
  covers(actionLower: string): boolean {
    if (this.all || this.exact.has(actionLower)) return true;
    if (this.wildcards.length === 0) return false;
    let hit = this.memo.get(actionLower);
    if (hit === undefined) {
      hit = this.wildcards.some((re) => re.test(actionLower));
      if (this.memo.size < 1024) this.memo.set(actionLower, hit);
    }
    return hit;
  }

  /** Whether the statement applies to the action (lower-cased). */
  applies(actionLower: string): boolean {
    return this.covers(actionLower) !== this.negated;
  }
}

/** The Resource / NotResource element: ARN patterns with wildcards and policy variables, case-sensitive. */
export class ResourceMatcher {
  private readonly all: boolean;
  private readonly compiled: readonly CompiledPattern[];

  constructor(
    readonly patterns: readonly string[],
    /** NotResource. */
    readonly negated: boolean,
    variables: boolean,
  ) {
    this.all = patterns.includes('*');
    this.compiled = patterns.filter((p) => p !== '*').map((p) => new CompiledPattern(p, 'arn', variables));
  }

  /** A policy variable in a pattern: matching needs the request's variable resolver. */
  get readsVariables(): boolean {
    return this.compiled.some((p) => !p.isStatic);
  }

  /** Whether the statement applies to the resource ARN; UNRESOLVED when a variable in it has no value. */
  applies(resource: string, resolve: VariableResolver): PatternResult {
    let matched = this.all;
    for (const p of this.compiled) {
      const r = p.test(resource, resolve);
      if (r === UNRESOLVED) return UNRESOLVED;
      if (r) matched = true;
    }
    return matched !== this.negated;
  }
}
