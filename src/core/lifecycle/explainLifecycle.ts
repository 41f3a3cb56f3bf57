import type { LifecycleRule, RuleStatus } from './LifecycleRule.js';
import { evaluateLifecycle, type LifecycleEvaluation } from './evaluateLifecycle.js';
import { planRule, type LifecycleContext, type PlannedAction, type VersionFacts } from './planRule.js';
import { checkRule, type ConditionCheck } from './ruleMatch.js';

/** One rule held against one object version. */
export interface RuleExplanation {
  readonly ruleId: string;
  readonly status: RuleStatus;
  /** Whether the rule applies: Enabled and every condition holds. */
  readonly matched: boolean;
  /** Each condition (status, prefix, each tag, sizes) with whether it holds and why. */
  readonly checks: readonly ConditionCheck[];
  /**
   * What the rule does to the version and when — also for a rule that does not match, so the answer shows what
   * would happen if it did (a tag change, say); `due` says whether the time has come.
   */
  readonly actions: ReadonlyArray<PlannedAction & { readonly due: boolean }>;
}

export interface LifecycleExplanation {
  /** Every rule, in configuration order. */
  readonly rules: readonly RuleExplanation[];
  /** The outcome: what is due now (the one action taken) and what follows, as evaluateLifecycle decides. */
  readonly evaluation: LifecycleEvaluation;
}

/**
 * For one object version, every rule with whether it applies and why (status, prefix, tags, sizes), what each
 * would do and when, and what lifecycle will actually do: the data behind `tessera lifecycle explain`.
 */
export function explainLifecycle(rules: readonly LifecycleRule[], version: VersionFacts, context: LifecycleContext): LifecycleExplanation {
  const match = version.isDeleteMarker ? { key: version.key, size: 0, tags: [] } : version;
  const now = context.now.getTime();
  return {
    rules: rules.map((rule) => {
      const checks = checkRule(rule, match);
      return {
        ruleId: rule.id,
        status: rule.status,
        matched: checks.every((c) => c.ok),
        checks,
        actions: planRule(rule, version, context).map((p) => ({ ...p, due: p.dueAt !== undefined && p.dueAt.getTime() <= now })),
      };
    }),
    evaluation: evaluateLifecycle(rules, version, context),
  };
}
