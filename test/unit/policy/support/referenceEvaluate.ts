/**
 * The reference evaluator for test/unit/policy/fastEvaluation.test.ts: the engine's evaluator as it was before the
 * per-action plans (commit 69acf1a), kept deliberately plain — every statement of every policy is scanned, its Action /
 * NotAction matched here with a regular expression built from the policy's own patterns, each candidate carries its
 * StatementRef, and the decision is taken from the full candidate list. The engine's evaluator must decide exactly as
 * this one does.
 */
import { s3Action, type S3ActionDef } from '../../../../src/policy/engine/actions.js';
import type { LazySource } from '../../../../src/policy/engine/conditionKeys.js';
import { evaluateCondition } from '../../../../src/policy/engine/conditions.js';
import type { Decision, DecisionReason, EvaluationRequest, PolicySet, StatementRef } from '../../../../src/policy/engine/evaluate.js';
import { UNRESOLVED } from '../../../../src/policy/engine/patterns.js';
import type { Policy, Statement } from '../../../../src/policy/engine/Policy.js';
import { matchPrincipal, notPrincipalApplies, type PolicyPrincipal, type PrincipalMatch } from '../../../../src/policy/engine/principals.js';
import { PENDING } from '../../../../src/policy/engine/RequestContext.js';
import { parseTemplate, resolvePart } from '../../../../src/policy/engine/variables.js';
import { ArnSourceBuilder, globRegExp } from '../../../../src/policy/engine/wildcard.js';

const POLICY_MANAGEMENT = new Set(['s3:getbucketpolicy', 's3:putbucketpolicy', 's3:deletebucketpolicy']);

/** The outcome for one statement: applies, does not, or needs a lazy source loaded to tell. */
type Outcome = boolean | typeof PENDING;

interface Candidate {
  readonly ref: StatementRef;
  readonly variables: boolean;
  readonly statement: Statement;
  /** For resource-policy statements: how the principal matched. */
  readonly match: PrincipalMatch;
  outcome: Outcome;
}

/** Whether a Resource / NotResource element applies, each pattern turned into a regular expression afresh. */
function resourceApplies(statement: Statement, variables: boolean, request: EvaluationRequest): boolean | typeof UNRESOLVED {
  const { patterns, negated } = statement.resource;
  let matched = false;
  for (const pattern of patterns) {
    if (pattern === '*') {
      matched = true;
      continue;
    }
    const builder = new ArnSourceBuilder();
    for (const part of parseTemplate(pattern, variables)) {
      if (part.kind === 'text') builder.text(part.text);
      else if (part.kind === 'literal') builder.literal(part.text);
      else {
        const value = resolvePart(part, request.context.resolveVariable);
        if (value === undefined) return UNRESOLVED;
        builder.literal(value);
      }
    }
    if (builder.build().test(request.resource)) matched = true;
  }
  return matched !== negated;
}

/** Whether a statement applies, given that its Action / NotAction element applies to the action. */
function statementOutcome(statement: Statement, variables: boolean, action: S3ActionDef | undefined, request: EvaluationRequest): Outcome {
  const ctx = request.context;
  const resource = resourceApplies(statement, variables, request);
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

/** Whether the statement's Action / NotAction element applies, matched from its patterns afresh. */
function actionApplies(statement: Statement, actionLower: string): boolean {
  const covered = statement.action.patterns.some((p) => globRegExp(p, { ignoreCase: true }).test(actionLower));
  return covered !== statement.action.negated;
}

function statementsFor(policy: Policy, actionLower: string): readonly Statement[] {
  return policy.statements.filter((s) => actionApplies(s, actionLower));
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
        const variables = policy.version === '2012-10-17';
        const outcome = statementOutcome(statement, variables, action, request);
        if (outcome === false) continue;
        const ref: StatementRef = { source: 'identity', policyIndex, policyId: policy.id, statementIndex: statement.index, sid: statement.sid };
        out.push({ ref, variables, statement, match: 'direct', outcome });
      }
    }
  }
  const resourcePolicy = policies.resource;
  if (resourcePolicy) {
    for (const statement of statementsFor(resourcePolicy, actionLower)) {
      const match = principalMatch(statement, principal);
      if (match === 'none') continue;
      const variables = resourcePolicy.version === '2012-10-17';
      const outcome = statementOutcome(statement, variables, action, request);
      if (outcome === false) continue;
      const ref: StatementRef = { source: 'resource', policyIndex: 0, policyId: resourcePolicy.id, statementIndex: statement.index, sid: statement.sid };
      out.push({ ref, variables, statement, match, outcome });
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

export async function referenceEvaluate(request: EvaluationRequest, policies: PolicySet): Promise<Decision> {
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
    const outcome = pending.includes(c) ? statementOutcome(c.statement, c.variables, action, request) : false;
    c.outcome = outcome === PENDING ? false : outcome;
  }
  return decide(true) ?? decision('Deny', 'ImplicitDeny', [], crossAccount);
}
