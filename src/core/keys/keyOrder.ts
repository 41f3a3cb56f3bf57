/**
 * S3 key order (UTF-8 byte order) and key ranges: the order every listing follows, shared by the listing logic
 * and the metadata backends.
 *
 * A prefix query becomes the range `prefix <= key < prefixUpperBound(prefix)` so it can use an index and never needs
 * LIKE (whose `%` and `_` would be read as wildcards in user input).
 */

const MAX_CODE_POINT = 0x10ffff;
const SURROGATE_FIRST = 0xd800;
const SURROGATE_LAST = 0xdfff;

/**
 * The smallest string greater than every string that starts with `prefix`, in UTF-8 byte order; undefined when there
 * is none (empty prefix, or a prefix made only of U+10FFFF).
 *
 * UTF-8 preserves code point order, so incrementing the last code point that can be incremented (and dropping what
 * follows it) gives the successor.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const codePoints = Array.from(prefix, (ch) => ch.codePointAt(0) ?? 0);
  for (let i = codePoints.length - 1; i >= 0; i--) {
    const cp = codePoints[i] ?? 0;
    if (cp === MAX_CODE_POINT) continue;
    let next = cp + 1;
    if (next >= SURROGATE_FIRST && next <= SURROGATE_LAST) next = SURROGATE_LAST + 1;
    return String.fromCodePoint(...codePoints.slice(0, i), next);
  }
  return undefined;
}

/** Compares two strings by their UTF-8 bytes (S3 key order); negative, zero or positive like Array.sort wants. */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The lower end of a listing: keys >= prefix and, when given, > after. Whichever of the two is tighter wins, so a
 * backend can express it as one indexed range condition.
 */
export function listingLowerBound(prefix: string, after: string | undefined): { value: string; inclusive: boolean } {
  if (after !== undefined && compareUtf8(after, prefix) >= 0) return { value: after, inclusive: false };
  return { value: prefix, inclusive: true };
}
