/**
 * The `Range` request header as S3 applies it to GetObject/HeadObject (RFC 9110 §14, single ranges only):
 *
 * - `bytes=a-b`, `bytes=a-` and `bytes=-n` select bytes; an end past the object is clamped to the last byte.
 * - A range starting at or past the end, a zero-length suffix (`bytes=-0`), or any range of an empty object is
 *   unsatisfiable: 416 InvalidRange with `Content-Range: bytes *​/size`.
 * - Anything else (another unit, bad syntax, `a > b`, several ranges) is ignored and the whole object is served,
 *   as AWS does ("Amazon S3 doesn't support retrieving multiple ranges of data per GET request").
 */

export type RangeSelection =
  | { readonly kind: 'whole' }
  | { readonly kind: 'partial'; readonly start: number; readonly end: number }
  | { readonly kind: 'unsatisfiable' };

const WHOLE: RangeSelection = { kind: 'whole' };

export function parseRange(header: string | undefined, size: number): RangeSelection {
  if (header === undefined) return WHOLE;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (m === null) return WHOLE;
  const first = m[1] ?? '';
  const last = m[2] ?? '';
  if (first === '' && last === '') return WHOLE;
  if (first === '') {
    const n = Number(last);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return WHOLE;
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return { kind: 'partial', start, end };
}

/** `Content-Range` of a partial response: `bytes start-end/size`. */
export function contentRange(start: number, end: number, size: number): string {
  return `bytes ${start}-${end}/${size}`;
}
