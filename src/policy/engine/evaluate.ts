import { s3Action, type S3ActionDef } from './actions.js';
import type { LazySource } from './conditionKeys.js';
import { evaluateCondition, type CompiledCondition } from './conditions.js';
import { UNRESOLVED } from './patterns.js';
import type { Policy, Statement } from './Policy.js';
import { matchPrincipal, notPrincipalApplies, type PolicyPrincipal, type PrincipalMatch } from './principals.js';
import { PENDING, type RequestContext } from './RequestContext.js';
import { NO_VARIABLES } from './variables.js';

/**
 * Policy evaluation as AWS documents it for S3 (IAM "Policy evaluation logic", "Cross-account policy evaluation
 * logic", S3 "How Amazon S3 authorizes a request"):
 *
 * 1. An explicit Deny in any applicable policy wins — except that the root user of the bucket owner's account can
 *    always get, put and delete the bucket policy ("never locked out").
 * 2. The root user of the account that owns the resource is allowed everything else.
 * 3. Same account: an Allow in the principal's identity policies or a resource-policy Allow naming the principal
 *    (or `*`) suffices. A resource-policy Allow that names only the account delegates: the IAM user still needs an
 *    identity Allow.
 * 4. Across accounts: the principal's identity side must allow (a root user's always does) and the resource policy
 *    must allow the principal or its account.
 * 5. Anonymous requests are allowed only by resource-policy statements whose principal is `*`.
 * 6. Otherwise: implicit deny.
 *
 * Evaluation is synchronous until a statement that otherwise applies (principal, action, resource and every other
 * condition match) has a condition on a lazily loaded key (`s3:ExistingObjectTag/…`, bucket tags given as a loader);
 * only then, and only if the outcome depends on it, is the loader called.
 */
export interface EvaluationRequest {
  /** The IAM action, e.g. `s3:GetObject`. */
  readonly action: string;
  /** The resource ARN, e.g. `arn:aws:s3:::bucket/key`. */
  readonly resource: string;
  /** Account owning the resource (the bucket owner); undefined for actions on the principal's own account. */
  readonly resourceOwnerAccountId?: string | undefined;
  readonly context: RequestContext;
}

export interface PolicySet {
  /** The principal's identity policies (IAM user policies); ignored for root users and anonymous requests. */
  readonly identity: readonly Policy[];
  /** The resource's policy (the bucket policy), if any. */
  readonly resource: Policy | undefined;
}

export interface StatementRef {
  readonly source: 'identity' | 'resource';
  readonly policyIndex: number;
  readonly policyId: string | undefined;
  readonly statementIndex: number;
  readonly sid: string | undefined;
}

export type DecisionReason =
  /** A Deny statement applies. */
  | 'ExplicitDeny'
  /** Allowed by the statement(s) listed. */
  | 'Allowed'
  /** Nothing allows it. */
  | 'ImplicitDeny'
  /** The root user of the owning account, no Deny applies. */
  | 'OwnerRoot'
  /** The owner's root user managing the bucket policy despite a Deny (listed) — the never-locked-out rule. */
  | 'OwnerRootPolicyManagement';

export interface Decision {
  readonly effect: 'Allow' | 'Deny';
  readonly reason: DecisionReason;
  /** The deciding statements: the Deny; the Allow(s) (identity and resource across accounts); the overridden Deny. */
  readonly statements: readonly StatementRef[];
  readonly crossAccount: boolean;
  /** For an implicit deny across accounts: which side did not allow. */
  readonly missing: 'identity' | 'resource' | 'both' | undefined;
}

const POLICY_MANAGEMENT = new Set(['s3:getbucketpolicy', 's3:putbucketpolicy', 's3:deletebucketpolicy']);

/** The outcome for one statement: applies, does not, or needs a lazy source loaded to tell. */
type Outcome = boolean | typeof PENDING;

/** A statement that may apply to the request; its StatementRef is built only if it decides. */
class Candidate {
  constructor(
    readonly source: 'identity' | 'resource',
    readonly policyIndex: number,
    readonly policy: Policy,
    readonly statement: Statement,
    /** For resource-policy statements: how the principal matched. */
    readonly match: PrincipalMatch,
    public outcome: Outcome,
    /** For a PENDING outcome: the first condition that waited on a lazy source (every one before it holds). */
    readonly resumeAt: number,
  ) {}

