import type { VersioningState } from '../buckets/Bucket.js';
import type { Tag } from '../tags/Tag.js';
import type { LifecycleRule } from './LifecycleRule.js';
import { dueAfterDays } from './lifecycleDays.js';
import { canTransition, type TransitionStorageClass } from './storageClasses.js';
import { tooSmallToTransition, type TransitionMinimumSize } from './transitionMinimumSize.js';

/** One object version, as lifecycle sees it. */
export interface VersionFacts {
  readonly key: string;
  /** Bytes (0 for a delete marker). */
  readonly size: number;
  /** The version's own tags (none for a delete marker). */
  readonly tags: readonly Tag[];
  /** Creation time: what Days count from. */
  readonly lastModified: Date;
  readonly storageClass: string;
  readonly isLatest: boolean;
  readonly isDeleteMarker: boolean;
  /** For a noncurrent version: when it became noncurrent (its successor's creation), what NoncurrentDays count from. */
  readonly noncurrentSince?: Date;
  /** For a noncurrent version: how many noncurrent versions of the key are newer than it. */
  readonly newerNoncurrentVersions: number;
  /** For the current version: how many noncurrent versions the key has (a delete marker with none has expired). */
  readonly noncurrentVersions: number;
}

/** Where and when lifecycle is evaluated. */
export interface LifecycleContext {
  readonly versioning: VersioningState;
  readonly now: Date;
  /** Length of a lifecycle day (default 86,400,000; a test clock makes it seconds). */
  readonly dayMs?: number;
  /** The configuration's x-amz-transition-default-minimum-object-size (default all_storage_classes_128K). */
  readonly transitionMinimumSize?: TransitionMinimumSize;
}

/**
 * What lifecycle does to a version:
 * - `expireCurrent`: the current version expires — `delete` in a bucket that was never versioned, `deleteMarker`
 *   in a versioned (or suspended: a null marker that replaces the null version) one;
 * - `expireNoncurrent`: a noncurrent version (or noncurrent delete marker) is deleted for good;
 * - `removeExpiredDeleteMarker`: a current delete marker with no noncurrent versions left is deleted;
 * - `transition`: the version moves to a storage class.
 */
export type LifecycleAction =
  | { readonly kind: 'expireCurrent'; readonly effect: 'delete' | 'deleteMarker' }
  | { readonly kind: 'expireNoncurrent' }
  | { readonly kind: 'removeExpiredDeleteMarker' }
  | { readonly kind: 'transition'; readonly storageClass: TransitionStorageClass; readonly noncurrent: boolean };

/** An action one rule would take on one version. */
export interface PlannedAction {
  readonly action: LifecycleAction;
  readonly ruleId: string;
  /** When it falls due (it is due at `now` if this is not later). Absent when something holds it back. */
  readonly dueAt?: Date;
  /** Why the action does not apply to the version as it stands. */
  readonly heldBy?: string;
}

/**
 * The actions a rule that applies to a version (see ruleMatch) would take on it, due or held back. Days count from
 * creation for a current version and from `noncurrentSince` for a noncurrent one, rounded up to midnight
 * (lifecycleDays); a Date is due on that date, and stays due after it.
 */
export function planRule(rule: LifecycleRule, version: VersionFacts, context: LifecycleContext): PlannedAction[] {
  if (context.versioning === 'Unversioned' && (!version.isLatest || version.isDeleteMarker)) return [];
  if (version.isLatest) return version.isDeleteMarker ? planDeleteMarker(rule, version, context) : planCurrent(rule, version, context);
  return planNoncurrent(rule, version, context);
}

