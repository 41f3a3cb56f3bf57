import type { LifecycleRule } from './LifecycleRule.js';
import { prefixOf } from './LifecycleRule.js';
import { DAY_MS, dueAfterDays } from './lifecycleDays.js';
import { ruleApplies, type MatchFacts } from './ruleMatch.js';

/** A rule's time for one object or upload. */
export interface RuleDate {
  readonly date: Date;
  readonly ruleId: string;
}

/**
 * When the current version of an object expires, and by which rule: the earliest expiration (Days or Date) of the
 * Enabled rules that apply to it; of two on the same day, the rule listed first. What `x-amz-expiration` reports on
 * PutObject, CopyObject, CompleteMultipartUpload, GetObject and HeadObject. Only for the current version, not a
 * delete marker; S3 sends none when the request names a version (even the current one), which is the caller's
 * business. ExpiredObjectDeleteMarker rules give no date.
 */
export function expirationDate(
  rules: readonly LifecycleRule[],
  object: MatchFacts & { readonly lastModified: Date },
  dayMs: number = DAY_MS,
): RuleDate | undefined {
  let best: RuleDate | undefined;
  for (const rule of rules) {
    const e = rule.expiration;
    if (e === undefined || e.kind === 'expiredObjectDeleteMarker' || !ruleApplies(rule, object)) continue;
    const date = e.kind === 'days' ? dueAfterDays(object.lastModified, e.days, dayMs) : e.date;
    if (best === undefined || date.getTime() < best.date.getTime()) best = { date, ruleId: rule.id };
  }
  return best;
}

/**
 * The `x-amz-expiration` value, `expiry-date="Fri, 23 Dec 2012 00:00:00 GMT", rule-id="picture-deletion-rule"`,
 * or undefined when no rule expires the object. The rule ID is written as it is (S3's answers show spaces as
 * spaces, though its documentation says URL-encoded); only characters a header cannot carry, and `"`, are
 * percent-encoded.
 */
export function expirationHeader(
  rules: readonly LifecycleRule[],
  object: MatchFacts & { readonly lastModified: Date },
  dayMs: number = DAY_MS,
): string | undefined {
  const found = expirationDate(rules, object, dayMs);
  return found === undefined ? undefined : `expiry-date="${found.date.toUTCString()}", rule-id="${headerSafe(found.ruleId)}"`;
}

/** A multipart upload, as AbortIncompleteMultipartUpload sees it. */
export interface UploadFacts {
  readonly key: string;
  readonly initiated: Date;
}

/**
 * When an incomplete multipart upload will be aborted, and by which rule: the earliest DaysAfterInitiation of the
 * Enabled rules whose prefix the upload's key starts with (such rules have no tag or size condition). Due once
 * `now` reaches the date. What CreateMultipartUpload and ListParts report as `x-amz-abort-date` /
 * `x-amz-abort-rule-id` (see abortHeaders).
 */
export function abortDate(rules: readonly LifecycleRule[], upload: UploadFacts, dayMs: number = DAY_MS): RuleDate | undefined {
  let best: RuleDate | undefined;
  for (const rule of rules) {
    const abort = rule.abortIncompleteMultipartUpload;
    if (abort === undefined || rule.status !== 'Enabled' || !upload.key.startsWith(prefixOf(rule.scope))) continue;
    const date = dueAfterDays(upload.initiated, abort.daysAfterInitiation, dayMs);
    if (best === undefined || date.getTime() < best.date.getTime()) best = { date, ruleId: rule.id };
  }
  return best;
}

/** `x-amz-abort-date` (an HTTP date) and `x-amz-abort-rule-id`, or no headers. */
export function abortHeaders(found: RuleDate | undefined): Record<string, string> {
  if (found === undefined) return {};
  return { 'x-amz-abort-date': found.date.toUTCString(), 'x-amz-abort-rule-id': headerSafe(found.ruleId) };
}

/** Percent-encode what an HTTP header value cannot hold (controls, non-ASCII) and the `"` that would end the field. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]|"/gu, (ch) => (/^[\ud800-\udfff]$/.test(ch) ? '%EF%BF%BD' : encodeURIComponent(ch)));
}