  ref(): StatementRef {
    const { policy, statement } = this;
    return { source: this.source, policyIndex: this.policyIndex, policyId: policy.id, statementIndex: statement.index, sid: statement.sid };
  }
}

/**
 * Where the last PENDING answer of statementOutcome waited first (its first condition on a lazy source not loaded):
 * set just before it returns PENDING, read by the caller right after. A module variable rather than an object per
 * answer: this runs for every statement that could apply to every governed request.
 */
let pendingAt = 0;

/**
 * Whether a statement applies, given that its Action / NotAction element applies to the action. `from`: resume an
 * earlier PENDING answer once its lazy sources are loaded — the resource and the conditions before `from` held then,
 * and hold still (they read no lazy source), so only the conditions from `from` on are evaluated.
 */
function statementOutcome(statement: Statement, action: S3ActionDef | undefined, request: EvaluationRequest, from = 0): Outcome {
  const ctx = request.context;
  // a statement without variables never resolves one: the context's resolver is made only for one with them
  const resolve = statement.readsVariables ? ctx.resolveVariable : NO_VARIABLES;
  if (from === 0) {
    const resource = statement.resource.applies(request.resource, resolve);
    if (resource !== true) return false;
  }
  let pending = false;
  const conditions = statement.conditions;
  for (let i = from; i < conditions.length; i++) {
    const condition = conditions[i] as CompiledCondition;
    let values;
    if (condition.key === undefined) values = undefined;
    else if (condition.lazy === 'existingObjectTags' && action?.evaluatesExistingTags !== true) values = undefined;
    else values = ctx.lookup(condition.key);
    if (values === PENDING) {
      if (!pending) pendingAt = i;
      pending = true;
      continue;
    }
    const result = evaluateCondition(condition, values, resolve);
    if (result === UNRESOLVED || !result) return false;
  }
  return pending ? PENDING : true;
}

function principalMatch(statement: Statement, principal: PolicyPrincipal): PrincipalMatch {
  const element = statement.principal;
  if (!element) return 'none';
  if (element.negated) return notPrincipalApplies(element.spec, principal) ? 'direct' : 'none';
  return matchPrincipal(element.spec, principal);
}

/** At most this many actions' statement lists are remembered per policy (the actions Tessera asks about are far fewer). */
const MAX_ACTIONS_PER_POLICY = 512;
const byAction = new WeakMap<Policy, Map<string, readonly Statement[]>>();

/**
 * The statements of a policy whose Action / NotAction element applies to an action (lower-cased), in order. Policies
 * are immutable and shared (the parse cache), so each action's list is computed once per policy.
 */
export function statementsFor(policy: Policy, actionLower: string): readonly Statement[] {
  let lists = byAction.get(policy);
  if (lists === undefined) {
    lists = new Map();
    byAction.set(policy, lists);
  }
  let list = lists.get(actionLower);
  if (list === undefined) {
    list = policy.statements.filter((statement) => statement.action.applies(actionLower));
    if (lists.size < MAX_ACTIONS_PER_POLICY) lists.set(actionLower, list);
  }
  return list;
}

/** Action names as callers spell them (a few constants) → lower-cased, so the per-policy lists are found by a hashed string. */
const LOWER_LIMIT = 1024;
const lowerCased = new Map<string, string>();

function lowerActionOf(action: string): string {
  let lower = lowerCased.get(action);
  if (lower === undefined) {
    lower = action.toLowerCase();
    if (lowerCased.size < LOWER_LIMIT) lowerCased.set(action, lower);
  }
  return lower;
}

