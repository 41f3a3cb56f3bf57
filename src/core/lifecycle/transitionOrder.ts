import type { RuleScope } from './LifecycleRule.js';
import type { RuleActions } from './validateRuleActions.js';
import { filterLabel } from './filterLabel.js';
import { daysBetween } from './lifecycleDays.js';
import { lifecycleErrors, type When } from './lifecycleErrors.js';
import { canTransition, minimumDaysIn, type TransitionStorageClass } from './storageClasses.js';

/** A transition reduced to what ordering looks at. */
interface Step {
  readonly storageClass: TransitionStorageClass;
  readonly when: When;
}

/**
 * The transitions of one rule against each other and against its expiration, as S3 orders them. Each transition,
 * in document order, is checked against every earlier one and then against the expiration:
 * - two to the same class: InvalidRequest "'StorageClass' must be different for 'Transition' actions in same 'Rule'
 *   with filter '(prefix=…)'";
 * - one by Days and one by Date: InvalidRequest "Found mixed 'Date' and 'Days' based Transition actions …";
 * - the colder class not strictly later, or a pair the waterfall does not allow (ONEZONE_IA → GLACIER_IR):
 *   InvalidArgument "… must be greater than …"; later, but by fewer days than the warmer class's minimum stay
 *   (30 for the IA classes, 90 for GLACIER_IR and GLACIER): InvalidArgument "… must be 90 days more than …";
 * - the expiration by Days and the transition by Date, or the reverse: InvalidRequest "Found mixed 'Date' and
 *   'Days' based Expiration and Transition actions …"; an expiration not strictly after the transition:
 *   InvalidArgument "'Days' in the Expiration action for filter '(prefix=)' must be greater than 'Days' in the
 *   Transition action".
 * Noncurrent transitions are held to the same rules against each other and NoncurrentVersionExpiration
 * (NoncurrentDays). An ExpiredObjectDeleteMarker expiration has no time and is not compared.
 */
export function checkTransitionOrder(actions: RuleActions, scope: RuleScope, dayMs: number): void {
  const label = filterLabel(scope);
  const current: Step[] = actions.transitions.map((t) => ({
    storageClass: t.storageClass,
    when: t.kind === 'date' ? { field: 'Date', date: t.date } : { field: 'Days', days: t.days },
  }));
  const e = actions.expiration;
  const expiration: When | undefined =
    e?.kind === 'days' ? { field: 'Days', days: e.days } : e?.kind === 'date' ? { field: 'Date', date: e.date } : undefined;
  checkSteps(current, expiration, { action: 'Transition', expirationAction: 'Expiration', label, dayMs });

  const noncurrent: Step[] = actions.noncurrentVersionTransitions.map((t) => ({
    storageClass: t.storageClass,
    when: { field: 'NoncurrentDays', days: t.noncurrentDays },
  }));
  const nve = actions.noncurrentVersionExpiration;
  const noncurrentExpiration: When | undefined = nve === undefined ? undefined : { field: 'NoncurrentDays', days: nve.noncurrentDays };
  checkSteps(noncurrent, noncurrentExpiration, {
    action: 'NoncurrentVersionTransition',
    expirationAction: 'NoncurrentVersionExpiration',
    label,
    dayMs,
  });
}

interface Names {
  readonly action: string;
  readonly expirationAction: string;
  readonly label: string;
  readonly dayMs: number;
}

function checkSteps(steps: readonly Step[], expiration: When | undefined, names: Names): void {
  steps.forEach((step, i) => {
    for (const earlier of steps.slice(0, i)) checkPair(earlier, step, names);
    if (expiration !== undefined) checkExpiration(expiration, step.when, names);
  });
}

/** Days from a to b (b - a), whichever form they share. */
function gapDays(a: When, b: When, dayMs: number): number {
  if ('date' in a && 'date' in b) return daysBetween(a.date, b.date, dayMs);
  if ('days' in a && 'days' in b) return b.days - a.days;
  throw new Error('gapDays: mixed forms are refused before');
}

function checkPair(a: Step, b: Step, names: Names): void {
  if (a.storageClass === b.storageClass) throw lifecycleErrors.duplicateClass(names.action, names.label);
  if (('date' in a.when) !== ('date' in b.when)) throw lifecycleErrors.mixedTransitions(names.label);
  const [warm, cold] = canTransition(b.storageClass, a.storageClass) ? [b, a] : [a, b];
  const gap = gapDays(warm.when, cold.when, names.dayMs);
  if (gap <= 0 || !canTransition(warm.storageClass, cold.storageClass)) {
    throw lifecycleErrors.transitionOrder(cold.when, names.action, cold.storageClass, warm.storageClass, names.label);
  }
  const minimum = minimumDaysIn(warm.storageClass);
  if (gap < minimum) {
    throw lifecycleErrors.transitionGap(cold.when, names.action, cold.storageClass, warm.storageClass, minimum, names.label);
  }
}

function checkExpiration(expiration: When, transition: When, names: Names): void {
  if (('date' in expiration) !== ('date' in transition)) throw lifecycleErrors.mixedExpiration(names.label);
  if (gapDays(transition, expiration, names.dayMs) <= 0) {
    throw lifecycleErrors.expirationNotAfterTransition(expiration, names.expirationAction, names.action, names.label);
  }
}
