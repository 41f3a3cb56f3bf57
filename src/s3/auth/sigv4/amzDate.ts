/** The timestamps SigV4 uses: x-amz-date `yyyyMMdd'T'HHmmss'Z'`, the scope date `yyyyMMdd`, and HTTP dates. */

/** Days in each month of a common year (February gets one more in leap years). */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written by the ASCII digits text[start, end); -1 when any of them is not a digit. */
function digits(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Parses `20130524T000000Z`; undefined when the text is not that format or not a real date. Read character by
 * character (it runs on every signed request): no regex match, no intermediate arrays, one Date.
 */
export function parseAmzDate(text: string): Date | undefined {
  if (text.length !== 16 || text.charCodeAt(8) !== 84 /* T */ || text.charCodeAt(15) !== 90 /* Z */) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 4, 6);
  const day = digits(text, 6, 8);
  const hour = digits(text, 9, 11);
  const minute = digits(text, 11, 13);
  const second = digits(text, 13, 15);
  // years below 100 are rejected as before: Date.UTC would read them as 19xx
  if (year < 100 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
  if (second < 0 || second > 59) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] ?? 0);
  if (day > monthDays) return undefined;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

/** `20130524T000000Z`. */
export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** `2013-05-24T00:00:00Z`: the form AWS uses in ServerTime / Expires error details. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const HTTP_DATE = /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** Parses an HTTP Date header (IMF-fixdate, `Fri, 24 May 2013 00:00:00 GMT`); undefined otherwise. */
export function parseHttpDate(text: string): Date | undefined {
  if (!HTTP_DATE.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