function collect(
  policies: PolicySet,
  principal: PolicyPrincipal,
  actionLower: string,
  action: S3ActionDef | undefined,
  request: EvaluationRequest,
): readonly Candidate[] {
  // made on the first candidate, to its size: most requests have one or two, and `[]` grows by 17 on its first push
  let out: Candidate[] | undefined;
  if (principal.kind === 'user' && !principal.isRoot) {
    const identity = policies.identity;
    for (let policyIndex = 0; policyIndex < identity.length; policyIndex++) {
      const policy = identity[policyIndex] as Policy;
      const statements = statementsFor(policy, actionLower);
      for (let i = 0; i < statements.length; i++) {
        const statement = statements[i] as Statement;
        const outcome = statementOutcome(statement, action, request);
        if (outcome === false) continue;
        const c = new Candidate('identity', policyIndex, policy, statement, 'direct', outcome, outcome === PENDING ? pendingAt : 0);
        if (out === undefined) out = [c];
        else out.push(c);
      }
    }
  }
  const resourcePolicy = policies.resource;
  if (resourcePolicy) {
    const statements = statementsFor(resourcePolicy, actionLower);
    for (let i = 0; i < statements.length; i++) {
      const statement = statements[i] as Statement;
      const match = principalMatch(statement, principal);
      if (match === 'none') continue;
      const outcome = statementOutcome(statement, action, request);
      if (outcome === false) continue;
      const c = new Candidate('resource', 0, resourcePolicy, statement, match, outcome, outcome === PENDING ? pendingAt : 0);
      if (out === undefined) out = [c];
      else out.push(c);
    }
  }
  return out ?? NO_CANDIDATES;
}

const NO_CANDIDATES: readonly Candidate[] = Object.freeze([]);

/** What one request is decided by, besides its candidates. */
interface Setting {
  readonly principal: PolicyPrincipal;
  readonly sameAccount: boolean;
  readonly crossAccount: boolean;
  readonly ownerRoot: boolean;
  readonly policyManagement: boolean;
}

/**
 * The first Allow of each kind that counts: identity, resource naming the principal (or `*`), resource naming only
 * its account (delegating).
 */
interface Allows {
  identity: Candidate | undefined;
  resourceDirect: Candidate | undefined;
  resourceDelegated: Candidate | undefined;
}

function note(allows: Allows, c: Candidate): void {
  if (c.source === 'identity') allows.identity ??= c;
  else if (c.match === 'direct') allows.resourceDirect ??= c;
  else allows.resourceDelegated ??= c;
}

/** The Allow side of AWS's logic: anonymous needs the resource policy, same account either side, across accounts both. */
function allowed(allows: Allows, s: Setting): boolean {
  const p = s.principal;
  if (p.kind === 'anonymous') return allows.resourceDirect !== undefined;
  if (s.sameAccount) return (allows.identity ?? allows.resourceDirect) !== undefined;
  return (p.isRoot || allows.identity !== undefined) && (allows.resourceDirect ?? allows.resourceDelegated) !== undefined;
}

/** The statements an Allow decision reports. */
function allowingRefs(allows: Allows, s: Setting): StatementRef[] {
  if (s.principal.kind === 'anonymous') return allows.resourceDirect ? [allows.resourceDirect.ref()] : [];
  if (s.sameAccount) {
    const by = allows.identity ?? allows.resourceDirect;
    return by ? [by.ref()] : [];
  }
  const refs: StatementRef[] = [];
  const resource = allows.resourceDirect ?? allows.resourceDelegated;
  if (allows.identity) refs.push(allows.identity.ref());
  if (resource) refs.push(resource.ref());
  return refs;
}

/** For an implicit deny across accounts: which side did not allow (undefined for anonymous callers). */
function missingSide(allows: Allows, s: Setting): Decision['missing'] {
  const p = s.principal;
  if (p.kind === 'anonymous' || s.sameAccount) return undefined;
  const identityOk = p.isRoot || allows.identity !== undefined;
  const resource = (allows.resourceDirect ?? allows.resourceDelegated) !== undefined;
  return identityOk && resource ? undefined : !identityOk && !resource ? 'both' : !identityOk ? 'identity' : 'resource';
}

function decision(effect: Decision['effect'], reason: DecisionReason, statements: StatementRef[], crossAccount: boolean, missing?: Decision['missing']): Decision {
  return { effect, reason, statements, crossAccount, missing };
}

/**
 * The decision from the candidates' outcomes, or undefined when it depends on a statement still waiting for a lazy
 * source (never when `final`). One pass notes the first applying Deny, whether a Deny is pending, and the first Allow
 * of each kind that applies for certain and that may apply.
 */