function planCurrent(rule: LifecycleRule, version: VersionFacts, context: LifecycleContext): PlannedAction[] {
  const planned: PlannedAction[] = [];
  const e = rule.expiration;
  if (e !== undefined && e.kind !== 'expiredObjectDeleteMarker') {
    const effect = context.versioning === 'Unversioned' ? 'delete' : 'deleteMarker';
    const dueAt = e.kind === 'days' ? dueAfterDays(version.lastModified, e.days, context.dayMs) : e.date;
    planned.push({ action: { kind: 'expireCurrent', effect }, ruleId: rule.id, dueAt });
  }
  for (const t of rule.transitions) {
    const dueAt = t.kind === 'days' ? dueAfterDays(version.lastModified, t.days, context.dayMs) : t.date;
    planned.push(transition(rule, version, context, t.storageClass, false, dueAt));
  }
  return planned;
}

function planDeleteMarker(rule: LifecycleRule, version: VersionFacts, context: LifecycleContext): PlannedAction[] {
  const e = rule.expiration;
  if (e === undefined) return [];
  const action: LifecycleAction = { kind: 'removeExpiredDeleteMarker' };
  if (e.kind === 'expiredObjectDeleteMarker' && !e.enabled) {
    return [{ action, ruleId: rule.id, heldBy: 'ExpiredObjectDeleteMarker is false' }];
  }
  if (version.noncurrentVersions > 0) {
    return [{ action, ruleId: rule.id, heldBy: `the delete marker still has ${version.noncurrentVersions} noncurrent version(s)` }];
  }
  // alone, a marker goes at once for ExpiredObjectDeleteMarker, or once old enough for Days / past the Date
  const dueAt =
    e.kind === 'days' ? dueAfterDays(version.lastModified, e.days, context.dayMs) : e.kind === 'date' ? e.date : version.lastModified;
  return [{ action, ruleId: rule.id, dueAt }];
}

function planNoncurrent(rule: LifecycleRule, version: VersionFacts, context: LifecycleContext): PlannedAction[] {
  const since = version.noncurrentSince;
  if (since === undefined) throw new Error(`lifecycle: noncurrent version of ${version.key} without noncurrentSince`);
  const planned: PlannedAction[] = [];
  const nve = rule.noncurrentVersionExpiration;
  if (nve !== undefined) {
    const entry: PlannedAction = { action: { kind: 'expireNoncurrent' }, ruleId: rule.id };
    const held = keptAsNewer(nve.newerNoncurrentVersions, version);
    planned.push(held === undefined ? { ...entry, dueAt: dueAfterDays(since, nve.noncurrentDays, context.dayMs) } : { ...entry, heldBy: held });
  }
  if (!version.isDeleteMarker) {
    for (const t of rule.noncurrentVersionTransitions) {
      const held = keptAsNewer(t.newerNoncurrentVersions, version);
      const planTransition = transition(rule, version, context, t.storageClass, true, dueAfterDays(since, t.noncurrentDays, context.dayMs));
      planned.push(held === undefined ? planTransition : { action: planTransition.action, ruleId: rule.id, heldBy: held });
    }
  }
  return planned;
}

/** NewerNoncurrentVersions N keeps the N newest noncurrent versions, whatever their age. */
function keptAsNewer(keep: number | undefined, version: VersionFacts): string | undefined {
  if (keep === undefined || version.newerNoncurrentVersions >= keep) return undefined;
  return `NewerNoncurrentVersions keeps the ${keep} newest noncurrent version(s); ${version.newerNoncurrentVersions} are newer than this one`;
}

function transition(
  rule: LifecycleRule,
  version: VersionFacts,
  context: LifecycleContext,
  to: TransitionStorageClass,
  noncurrent: boolean,
  dueAt: Date,
): PlannedAction {
  const action: LifecycleAction = { kind: 'transition', storageClass: to, noncurrent };
  if (!canTransition(version.storageClass, to)) {
    return { action, ruleId: rule.id, heldBy: `a version in ${version.storageClass} does not transition to ${to}` };
  }
  if (tooSmallToTransition(rule, version.size, to, context.transitionMinimumSize ?? 'all_storage_classes_128K')) {
    return { action, ruleId: rule.id, heldBy: `objects smaller than 128 KB do not transition to ${to} by default` };
  }
  return { action, ruleId: rule.id, dueAt };
}
