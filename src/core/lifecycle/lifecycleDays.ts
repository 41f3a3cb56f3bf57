/**
 * Lifecycle time, counted as AWS counts it: an action N days after a moment falls due at that moment plus N days,
 * rounded up to the next midnight UTC ("an object created on 1/15/2014 at 10:30 AM UTC … 3 days … 1/19/2014
 * 00:00 UTC"; https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html). A moment already at
 * midnight stays there.
 *
 * Every function takes the length of a day, so a test clock can make a lifecycle day last seconds: "midnight" is
 * then any multiple of `dayMs` since the Unix epoch (with the real day, exactly midnight UTC).
 */
export const DAY_MS = 86_400_000;

/** The first midnight at or after `ms`. */
export function ceilToMidnight(ms: number, dayMs: number = DAY_MS): number {
  return Math.ceil(ms / dayMs) * dayMs;
}

/** When an action `days` days after `since` falls due. */
export function dueAfterDays(since: Date, days: number, dayMs: number = DAY_MS): Date {
  return new Date(ceilToMidnight(since.getTime() + days * dayMs, dayMs));
}

/** Whether a date is at a midnight (what AWS requires of every lifecycle `Date`). */
export function isMidnight(date: Date, dayMs: number = DAY_MS): boolean {
  return date.getTime() % dayMs === 0;
}

/** Whole days from `earlier` to `later` (negative when they are the other way round). */
export function daysBetween(earlier: Date, later: Date, dayMs: number = DAY_MS): number {
  return Math.trunc((later.getTime() - earlier.getTime()) / dayMs);
}

/**
 * When the next scheduled lifecycle round after `nowMs` runs: just past a midnight (by a hundredth of a day, at
 * most a second), so the actions that fall due at that midnight are taken then, not up to a day later.
 */
export function nextRoundAt(nowMs: number, dayMs: number = DAY_MS): number {
  const delay = Math.min(1000, Math.ceil(dayMs / 100));
  return (Math.floor((nowMs - delay) / dayMs) + 1) * dayMs + delay;
}
