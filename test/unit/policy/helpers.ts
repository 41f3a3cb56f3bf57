import type { Tag } from '../../../src/core/tags/Tag.js';
import { compileCondition, evaluateCondition, type RawConditionValue } from '../../../src/policy/engine/conditions.js';
import {
  evaluate,
  parsePolicy,
  RequestContext,
  type Decision,
  type Policy,
  type PolicyPrincipal,
  type RequestContextInput,
} from '../../../src/policy/engine/index.js';
import { UNRESOLVED } from '../../../src/policy/engine/patterns.js';

export const OWNER = '111122223333';
export const OTHER = '444455556666';
export const BUCKET = 'awsexamplebucket1';
export const NOW = new Date('2024-05-01T12:00:00Z');

/** A 64-hex canonical id standing for an account (tests only; Tessera derives its own in core/identity). */
export function canonicalOf(account: string): string {
  return `${'c'.repeat(52)}${account}`;
}

export function root(account: string): PolicyPrincipal {
  return { kind: 'user', accountId: account, arn: `arn:aws:iam::${account}:root`, isRoot: true, canonicalId: canonicalOf(account) };
}

export function iamUser(account: string, name: string): PolicyPrincipal {
  return {
    kind: 'user',
    accountId: account,
    arn: `arn:aws:iam::${account}:user/${name}`,
    isRoot: false,
    canonicalId: canonicalOf(account),
    userName: name,
    userId: `AIDA${name.toUpperCase()}`,
  };
}

export const ANON: PolicyPrincipal = { kind: 'anonymous' };

export type ContextExtras = Omit<Partial<RequestContextInput>, 'principal'>;

export function context(principal: PolicyPrincipal, extras: ContextExtras = {}): RequestContext {
  return new RequestContext({ now: NOW, ...extras, principal });
}

export function bucketPolicy(doc: unknown, bucket = BUCKET): Policy {
  return parsePolicy(typeof doc === 'string' ? doc : JSON.stringify(doc), 'resource', { bucket });
}

export function userPolicy(doc: unknown): Policy {
  return parsePolicy(typeof doc === 'string' ? doc : JSON.stringify(doc), 'identity');
}

export interface Ask {
  readonly principal: PolicyPrincipal;
  readonly action: string;
  /** Object key, or undefined for the bucket itself; or a full ARN when it starts with "arn:". */
  readonly key?: string | undefined;
  readonly identity?: readonly Policy[];
  readonly resource?: Policy;
  readonly owner?: string;
  readonly extras?: ContextExtras;
}

export function arnOf(key: string | undefined, bucket = BUCKET): string {
  if (key?.startsWith('arn:')) return key;
  return key === undefined ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`;
}

export function ask(a: Ask): Promise<Decision> {
  return evaluate(
    { action: a.action, resource: arnOf(a.key), resourceOwnerAccountId: a.owner ?? OWNER, context: context(a.principal, a.extras) },
    { identity: a.identity ?? [], resource: a.resource },
  );
}

/** A counting loader for existing object tags. */
export function tagLoader(tags: readonly Tag[]): { load: () => Promise<readonly Tag[]>; readonly calls: number } {
  const state = {
    calls: 0,
    load: () => {
      state.calls++;
      return Promise.resolve(tags);
    },
  };
  return state;
}

export function tags(record: Record<string, string>): Tag[] {
  return Object.entries(record).map(([key, value]) => ({ key, value }));
}

/**
 * Evaluate one condition: operator, key, policy value(s), and the request's values for the key (undefined: absent).
 * Returns true/false, or 'unresolved' when a policy variable cannot be resolved.
 */
export function cond(
  operator: string,
  key: string,
  policyValue: RawConditionValue | RawConditionValue[],
  requestValues: readonly string[] | undefined,
  resolve: (name: string) => string | undefined = () => undefined,
): boolean | 'unresolved' {
  const compiled = compileCondition(operator, key, policyValue, { variables: true, allowForeignKeys: false });
  const r = evaluateCondition(compiled, requestValues, (ref) => resolve(ref.def.name + ref.tagKey));
  return r === UNRESOLVED ? 'unresolved' : r;
}
