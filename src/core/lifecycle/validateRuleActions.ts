import type { ExpirationDraft, NoncurrentTransitionDraft, RuleDraft, TransitionDraft } from './LifecycleDraft.js';
import {
  conditionsOf,
  type AbortIncompleteMultipartUpload,
  type Expiration,
  type NoncurrentVersionExpiration,
  type NoncurrentVersionTransition,
  type RuleScope,
  type Transition,
} from './LifecycleRule.js';
import { parseLifecycleDate } from './lifecycleDate.js';
import { isMidnight } from './lifecycleDays.js';
import { lifecycleErrors } from './lifecycleErrors.js';
import { isTransitionStorageClass, NON_TARGET_STORAGE_CLASSES, needsThirtyDays, type TransitionStorageClass } from './storageClasses.js';
import { checkTransitionOrder } from './transitionOrder.js';

/** A rule's actions, checked. */
export interface RuleActions {
  readonly expiration?: Expiration;
  readonly transitions: readonly Transition[];
  readonly noncurrentVersionExpiration?: NoncurrentVersionExpiration;
  readonly noncurrentVersionTransitions: readonly NoncurrentVersionTransition[];
  readonly abortIncompleteMultipartUpload?: AbortIncompleteMultipartUpload;
}

/**
 * A rule's actions checked as S3 checks them, in this order (the first fault answers):
 * 1. no action at all: InvalidRequest "At least one action needs to be specified in a rule";
 * 2. Expiration: not exactly one of Days, Date, ExpiredObjectDeleteMarker → MalformedXML; Days < 1 → InvalidArgument;
 *    a Date that is not an ISO 8601 date-time → MalformedXML, not at midnight → InvalidArgument;
 * 3. NoncurrentVersionExpiration: no NoncurrentDays → MalformedXML; NoncurrentDays < 1 → InvalidArgument;
 *    NewerNoncurrentVersions in V1 → InvalidRequest, < 1 → InvalidArgument (no upper bound: S3 accepted 500);
 * 4. AbortIncompleteMultipartUpload: no DaysAfterInitiation → MalformedXML, < 1 → InvalidArgument;
 * 5. ExpiredObjectDeleteMarker (even `false`) or AbortIncompleteMultipartUpload with a tag or size filter:
 *    InvalidRequest "… cannot be specified with Tags." / "… with Object Size.";
 * 6. each Transition, then each NoncurrentVersionTransition: no or an unknown StorageClass → MalformedXML,
 *    STANDARD or REDUCED_REDUNDANCY → InvalidArgument; not exactly one of Days and Date → MalformedXML; Days < 0 →
 *    InvalidArgument; STANDARD_IA or ONEZONE_IA before 30 days → InvalidArgument;
 * 7. the transitions against each other and against the expirations (transitionOrder.ts).
 */
export function validateRuleActions(rule: RuleDraft, scope: RuleScope, v2: boolean, dayMs: number): RuleActions {
  if (
    rule.expiration === undefined &&
    rule.transitions.length === 0 &&
    rule.noncurrentVersionExpiration === undefined &&
    rule.noncurrentVersionTransitions.length === 0 &&
    rule.abortIncompleteMultipartUpload === undefined
  ) {
    throw lifecycleErrors.noAction();
  }
  const expiration = rule.expiration === undefined ? undefined : checkExpiration(rule.expiration, dayMs);
  const noncurrentVersionExpiration = rule.noncurrentVersionExpiration === undefined
    ? undefined
    : { noncurrentDays: positiveNoncurrentDays(rule.noncurrentVersionExpiration.noncurrentDays), ...newer(rule.noncurrentVersionExpiration.newerNoncurrentVersions, 'NoncurrentVersionExpiration', v2) };
  const abortIncompleteMultipartUpload = rule.abortIncompleteMultipartUpload === undefined
    ? undefined
    : { daysAfterInitiation: positive(rule.abortIncompleteMultipartUpload.daysAfterInitiation, 'DaysAfterInitiation', 'AbortIncompleteMultipartUpload') };
  checkUnfiltered(scope, expiration?.kind === 'expiredObjectDeleteMarker', abortIncompleteMultipartUpload !== undefined);
  const transitions = rule.transitions.map((t) => checkTransition(t, dayMs));
  const noncurrentVersionTransitions = rule.noncurrentVersionTransitions.map((t) => checkNoncurrentTransition(t, v2));
  const actions: RuleActions = {
    ...(expiration === undefined ? {} : { expiration }),
    transitions,
    ...(noncurrentVersionExpiration === undefined ? {} : { noncurrentVersionExpiration }),
    noncurrentVersionTransitions,
    ...(abortIncompleteMultipartUpload === undefined ? {} : { abortIncompleteMultipartUpload }),
  };
  checkTransitionOrder(actions, scope, dayMs);
  return actions;
}