function decide(candidates: readonly Candidate[], s: Setting, final: boolean): Decision | undefined {
  let deny: Candidate | undefined;
  let denyPending = false;
  const certain: Allows = { identity: undefined, resourceDirect: undefined, resourceDelegated: undefined };
  // the same as `certain` until an Allow is pending (then a copy, which notes the pending ones too)
  let optimistic: Allows | undefined;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i] as Candidate;
    if (c.outcome === false) continue;
    if (c.statement.effect === 'Deny') {
      if (c.outcome === true) deny ??= c;
      else denyPending = true;
      continue;
    }
    if (c.outcome === true) note(certain, c);
    else optimistic ??= { ...certain };
    if (optimistic !== undefined) note(optimistic, c);
  }
  if (deny) {
    if (s.ownerRoot && s.policyManagement) return decision('Allow', 'OwnerRootPolicyManagement', [deny.ref()], s.crossAccount);
    return decision('Deny', 'ExplicitDeny', [deny.ref()], s.crossAccount);
  }
  if (s.ownerRoot) {
    if (denyPending && !s.policyManagement && !final) return undefined;
    return decision('Allow', 'OwnerRoot', [], s.crossAccount);
  }
  // If nothing could allow even with every pending statement applying, the answer is deny without loading.
  const mayAllow = optimistic ?? certain;
  if (!allowed(mayAllow, s)) return decision('Deny', 'ImplicitDeny', [], s.crossAccount, s.crossAccount ? missingSide(mayAllow, s) : undefined);
  const allowedNow = allowed(certain, s);
  if (allowedNow && !denyPending) return decision('Allow', 'Allowed', allowingRefs(certain, s), s.crossAccount);
  if (!final) return undefined;
  return allowedNow
    ? decision('Allow', 'Allowed', allowingRefs(certain, s), s.crossAccount)
    : decision('Deny', 'ImplicitDeny', [], s.crossAccount, s.crossAccount ? missingSide(certain, s) : undefined);
}

/** An evaluation that waits on a lazy source: what settleLazy needs to finish it. */
class Unsettled {
  constructor(
    readonly action: S3ActionDef | undefined,
    readonly candidates: readonly Candidate[],
    readonly setting: Setting,
  ) {}
}

/** Evaluate up to the decision, or up to the point where it depends on a lazy source that is not loaded. */
function begin(request: EvaluationRequest, policies: PolicySet): Decision | Unsettled {
  const ctx = request.context;
  const principal = ctx.principal;
  const actionLower = lowerActionOf(request.action);
  const action = s3Action(actionLower);
  const owner = request.resourceOwnerAccountId ?? (principal.kind === 'user' ? principal.accountId : undefined);
  const sameAccount = principal.kind === 'user' && principal.accountId === owner;
  const setting: Setting = {
    principal,
    sameAccount,
    crossAccount: !sameAccount,
    ownerRoot: sameAccount && principal.kind === 'user' && principal.isRoot,
    policyManagement: POLICY_MANAGEMENT.has(actionLower),
  };
  const candidates = collect(policies, principal, actionLower, action, request);
  return decide(candidates, setting, false) ?? new Unsettled(action, candidates, setting);
}

/**
 * Evaluate a request against a policy set. Synchronous up to the decision unless a statement that otherwise applies
 * waits on a lazily loaded key and the outcome depends on it; only then is a loader called.
 */
