import type { JobRange } from '../ports/JobStore.js';

/** Units of tasks per range: a range is big enough that claiming it costs nothing beside its units. */
export const UNITS_PER_RANGE = 4;

/** The most ranges one job is split into (a job of billions of rows gets larger ranges, not more). */
export const MAX_RANGES = 10_000;

/**
 * An Active job's rows [0, total) split into consecutive ranges [first, end) of `UNITS_PER_RANGE` units of
 * `unitSize` tasks (the last one shorter), at most MAX_RANGES of them; none for a job with no rows. Each range is
 * leased on its own, so the units of one job spread over every node that runs the batch worker. Pure.
 */
export function splitRows(total: number, unitSize: number): { first: number; end: number }[] {
  if (!Number.isInteger(total) || total <= 0) return [];
  const size = Math.max(1, unitSize * UNITS_PER_RANGE, Math.ceil(total / MAX_RANGES));
  const ranges: { first: number; end: number }[] = [];
  for (let first = 0; first < total; first += size) ranges.push({ first, end: Math.min(total, first + size) });
  return ranges;
}

/**
 * Whether manifest row `row` was applied, for rows asked in increasing order (the completion report reads the
 * manifest in row order): true when the range holding it has its cursor past it. `ranges` in row order. Rows outside
 * every range were never applied.
 */
export function appliedRows(ranges: readonly JobRange[]): {
  (row: number): boolean;
  readonly last: number;
  whole(first: number, end: number): boolean;
} {
  let index = 0;
  const applied = (row: number): boolean => {
    while (index < ranges.length && ranges[index]!.end <= row) index++;
    const range = ranges[index];
    return range !== undefined && range.first <= row && row < range.cursor;
  };
  /** The row after the last applied one (0 when none was). */
  const last = ranges.reduce((max, r) => (r.cursor > r.first ? Math.max(max, r.cursor) : max), 0);
  /**
   * Whether every row of [first, end) was applied, asked before `applied` is asked of those rows (it does not move
   * on: `applied(first)` may follow).
   */
  const whole = (first: number, end: number): boolean => {
    let i = index;
    while (i < ranges.length && ranges[i]!.end <= first) i++;
    for (let row = first; row < end; i++) {
      const range = ranges[i];
      if (range === undefined || range.first > row || range.cursor <= row) return false;
      row = range.cursor; // a range applied only in part: the next range starts after row, so the span is not whole
    }
    return true;
  };
  return Object.assign(applied, { last, whole });
}
