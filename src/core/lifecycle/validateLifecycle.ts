import { randomUUID } from 'node:crypto';
import { checkRuleIds, withGeneratedIds, type RuleIdErrors } from '../rules/ruleIds.js';
import type { LifecycleDraft, RuleDraft } from './LifecycleDraft.js';
import type { LifecycleConfiguration, LifecycleRule, RuleStatus } from './LifecycleRule.js';
import { DAY_MS } from './lifecycleDays.js';
import { lifecycleErrors, MAX_ID_LENGTH, MAX_RULES } from './lifecycleErrors.js';

const ID_ERRORS: RuleIdErrors = { maxLength: MAX_ID_LENGTH, tooLong: lifecycleErrors.idTooLong, duplicate: lifecycleErrors.duplicateId };
import { validateRuleActions } from './validateRuleActions.js';
import { validateRuleScope } from './validateRuleScope.js';

export interface ValidateLifecycleOptions {
  /** The length of a lifecycle day: a `Date` must fall on a multiple of it (default: a real day, so midnight UTC). */
  readonly dayMs?: number;
  /** Makes the ID of a rule sent without one. Default: as S3 does, 48 characters of base64 holding a random UUID. */
  readonly newRuleId?: () => string;
}

export function defaultRuleId(): string {
  return Buffer.from(randomUUID()).toString('base64');
}

/**
 * Check a configuration as PutBucketLifecycleConfiguration does, and return it as Tessera keeps it. A configuration
 * S3 would refuse throws the S3Error S3 answers for its first fault (every message is in lifecycleErrors.ts):
 * 1. no rules, or more than 1,000: InvalidRequest;
 * 2. the IDs, rule by rule: longer than 255 characters, or the same as an earlier rule's: InvalidArgument;
 * 3. each rule in order: a Status other than `Enabled` / `Disabled`: MalformedXML; its scope (validateRuleScope);
 *    its actions (validateRuleActions). A configuration is Lifecycle V2 when its first rule has a `Filter`, and V1
 *    (rule-level `Prefix`, the deprecated PutBucketLifecycle's form) otherwise; the two never mix;
 * 4. in V1 only, two rules whose prefixes overlap (one starts with the other) and take the same kind of action:
 *    InvalidRequest "Found overlapping prefixes 'a' and 'ab' for same action type 'Expiration'". (V2 filters may
 *    overlap: evaluation resolves them as S3 does.)
 * Rules sent without an ID (or with an empty one) get a generated one that no other rule has.
 */
export function validateLifecycle(draft: LifecycleDraft, options: ValidateLifecycleOptions = {}): LifecycleConfiguration {
  const dayMs = options.dayMs ?? DAY_MS;
  const rules = draft.rules;
  if (rules.length === 0) throw lifecycleErrors.noRules();
  if (rules.length > MAX_RULES) throw lifecycleErrors.tooManyRules();
  const given = checkRuleIds(rules.map((r) => r.id), ID_ERRORS);
  const v2 = rules[0]?.filter !== undefined;
  const checked = rules.map((rule) => checkRule(rule, v2, dayMs));
  if (!v2) checkOverlappingPrefixes(checked);
  const newRuleId = options.newRuleId ?? defaultRuleId;
  return { rules: withGeneratedIds(checked, given, newRuleId) };
}


function checkRule(rule: RuleDraft, v2: boolean, dayMs: number): LifecycleRule {
  const status = checkStatus(rule.status);
  const scope = validateRuleScope(rule, v2);
  const actions = validateRuleActions(rule, scope, v2, dayMs);
  return { id: rule.id ?? '', status, scope, ...actions };
}

function checkStatus(status: string | undefined): RuleStatus {
  if (status === 'Enabled' || status === 'Disabled') return status;
  throw lifecycleErrors.malformed();
}

/** The kinds of action V1's overlap rule compares, in the order they are checked. */
const ACTION_TYPES: ReadonlyArray<readonly [string, (rule: LifecycleRule) => boolean]> = [
  ['Expiration', (r) => r.expiration !== undefined],
  ['Transition', (r) => r.transitions.length > 0],
  ['NoncurrentVersionExpiration', (r) => r.noncurrentVersionExpiration !== undefined],
  ['NoncurrentVersionTransition', (r) => r.noncurrentVersionTransitions.length > 0],
  ['AbortIncompleteMultipartUpload', (r) => r.abortIncompleteMultipartUpload !== undefined],
];

function checkOverlappingPrefixes(rules: readonly LifecycleRule[]): void {
  for (const [actionType, takes] of ACTION_TYPES) {
    const prefixes = rules
      .filter(takes)
      .map((r) => (r.scope.kind === 'prefix' ? r.scope.prefix : ''))
      .sort();
    // sorted, a prefix of any later entry is a prefix of the next one too
    for (let i = 1; i < prefixes.length; i++) {
      const [shorter, longer] = [prefixes[i - 1]!, prefixes[i]!];
      if (longer.startsWith(shorter)) throw lifecycleErrors.overlappingPrefixes(shorter, longer, actionType);
    }
  }
}