export function evaluate(request: EvaluationRequest, policies: PolicySet): Promise<Decision> {
  try {
    const outcome = begin(request, policies);
    if (!(outcome instanceof Unsettled)) return Promise.resolve(outcome);
    return settleLazy(request, outcome.action, outcome.candidates, outcome.setting);
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

/**
 * The same decision as `evaluate`, synchronously — or undefined when it depends on a lazy source that is not loaded
 * (the caller then evaluates again with `evaluate`, or supplies the source's values up front). No loader is called.
 */
export function evaluateNow(request: EvaluationRequest, policies: PolicySet): Decision | undefined {
  const outcome = begin(request, policies);
  return outcome instanceof Unsettled ? undefined : outcome;
}

/** A decision's outcome alone, for callers that report no statements (the S3 authorizer's in-memory path). */
export type Verdict = 'allow' | 'explicit-deny' | 'implicit-deny';

/**
 * evaluateNow's outcome without its Decision: the same answer (undefined when it waits on a lazy source that is not
 * loaded), for callers that need only the effect. The commonest governed request — an IAM user acting in its own
 * account, with no resource policy — is answered by one walk over the statements that makes nothing (ownAccountVerdict);
 * every other setting is answered from evaluateNow's decision.
 */
export function verdictNow(request: EvaluationRequest, policies: PolicySet): Verdict | undefined {
  const principal = request.context.principal;
  if (policies.resource === undefined && principal.kind === 'user' && !principal.isRoot) {
    const owner = request.resourceOwnerAccountId ?? principal.accountId;
    if (owner === principal.accountId) return ownAccountVerdict(request, policies.identity);
  }
  const decided = evaluateNow(request, policies);
  if (decided === undefined) return undefined;
  return decided.effect === 'Allow' ? 'allow' : decided.reason === 'ExplicitDeny' ? 'explicit-deny' : 'implicit-deny';
}

/**
 * decide's answer for an IAM user in its own account under its identity policies alone: a Deny that applies denies;
 * else nothing that could apply allows → implicit deny; else an Allow that applies and no Deny waiting → allow; else it
 * waits. Once an Allow applies, later Allow statements are not evaluated: decide notes the first one only.
 */
function ownAccountVerdict(request: EvaluationRequest, identity: readonly Policy[]): Verdict | undefined {
  const actionLower = lowerActionOf(request.action);
  const action = s3Action(actionLower);
  let allow = false;
  let allowPending = false;
  let denyPending = false;
  for (let policyIndex = 0; policyIndex < identity.length; policyIndex++) {
    const statements = statementsFor(identity[policyIndex] as Policy, actionLower);
    for (let i = 0; i < statements.length; i++) {
      const statement = statements[i] as Statement;
      const deny = statement.effect === 'Deny';
      if (allow && !deny) continue;
      const outcome = statementOutcome(statement, action, request);
      if (outcome === false) continue;
      if (deny) {
        if (outcome === true) return 'explicit-deny';
        denyPending = true;
      } else if (outcome === true) allow = true;
      else allowPending = true;
    }
  }
  if (!allow && !allowPending) return 'implicit-deny';
  return allow && !denyPending ? 'allow' : undefined;
}

/**
 * Some statement that otherwise applies waits on a lazy source, and the outcome depends on it: load what the pending
 * Deny statements need, and what pending Allow statements need unless an Allow is already certain; then decide.
 */
async function settleLazy(request: EvaluationRequest, action: S3ActionDef | undefined, candidates: readonly Candidate[], s: Setting): Promise<Decision> {
  const ctx = request.context;
  let allowCertain = s.ownerRoot;
  if (!allowCertain) {
    const certain: Allows = { identity: undefined, resourceDirect: undefined, resourceDelegated: undefined };
    for (const c of candidates) if (c.statement.effect === 'Allow' && c.outcome === true) note(certain, c);
    allowCertain = allowed(certain, s);
  }
  const pending: Candidate[] = [];
  let sources: LazySource[] | undefined;
  for (const c of candidates) {
    if (c.outcome !== PENDING) continue;
    if (c.statement.effect !== 'Deny' && allowCertain) {
      c.outcome = false;
      continue;
    }
    pending.push(c);
    for (const source of c.statement.lazySources) {
      if (ctx.isLoaded(source)) continue;
      sources ??= [];
      if (!sources.includes(source)) sources.push(source);
    }
  }
  if (sources !== undefined) {
    if (sources.length === 1) await ctx.load(sources[0] as LazySource);
    else await Promise.all(sources.map((source) => ctx.load(source)));
  }
  for (const c of pending) {
    const outcome = statementOutcome(c.statement, action, request, c.resumeAt);
    c.outcome = outcome === PENDING ? false : outcome;
  }
  return decide(candidates, s, true) ?? decision('Deny', 'ImplicitDeny', [], s.crossAccount);
}
