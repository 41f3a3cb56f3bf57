/**
 * HTTP conditional requests as S3 evaluates them (RFC 9110 §13.2.2 order, which is also what the S3 API reference
 * describes for GetObject/HeadObject and the x-amz-copy-source-if-* headers of CopyObject/UploadPartCopy):
 *
 * 1. If-Match present: fails unless one of its entity tags (or `*`) matches → precondition failed.
 *    Absent: If-Unmodified-Since, when a valid date, fails when the object was modified after it.
 * 2. If-None-Match present: fails when one of its tags (or `*`) matches → not modified.
 *    Absent: If-Modified-Since, when a valid date not in the future, fails when the object was not modified after it.
 *
 * So If-Match true + If-Unmodified-Since false → pass, and If-None-Match false + If-Modified-Since true → not
 * modified, exactly the two combinations AWS documents. Pure: the clock is a parameter.
 */

export interface ConditionHeaders {
  readonly ifMatch?: string | undefined;
  readonly ifNoneMatch?: string | undefined;
  readonly ifModifiedSince?: string | undefined;
  readonly ifUnmodifiedSince?: string | undefined;
}

export interface ConditionTarget {
  /** Entity tag without quotes. */
  readonly etag: string;
  readonly lastModified: Date;
}

export type ConditionName = 'If-Match' | 'If-None-Match' | 'If-Modified-Since' | 'If-Unmodified-Since';

export type ConditionOutcome =
  | { readonly kind: 'pass' }
  /** 412 for any request. */
  | { readonly kind: 'precondition-failed'; readonly condition: ConditionName }
  /** 304 for GET/HEAD; copy requests turn it into 412. */
  | { readonly kind: 'not-modified'; readonly condition: ConditionName };

/** Strip a weak prefix and surrounding quotes: `W/"abc"` → `abc`. */
export function normalizeEtag(tag: string): string {
  let t = tag.trim();
  if (t.startsWith('W/')) t = t.slice(2);
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) t = t.slice(1, -1);
  return t;
}

/** Whether an If-Match / If-None-Match list (`"a", "b"`, `*`) names the entity tag. */
export function etagListMatches(list: string, etag: string): boolean {
  for (const item of list.split(',')) {
    const t = item.trim();
    if (t === '') continue;
    if (t === '*') return true;
    if (normalizeEtag(t) === etag) return true;
  }
  return false;
}

/** Parse an HTTP date (IMF-fixdate, RFC 850 or asctime; ISO 8601 also accepted); undefined when not a date. */
export function parseHttpDate(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value.trim());
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** Last-Modified has one-second resolution on the wire, so comparisons are made at whole seconds. */
function seconds(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}

export function evaluateConditions(headers: ConditionHeaders, target: ConditionTarget, now: Date): ConditionOutcome {
  if (headers.ifMatch !== undefined) {
    if (!etagListMatches(headers.ifMatch, target.etag)) return { kind: 'precondition-failed', condition: 'If-Match' };
  } else {
    const since = parseHttpDate(headers.ifUnmodifiedSince);
    if (since !== undefined && seconds(target.lastModified) > seconds(since)) {
      return { kind: 'precondition-failed', condition: 'If-Unmodified-Since' };
    }
  }
  if (headers.ifNoneMatch !== undefined) {
    if (etagListMatches(headers.ifNoneMatch, target.etag)) return { kind: 'not-modified', condition: 'If-None-Match' };
  } else {
    const since = parseHttpDate(headers.ifModifiedSince);
    if (since !== undefined && since.getTime() <= now.getTime() && seconds(target.lastModified) <= seconds(since)) {
      return { kind: 'not-modified', condition: 'If-Modified-Since' };
    }
  }
  return { kind: 'pass' };
}
