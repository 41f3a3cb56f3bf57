import type { LifecycleRule } from './LifecycleRule.js';
import { planRule, type LifecycleAction, type LifecycleContext, type PlannedAction, type VersionFacts } from './planRule.js';
import { ruleApplies } from './ruleMatch.js';
import { coldness } from './storageClasses.js';

export type { LifecycleAction, LifecycleContext, PlannedAction, VersionFacts } from './planRule.js';

/** An action with the rule that sets it and the time it falls due. */
export interface ScheduledAction {
  readonly action: LifecycleAction;
  readonly ruleId: string;
  readonly dueAt: Date;
}

export interface LifecycleEvaluation {
  /** The one action to take now, if any (S3 takes at most one lifecycle action on an object per day). */
  readonly due?: ScheduledAction;
  /** The later actions, each once (its earliest time), soonest first. */
  readonly upcoming: readonly ScheduledAction[];
}

/**
 * What lifecycle does to one object version now, and later. Pure: the rules, the version's facts and the context
 * (versioning, `now`, the day length) are all it reads.
 *
 * Of the actions due (due time ≤ now) of every Enabled rule that applies, one is taken, by S3's precedence
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-conflicts.html): permanent deletion (an
 * expiration in a never-versioned bucket, a noncurrent expiration, an expired delete marker) before a transition,
 * a transition before the creation of a delete marker; of two transitions the colder class; then the earlier due
 * time, then the rule listed first. "If two expiration policies overlap, the shorter expiration policy is
 * honored": an action is listed once, at the earliest time any rule sets it.
 */
export function evaluateLifecycle(
  rules: readonly LifecycleRule[],
  version: VersionFacts,
  context: LifecycleContext,
): LifecycleEvaluation {
  // each action once, at its earliest time; of two rules setting it the same day, the one listed first (plain loops:
  // a pass evaluates every version it reads)
  const once: ScheduledAction[] = [];
  const ids: string[] = [];
  for (const p of plannedActions(rules, version, context)) {
    if (p.dueAt === undefined) continue;
    const id = identity(p.action);
    const i = ids.indexOf(id);
    if (i < 0) {
      ids.push(id);
      once.push({ action: p.action, ruleId: p.ruleId, dueAt: p.dueAt });
    } else if (p.dueAt.getTime() < once[i]!.dueAt.getTime()) {
      once[i] = { action: p.action, ruleId: p.ruleId, dueAt: p.dueAt };
    }
  }
  const now = context.now.getTime();
  let due: ScheduledAction | undefined;
  const upcoming: ScheduledAction[] = [];
  for (const s of once) {
    if (s.dueAt.getTime() > now) upcoming.push(s);
    else if (due === undefined || byPrecedence(s, due) < 0) due = s;
  }
  if (upcoming.length > 1) upcoming.sort((a, b) => byTime(a, b) || byPrecedence(a, b));
  return { ...(due === undefined ? {} : { due }), upcoming };
}

/** Every action of every rule that applies to the version, due or held back, in rule order. */
export function plannedActions(rules: readonly LifecycleRule[], version: VersionFacts, context: LifecycleContext): PlannedAction[] {
  const match = version.isDeleteMarker ? { key: version.key, size: 0, tags: [] } : version;
  return rules.filter((rule) => ruleApplies(rule, match)).flatMap((rule) => planRule(rule, version, context));
}

/** Two rules setting "the same" action: same kind, same effect or target class. */
function identity(action: LifecycleAction): string {
  switch (action.kind) {
    case 'expireCurrent':
      return `expireCurrent:${action.effect}`;
    case 'transition':
      return `transition:${action.storageClass}`;
    default:
      return action.kind;
  }
}

/** 0: permanent deletion, 1: transition, 2: a new delete marker. */
function rank(action: LifecycleAction): number {
  if (action.kind === 'transition') return 1;
  if (action.kind === 'expireCurrent' && action.effect === 'deleteMarker') return 2;
  return 0;
}

/** Stable sorts keep rule order for ties. */
function byTime(a: ScheduledAction, b: ScheduledAction): number {
  return a.dueAt.getTime() - b.dueAt.getTime();
}

function byPrecedence(a: ScheduledAction, b: ScheduledAction): number {
  const colder =
    a.action.kind === 'transition' && b.action.kind === 'transition' ? coldness(b.action.storageClass) - coldness(a.action.storageClass) : 0;
  return rank(a.action) - rank(b.action) || colder || byTime(a, b);
}
