import { ACTION_SPECIFIC_KEYS, s3ActionsMatching, type S3ActionDef } from './actions.js';
import type { LazySource } from './conditionKeys.js';
import { compileCondition, ConditionError, type CompiledCondition, type RawConditionValue } from './conditions.js';
import { ActionMatcher, ResourceMatcher } from './matchers.js';
import type { Policy, PolicyKind, PolicyVersion, PrincipalElement, Statement } from './Policy.js';
import { PolicyParseError, type PolicyProblem } from './PolicyParseError.js';
import { parsePrincipal, PrincipalError } from './principals.js';
import { globRegExp, hasWildcard } from './wildcard.js';

/**
 * Parse, validate and compile a policy document. Identity policies (attached to IAM users) must not name a
 * principal; resource policies (bucket policies) must, may only use `s3:` actions, and may only name resources of
 * the bucket given in `options.bucket`. Every problem is a PolicyParseError naming the statement.
 *
 * Results are cached by (text, kind, bucket), at most 1,000 texts (the oldest dropped first): a policy is compiled
 * once and shared by every request it governs. Keep the same string instance to make the lookup cheapest.
 */
export interface ParsePolicyOptions {
  /** For bucket policies: the bucket the policy is attached to; every Resource must lie in it. */
  readonly bucket?: string | undefined;
}

const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_FIELDS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const VERSIONS: ReadonlySet<string> = new Set<PolicyVersion>(['2012-10-17', '2008-10-17']);
const ACTION = /^([A-Za-z0-9-]+):([A-Za-z0-9*?]+)$/;
const S3_ARN = /^arn:aws:s3:::(.+)$/;
const ANY_ARN = /^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$/;
const IAM_SID = /^[0-9A-Za-z]*$/;

const CACHE_LIMIT = 1000;
/** Policy text → (kind, bucket) → compiled policy. Keyed by the text itself so a lookup hashes no new string. */
const cache = new Map<string, Map<string, Policy>>();

export function parsePolicy(json: string, kind: PolicyKind, options: ParsePolicyOptions = {}): Policy {
  const variant = `${kind}\u0000${options.bucket ?? ''}`;
  let variants = cache.get(json);
  const hit = variants?.get(variant);
  if (hit) return hit;
  const policy = new Parser(kind, options).parse(json);
  if (!variants) {
    if (cache.size >= CACHE_LIMIT) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    variants = new Map();
    cache.set(json, variants);
  }
  variants.set(variant, policy);
  return policy;
}

