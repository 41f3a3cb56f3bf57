import { s3Action, type S3ActionDef } from './actions.js';
import type { LazySource } from './conditionKeys.js';
import { evaluateCondition } from './conditions.js';
import { UNRESOLVED } from './patterns.js';
import type { Policy, Statement } from './Policy.js';
import { matchPrincipal, notPrincipalApplies, type PolicyPrincipal, type PrincipalMatch } from './principals.js';
import { PENDING, type RequestContext } from './RequestContext.js';

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

interface Candidate {
  readonly ref: StatementRef;
  readonly statement: Statement;
  /** For resource-policy statements: how the principal matched. */
  readonly match: PrincipalMatch;
  outcome: Outcome;
}

/** Whether a statement applies, given that its Action / NotAction element applies to the action. */
function statementOutcome(statement: Statement, action: S3ActionDef | undefined, request: EvaluationRequest): Outcome {
  const ctx = request.context;
  const resource = statement.resource.applies(request.resource, ctx.resolveVariable);
  if (resource !== true) return false;
  let pending = false;
  for (const condition of statement.conditions) {
    let values;
    if (condition.key === undefined) values = undefined;
    else if (condition.lazy === 'existingObjectTags' && !action?.evaluatesExistingTags) values = undefined;
    else values = ctx.lookup(condition.key);
    if (values === PENDING) {
      pending = true;
      continue;
    }
    const result = evaluateCondition(condition, values, ctx.resolveVariable);
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

function collect(
  policies: PolicySet,
  principal: PolicyPrincipal,
  actionLower: string,
  action: S3ActionDef | undefined,
  request: EvaluationRequest,
): Candidate[] {
  const out: Candidate[] = [];
  const identityApplies = principal.kind === 'user' && !principal.isRoot;
  if (identityApplies) {
    const identity = policies.identity;
    for (let policyIndex = 0; policyIndex < identity.length; policyIndex++) {
      const policy = identity[policyIndex] as Policy;
      for (const statement of statementsFor(policy, actionLower)) {
        const outcome = statementOutcome(statement, action, request);
        if (outcome === false) continue;
        const ref: StatementRef = { source: 'identity', policyIndex, policyId: policy.id, statementIndex: statement.index, sid: statement.sid };
        out.push({ ref, statement, match: 'direct', outcome });
      }
    }
  }
  const resourcePolicy = policies.resource;
  if (resourcePolicy) {
    for (const statement of statementsFor(resourcePolicy, actionLower)) {
      const match = principalMatch(statement, principal);
      if (match === 'none') continue;
      const outcome = statementOutcome(statement, action, request);
      if (outcome === false) continue;
      const ref: StatementRef = { source: 'resource', policyIndex: 0, policyId: resourcePolicy.id, statementIndex: statement.index, sid: statement.sid };
      out.push({ ref, statement, match, outcome });
    }
  }
  return out;
}

interface Verdict {
  readonly allowed: boolean;
  readonly statements: StatementRef[];
  readonly missing: Decision['missing'];
}

/** The Allow side of the logic, counting candidates whose outcome is in `counts`. */
function allowVerdict(candidates: readonly Candidate[], principal: PolicyPrincipal, sameAccount: boolean, counts: (o: Outcome) => boolean): Verdict {
  let identity: Candidate | undefined;
  let resourceDirect: Candidate | undefined;
  let resourceDelegated: Candidate | undefined;
  for (const c of candidates) {
    if (c.statement.effect !== 'Allow' || !counts(c.outcome)) continue;
    if (c.ref.source === 'identity') identity ??= c;
    else if (c.match === 'direct') resourceDirect ??= c;
    else resourceDelegated ??= c;
  }
  if (principal.kind === 'anonymous') {
    return { allowed: resourceDirect !== undefined, statements: resourceDirect ? [resourceDirect.ref] : [], missing: undefined };
  }
  if (sameAccount) {
    const by = identity ?? resourceDirect;
    return { allowed: by !== undefined, statements: by ? [by.ref] : [], missing: undefined };
  }
  const resource = resourceDirect ?? resourceDelegated;
  const identityOk = principal.isRoot || identity !== undefined;
  const statements = [identity?.ref, resource?.ref].filter((r): r is StatementRef => r !== undefined);
  const missing = identityOk && resource ? undefined : !identityOk && !resource ? 'both' : !identityOk ? 'identity' : 'resource';
  return { allowed: identityOk && resource !== undefined, statements, missing };
}

const isTrue = (o: Outcome): boolean => o === true;
const mayBeTrue = (o: Outcome): boolean => o !== false;

function decision(effect: Decision['effect'], reason: DecisionReason, statements: StatementRef[], crossAccount: boolean, missing?: Decision['missing']): Decision {
  return { effect, reason, statements, crossAccount, missing };
}

export async function evaluate(request: EvaluationRequest, policies: PolicySet): Promise<Decision> {
  const ctx = request.context;
  const principal = ctx.principal;
  const actionLower = request.action.toLowerCase();
  const action = s3Action(actionLower);
  const owner = request.resourceOwnerAccountId ?? (principal.kind === 'user' ? principal.accountId : undefined);
  const sameAccount = principal.kind === 'user' && principal.accountId === owner;
  const crossAccount = !sameAccount;
  const ownerRoot = sameAccount && principal.kind === 'user' && principal.isRoot;

  const candidates = collect(policies, principal, actionLower, action, request);

  const decide = (final: boolean): Decision | undefined => {
    const deny = candidates.find((c) => c.statement.effect === 'Deny' && c.outcome === true);
    const denyPending = candidates.some((c) => c.statement.effect === 'Deny' && c.outcome === PENDING);
    if (deny) {
      if (ownerRoot && POLICY_MANAGEMENT.has(actionLower)) return decision('Allow', 'OwnerRootPolicyManagement', [deny.ref], crossAccount);
      return decision('Deny', 'ExplicitDeny', [deny.ref], crossAccount);
    }
    if (ownerRoot) {
      if (denyPending && !POLICY_MANAGEMENT.has(actionLower) && !final) return undefined;
      return decision('Allow', 'OwnerRoot', [], crossAccount);
    }
    // If nothing could allow even with every pending statement applying, the answer is deny without loading.
    const optimistic = allowVerdict(candidates, principal, sameAccount, mayBeTrue);
    if (!optimistic.allowed) return decision('Deny', 'ImplicitDeny', [], crossAccount, crossAccount ? optimistic.missing : undefined);
    const certain = allowVerdict(candidates, principal, sameAccount, isTrue);
    if (certain.allowed && !denyPending) return decision('Allow', 'Allowed', certain.statements, crossAccount);
    if (!final) return undefined;
    return certain.allowed
      ? decision('Allow', 'Allowed', certain.statements, crossAccount)
      : decision('Deny', 'ImplicitDeny', [], crossAccount, crossAccount ? certain.missing : undefined);
  };

  const early = decide(false);
  if (early) return early;

  // Some statement that otherwise applies waits on a lazy source, and the outcome depends on it: load what the
  // pending Deny statements need, and what pending Allow statements need unless an Allow is already certain.
  const allowCertain = ownerRoot || allowVerdict(candidates, principal, sameAccount, isTrue).allowed;
  const pending = candidates.filter((c) => c.outcome === PENDING && (c.statement.effect === 'Deny' || !allowCertain));
  const sources = new Set<LazySource>();
  for (const c of pending) for (const s of c.statement.lazySources) if (!ctx.isLoaded(s)) sources.add(s);
  await Promise.all([...sources].map((s) => ctx.load(s)));
  for (const c of candidates) {
    if (c.outcome !== PENDING) continue;
    const outcome = pending.includes(c) ? statementOutcome(c.statement, action, request) : false;
    c.outcome = outcome === PENDING ? false : outcome;
  }
  return decide(true) ?? decision('Deny', 'ImplicitDeny', [], crossAccount);
}
