import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appliedRows, MAX_RANGES, splitRows, UNITS_PER_RANGE } from '../../../src/core/batch/jobRanges.js';
import { mulberry32 } from '../../support/seededRandom.js';

describe('splitRows: an Active job\'s rows as ranges', () => {
  const cases: { name: string; total: number; unit: number; want: [number, number][] }[] = [
    { name: 'no rows: no range', total: 0, unit: 10, want: [] },
    { name: 'fewer rows than a range', total: 7, unit: 10, want: [[0, 7]] },
    { name: 'exactly one range', total: 10 * UNITS_PER_RANGE, unit: 10, want: [[0, 10 * UNITS_PER_RANGE]] },
    { name: 'one row more than a range', total: 10 * UNITS_PER_RANGE + 1, unit: 10, want: [[0, 10 * UNITS_PER_RANGE], [10 * UNITS_PER_RANGE, 10 * UNITS_PER_RANGE + 1]] },
    { name: 'units of one task', total: 9, unit: 1, want: [[0, UNITS_PER_RANGE], [UNITS_PER_RANGE, 2 * UNITS_PER_RANGE], [2 * UNITS_PER_RANGE, 9]] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(splitRows(c.total, c.unit).map((r) => [r.first, r.end]), c.want);
    });
  }

  it('covers every row once, in order, for many sizes', () => {
    for (const total of [1, 2, 3, 999, 1000, 1001, 123_457]) {
      for (const unit of [1, 7, 1000, 20_000]) {
        const ranges = splitRows(total, unit);
        assert.equal(ranges[0]?.first, 0);
        assert.equal(ranges.at(-1)?.end, total);
        for (let i = 1; i < ranges.length; i++) assert.equal(ranges[i]!.first, ranges[i - 1]!.end, 'no gap, no overlap');
        assert.ok(ranges.every((r) => r.end > r.first));
      }
    }
  });

  it(`never makes more than ${MAX_RANGES} ranges`, () => {
    const ranges = splitRows(1_000_000_000, 1);
    assert.ok(ranges.length <= MAX_RANGES);
    assert.equal(ranges.at(-1)?.end, 1_000_000_000);
  });

  it('refuses nonsense totals with no range', () => {
    assert.deepEqual(splitRows(-5, 10), []);
    assert.deepEqual(splitRows(Number.NaN, 10), []);
  });
});

describe('appliedRows: which rows a job applied, from its ranges', () => {
  it('asks rows in increasing order across ranges done, partly done and untouched', () => {
    const applied = appliedRows([
      { first: 0, end: 10, cursor: 10 },
      { first: 10, end: 20, cursor: 13 },
      { first: 20, end: 30, cursor: 20 },
      { first: 30, end: 40, cursor: 35 },
    ]);
    const rows = Array.from({ length: 45 }, (_, i) => i).filter((row) => applied(row));
    assert.deepEqual(rows, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 30, 31, 32, 33, 34]);
    assert.equal(applied.last, 35);
  });

  it('nothing applied: no row, last 0', () => {
    const applied = appliedRows([{ first: 0, end: 5, cursor: 0 }]);
    assert.equal(applied(0), false);
    assert.equal(applied.last, 0);
    assert.equal(appliedRows([]).last, 0);
  });

  it('whole(first, end) says whether every row of the span was applied, as asking each row would (randomized)', () => {
    const random = mulberry32(41);
    for (let round = 0; round < 300; round++) {
      const ranges: { first: number; end: number; cursor: number }[] = [];
      for (let first = 0; first < 60; ) {
        const end = first + 1 + Math.floor(random() * 12);
        const cursor = [first, end, first + Math.floor(random() * (end - first + 1))][Math.floor(random() * 3)]!;
        ranges.push({ first, end, cursor });
        first = end;
      }
      const reference = appliedRows(ranges);
      const each = Array.from({ length: 100 }, (_, row) => reference(row));
      // spans asked in increasing order, each before its rows are asked of the same instance
      const applied = appliedRows(ranges);
      for (let first = 0; first < 75; ) {
        const end = first + 1 + Math.floor(random() * 15);
        const expected = each.slice(first, end).every(Boolean);
        assert.equal(applied.whole(first, end), expected, `${JSON.stringify(ranges)} [${first}, ${end})`);
        for (let row = first; row < end; row++) assert.equal(applied(row), each[row], `row ${row}`);
        first = end;
      }
    }
  });

  it('skipping rows between asks still finds their range', () => {
    const applied = appliedRows([
      { first: 0, end: 4, cursor: 2 },
      { first: 4, end: 8, cursor: 8 },
    ]);
    assert.equal(applied(1), true);
    assert.equal(applied(7), true);
    assert.equal(applied(8), false);
  });
});