/** Forget every cached policy (tests). */
export function clearPolicyCache(): void {
  cache.clear();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Parser {
  private index: number | undefined = undefined;
  private sid: string | undefined = undefined;

  constructor(
    private readonly kind: PolicyKind,
    private readonly options: ParsePolicyOptions,
  ) {}

  private fail(problem: PolicyProblem, reason: string, value?: string): never {
    throw new PolicyParseError(problem, reason, this.index, this.sid, value);
  }

  parse(json: string): Policy {
    let doc: unknown;
    try {
      doc = JSON.parse(json);
    } catch {
      doc = undefined;
    }
    if (!isObject(doc)) this.fail('InvalidJson', "Policies must be valid JSON and the first byte must be '{'");
    for (const field of Object.keys(doc)) if (!TOP_LEVEL.has(field)) this.fail('UnknownField', `Unknown field ${field}`);
    const version = doc['Version'] ?? '2008-10-17';
    if (typeof version !== 'string' || !VERSIONS.has(version)) {
      this.fail('InvalidVersion', 'The policy must contain a valid version string', JSON.stringify(version));
    }
    const id = doc['Id'];
    if (id !== undefined && typeof id !== 'string') this.fail('InvalidElement', 'Id must be a string');
    const raw = doc['Statement'];
    if (raw === undefined) this.fail('MissingField', 'Missing required field Statement');
    const list: unknown[] = Array.isArray(raw) ? raw : [raw];
    if (list.length === 0) this.fail('MissingField', 'Missing required field Statement');
    const variables = version === '2012-10-17';
    const statements: Statement[] = [];
    const sids = new Set<string>();
    list.forEach((s, i) => {
      this.index = i;
      this.sid = isObject(s) && typeof s['Sid'] === 'string' ? s['Sid'] : undefined;
      const statement = this.statement(s, i, variables);
      if (statement.sid) {
        if (sids.has(statement.sid)) this.fail('DuplicateSid', 'Statement IDs (SID) in a single policy must be unique', statement.sid);
        sids.add(statement.sid);
      }
      statements.push(statement);
    });
    return Object.freeze({ kind: this.kind, version: version as PolicyVersion, id, statements: Object.freeze(statements), text: json });
  }

  private statement(s: unknown, index: number, variables: boolean): Statement {
    if (!isObject(s)) this.fail('InvalidElement', 'Statement must be an object');
    for (const field of Object.keys(s)) if (!STATEMENT_FIELDS.has(field)) this.fail('UnknownField', `Unknown field ${field}`);

    const sid = s['Sid'];
    if (sid !== undefined && typeof sid !== 'string') this.fail('InvalidSid', 'Sid must be a string');
    if (this.kind === 'identity' && typeof sid === 'string' && !IAM_SID.test(sid)) {
      this.fail('InvalidSid', 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*', sid);
    }

    const effect = s['Effect'];
    if (effect === undefined) this.fail('MissingField', 'Missing required field Effect');
    if (effect !== 'Allow' && effect !== 'Deny') this.fail('InvalidEffect', `Invalid effect: ${typeof effect === 'string' ? effect : JSON.stringify(effect)}`);

    const principal = this.principal(s);
    const [actionPatterns, negatedAction] = this.pair(s, 'Action', 'NotAction', 'InvalidAction');
    for (const a of actionPatterns) this.checkAction(a);
    const [resourcePatterns, negatedResource] = this.pair(s, 'Resource', 'NotResource', 'InvalidResource');
    for (const r of resourcePatterns) this.checkResource(r);
    if (this.kind === 'resource' && !negatedAction && !negatedResource) this.checkActionsApply(actionPatterns, resourcePatterns);

    const conditions = this.conditions(s['Condition'], variables);
    if (this.kind === 'resource' && !negatedAction) this.checkConditionsApply(actionPatterns, conditions);

    const lazySources = new Set<LazySource>();
    for (const c of conditions) if (c.lazy) lazySources.add(c.lazy);
    const resource = new ResourceMatcher(resourcePatterns, negatedResource, variables);
    return Object.freeze({
      index,
      sid: typeof sid === 'string' && sid !== '' ? sid : undefined,
      effect,
      principal,
      action: new ActionMatcher(actionPatterns, negatedAction),
      resource,
      conditions: [...conditions.filter((c) => !c.lazy), ...conditions.filter((c) => c.lazy)],
      lazySources,
      readsVariables: resource.readsVariables || conditions.some((c) => c.readsVariables),
    });
  }

  private principal(s: Record<string, unknown>): PrincipalElement | undefined {
    const p = s['Principal'];
    const np = s['NotPrincipal'];
    if (this.kind === 'identity') {
      if (p !== undefined || np !== undefined) this.fail('PrincipalNotAllowed', 'Policy document should not specify a principal.');
      return undefined;
    }
    if (p === undefined && np === undefined) this.fail('MissingField', 'Missing required field Principal');
    if (p !== undefined && np !== undefined) this.fail('InvalidPrincipal', 'Invalid principal in policy', 'both Principal and NotPrincipal');
    try {
      return { negated: p === undefined, spec: parsePrincipal(p ?? np) };
    } catch (e) {
      if (e instanceof PrincipalError) this.fail('InvalidPrincipal', e.message, e.value);
      throw e;
    }
  }

  /** An element that comes as X or NotX (exactly one), each a string or a non-empty list of strings. */
  private pair(s: Record<string, unknown>, name: string, notName: string, problem: PolicyProblem): [string[], boolean] {
    const value = s[name];
    const notValue = s[notName];
    if (value === undefined && notValue === undefined) this.fail('MissingField', `Missing required field ${name}`);
    if (value !== undefined && notValue !== undefined) this.fail(problem, `Statement must not contain both ${name} and ${notName}`);
    const raw = value ?? notValue;
    const list: unknown[] = Array.isArray(raw) ? raw : [raw];
    if (list.length === 0) this.fail(problem, `${value !== undefined ? name : notName} must not be empty`);
    for (const v of list) if (typeof v !== 'string') this.fail(problem, `${value !== undefined ? name : notName} values must be strings`, JSON.stringify(v));
    return [list as string[], value === undefined];
  }

  private checkAction(action: string): void {
    if (action === '*') return;
    const m = ACTION.exec(action);
    const service = m?.[1]?.toLowerCase();
    if (!m || (service !== 's3' && this.kind === 'resource')) this.fail('InvalidAction', 'Policy has invalid action', action);
    if (service === 's3' && s3ActionsMatching(action).length === 0) this.fail('InvalidAction', 'Policy has invalid action', action);
  }

  private checkResource(resource: string): void {
    if (this.kind === 'identity') {
      if (resource !== '*' && !ANY_ARN.test(resource)) this.fail('InvalidResource', `Resource ${resource} must be in ARN format or "*".`);
      return;
    }
    const m = S3_ARN.exec(resource);
    if (!m) this.fail('InvalidResource', 'Policy has invalid resource', resource);
    const bucket = this.options.bucket;
    if (bucket !== undefined) {
      const part = m[1] ?? '';
      const slash = part.indexOf('/');
      const bucketPart = slash < 0 ? part : part.slice(0, slash);
      if (bucketPart.includes('${') || !globRegExp(bucketPart).test(bucket)) this.fail('InvalidResource', 'Policy has invalid resource', resource);
    }
  }

  /** Every action must apply to at least one resource of the statement (bucket actions to bucket ARNs, …). */
  private checkActionsApply(actions: readonly string[], resources: readonly string[]): void {
    const parts = resources.map((r) => S3_ARN.exec(r)?.[1] ?? '');
    const mayBeBucket = parts.some((p) => !p.includes('/'));
    const mayBeObject = parts.some((p) => p.includes('/') || p.includes('*'));
    const applies = (a: S3ActionDef): boolean => (a.resource === 'bucket' && mayBeBucket) || (a.resource === 'object' && mayBeObject);
    for (const pattern of actions) {
      const targets = s3ActionsMatching(pattern === '*' ? 's3:*' : pattern);
      if (!targets.some(applies)) this.fail('ActionResourceMismatch', 'Action does not apply to any resource(s) in statement', pattern);
    }
  }

  /** Action-specific S3 keys must be valid with every action named (with at least one action a wildcard covers). */
  private checkConditionsApply(actions: readonly string[], conditions: readonly CompiledCondition[]): void {
    for (const c of conditions) {
      const key = c.key?.def.lower;
      if (key === undefined || !ACTION_SPECIFIC_KEYS.has(key)) continue;
      for (const pattern of actions) {
        const targets = s3ActionsMatching(pattern === '*' ? 's3:*' : pattern);
        const ok = hasWildcard(pattern) ? targets.some((a) => a.keys.has(key)) : targets.every((a) => a.keys.has(key));
        if (!ok) this.fail('ConditionActionMismatch', 'Conditions do not apply to combination of actions and resources in statement', `${pattern} with ${c.keyName}`);
      }
    }
  }

  private conditions(raw: unknown, variables: boolean): CompiledCondition[] {
    if (raw === undefined) return [];
    if (!isObject(raw)) this.fail('InvalidCondition', 'Condition must be an object');
    const out: CompiledCondition[] = [];
    for (const [operator, block] of Object.entries(raw)) {
      if (!isObject(block)) this.fail('InvalidCondition', `Condition ${operator} must map keys to values`, operator);
      for (const [key, value] of Object.entries(block)) {
        if (!isConditionValue(value)) this.fail('InvalidCondition', `Invalid value for ${operator} condition on ${key}`, JSON.stringify(value));
        try {
          out.push(compileCondition(operator, key, value, { variables, allowForeignKeys: this.kind === 'identity' }));
        } catch (e) {
          if (e instanceof ConditionError) this.fail(e.problem, e.reason, e.problem === 'InvalidConditionKey' ? e.value : undefined);
          throw e;
        }
      }
    }
    return out;
  }
}

function isScalar(v: unknown): v is RawConditionValue {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

function isConditionValue(v: unknown): v is RawConditionValue | RawConditionValue[] {
  return isScalar(v) || (Array.isArray(v) && v.every(isScalar));
}
