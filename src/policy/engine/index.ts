/**
 * Tessera's policy engine: pure parsing, compilation and evaluation of IAM-style policies (bucket policies and IAM
 * user policies) with AWS's semantics. No HTTP, no storage: callers supply the policies, the request context
 * (with lazy loaders for existing object tags) and the clock. See docs/policy.md.
 */
export { parsePolicy, clearPolicyCache, type ParsePolicyOptions } from './parsePolicy.js';
export { PolicyParseError, type PolicyProblem } from './PolicyParseError.js';
export type { Policy, PolicyKind, PolicyVersion, Statement, Effect, PrincipalElement } from './Policy.js';
export {
  evaluate,
  evaluateNow,
  verdictNow,
  type Verdict,
  type EvaluationRequest,
  type PolicySet,
  type Decision,
  type DecisionReason,
  type StatementRef,
} from './evaluate.js';
export { RequestContext, PENDING, PolicyContextNotLoadedError, type RequestContextInput, type TagSource } from './RequestContext.js';
export type { PolicyPrincipal } from './principals.js';
export { K as ConditionKey, CONDITION_KEYS, findConditionKey, type ConditionKeyName, type ConditionKeyDef } from './conditionKeys.js';
export { S3_ACTIONS, s3Action, s3ActionsMatching, type S3ActionDef, type S3ResourceType } from './actions.js';
export { OPERATORS, parseOperator } from './conditionOperators.js';