function positive(value: number | undefined, field: string, action: string): number {
  if (value === undefined) throw lifecycleErrors.malformed();
  if (value < 1) throw lifecycleErrors.notPositive(field, action, value);
  return value;
}

function positiveNoncurrentDays(value: number | undefined): number {
  return positive(value, 'NoncurrentDays', 'NoncurrentVersionExpiration');
}

function newer(value: number | undefined, action: string, v2: boolean): { newerNoncurrentVersions?: number } {
  if (value === undefined) return {};
  if (!v2) throw lifecycleErrors.newerInV1();
  return { newerNoncurrentVersions: positive(value, 'NewerNoncurrentVersions', action) };
}

function midnightDate(text: string, dayMs: number): Date {
  const date = parseLifecycleDate(text);
  if (date === undefined) throw lifecycleErrors.malformed();
  if (!isMidnight(date, dayMs)) throw lifecycleErrors.notMidnight(date);
  return date;
}

function checkExpiration(e: ExpirationDraft, dayMs: number): Expiration {
  const given = [e.days, e.date, e.expiredObjectDeleteMarker].filter((v) => v !== undefined).length;
  if (given !== 1) throw lifecycleErrors.malformed();
  if (e.days !== undefined) return { kind: 'days', days: positive(e.days, 'Days', 'Expiration') };
  if (e.date !== undefined) return { kind: 'date', date: midnightDate(e.date, dayMs) };
  return { kind: 'expiredObjectDeleteMarker', enabled: e.expiredObjectDeleteMarker === true };
}

function checkUnfiltered(scope: RuleScope, deleteMarkerExpiration: boolean, abort: boolean): void {
  const c = conditionsOf(scope);
  const tags = c.tags.length > 0;
  const sizes = c.objectSizeGreaterThan !== undefined || c.objectSizeLessThan !== undefined;
  if (deleteMarkerExpiration && tags) throw lifecycleErrors.withTags('ExpiredObjectDeleteMarker');
  if (deleteMarkerExpiration && sizes) throw lifecycleErrors.withObjectSize('ExpiredObjectDeleteMarker');
  if (abort && tags) throw lifecycleErrors.withTags('AbortIncompleteMultipartUpload');
  if (abort && sizes) throw lifecycleErrors.withObjectSize('AbortIncompleteMultipartUpload');
}

function targetClass(name: string | undefined): TransitionStorageClass {
  if (name !== undefined && isTransitionStorageClass(name)) return name;
  if (name !== undefined && NON_TARGET_STORAGE_CLASSES.includes(name)) throw lifecycleErrors.invalidTargetClass(name);
  throw lifecycleErrors.malformed();
}

function checkTransition(t: TransitionDraft, dayMs: number): Transition {
  const storageClass = targetClass(t.storageClass);
  if ((t.days === undefined) === (t.date === undefined)) throw lifecycleErrors.malformed();
  if (t.date !== undefined) return { kind: 'date', date: midnightDate(t.date, dayMs), storageClass };
  const days = t.days!;
  if (days < 0) throw lifecycleErrors.negative('Days', 'Transition', days);
  if (needsThirtyDays(storageClass) && days < 30) throw lifecycleErrors.infrequentAccessDays('Days', 'Transition', storageClass, days);
  return { kind: 'days', days, storageClass };
}

function checkNoncurrentTransition(t: NoncurrentTransitionDraft, v2: boolean): NoncurrentVersionTransition {
  const storageClass = targetClass(t.storageClass);
  const days = t.noncurrentDays;
  if (days === undefined) throw lifecycleErrors.malformed();
  if (days < 0) throw lifecycleErrors.negative('NoncurrentDays', 'NoncurrentVersionTransition', days);
  if (needsThirtyDays(storageClass) && days < 30) {
    throw lifecycleErrors.infrequentAccessDays('NoncurrentDays', 'NoncurrentVersionTransition', storageClass, days);
  }
  return { noncurrentDays: days, ...newer(t.newerNoncurrentVersions, 'NoncurrentVersionTransition', v2), storageClass };
}
