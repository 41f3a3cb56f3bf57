import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLifecycleDate } from '../../../src/core/lifecycle/lifecycleDate.js';
import { ceilToMidnight, daysBetween, dueAfterDays, isMidnight, nextRoundAt } from '../../../src/core/lifecycle/lifecycleDays.js';

const at = (iso: string): Date => new Date(iso);

describe('lifecycle days: creation + N days, rounded up to the next midnight UTC', () => {
  const cases: ReadonlyArray<[string, string, number, string]> = [
    // [name, since, days, due]
    ["the user guide's example: 1/15/2014 10:30 + 3 days", '2014-01-15T10:30:00Z', 3, '2014-01-19T00:00:00.000Z'],
    ["the troubleshooting page: created 00:05 on January 2, 1 day", '2014-01-02T00:05:00Z', 1, '2014-01-04T00:00:00.000Z'],
    ["the noncurrent example: noncurrent since 1/2/2014 11:30, 5 days", '2014-01-02T11:30:00Z', 5, '2014-01-08T00:00:00.000Z'],
    ['a moment already at midnight stays there', '2014-01-02T00:00:00Z', 1, '2014-01-03T00:00:00.000Z'],
    ['one millisecond past midnight', '2014-01-02T00:00:00.001Z', 1, '2014-01-04T00:00:00.000Z'],
    ['0 days (a transition may be due at once): the next midnight', '2014-01-02T23:59:59Z', 0, '2014-01-03T00:00:00.000Z'],
    ['across a leap day', '2024-02-28T12:00:00Z', 1, '2024-03-01T00:00:00.000Z'],
  ];
  for (const [name, since, days, due] of cases) {
    it(name, () => {
      assert.equal(dueAfterDays(at(since), days).toISOString(), due);
    });
  }
});

describe('lifecycle days: a test clock', () => {
  it('with a 10-second day, midnight is every 10 seconds', () => {
    // created 5 s after the epoch, 1 day: 15 s, rounded up to 20 s
    assert.equal(dueAfterDays(new Date(5_000), 1, 10_000).getTime(), 20_000);
    assert.equal(ceilToMidnight(20_000, 10_000), 20_000);
    assert.equal(isMidnight(new Date(30_000), 10_000), true);
    assert.equal(isMidnight(new Date(30_001), 10_000), false);
    assert.equal(daysBetween(new Date(0), new Date(95_000), 10_000), 9);
  });
  it('with the real day, midnight is midnight UTC', () => {
    assert.equal(isMidnight(at('2027-01-01T00:00:00Z')), true);
    assert.equal(isMidnight(at('2027-01-01T00:00:00+01:00')), false);
    assert.equal(daysBetween(at('2027-01-01T00:00:00Z'), at('2027-04-01T00:00:00Z')), 90);
  });
});

describe('lifecycle dates: ISO 8601 date-times', () => {
  const cases: ReadonlyArray<[string, string | undefined]> = [
    ['2027-01-01T00:00:00Z', '2027-01-01T00:00:00.000Z'],
    ['2027-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['2027-01-01T00:00:00.123456789Z', '2027-01-01T00:00:00.123Z'],
    ['2027-01-01T00:00:00', '2027-01-01T00:00:00.000Z'],
    ['2027-01-01T01:30:00+01:30', '2027-01-01T00:00:00.000Z'],
    ['2026-12-31T19:00:00-05:00', '2027-01-01T00:00:00.000Z'],
    [' 2027-01-01T00:00:00Z ', '2027-01-01T00:00:00.000Z'],
    ['0099-01-01T00:00:00Z', '0099-01-01T00:00:00.000Z'],
    ['2027-01-01', undefined],
    ['2027-02-30T00:00:00Z', undefined],
    ['2027-13-01T00:00:00Z', undefined],
    ['2027-01-01T24:00:00Z', undefined],
    ['Fri, 01 Jan 2027 00:00:00 GMT', undefined],
    ['20270101', undefined],
  ];
  for (const [text, iso] of cases) {
    it(`${JSON.stringify(text)} → ${iso ?? 'not a date'}`, () => {
      assert.equal(parseLifecycleDate(text)?.toISOString(), iso);
    });
  }
});

describe('lifecycle days: when the next scheduled round runs (just past the next midnight)', () => {
  const cases: ReadonlyArray<[string, number, number, number]> = [
    // [name, now, day, next round]
    ['10-second days, 3 s into a day: 100 ms past the next midnight', 23_000, 10_000, 30_100],
    ['10-second days, at a midnight: 100 ms later, that midnight\'s round', 30_000, 10_000, 30_100],
    ['10-second days, at the round itself: the next day\'s', 30_100, 10_000, 40_100],
    ['10-second days, 50 ms past midnight', 30_050, 10_000, 30_100],
    ['1-second days: 10 ms past midnight', 1_995, 1_000, 2_010],
    ['real days: a second past midnight UTC', Date.parse('2026-12-05T13:00:00Z'), 86_400_000, Date.parse('2026-12-06T00:00:01Z')],
    ['real days, half a second past midnight: that midnight\'s round', Date.parse('2026-12-06T00:00:00.500Z'), 86_400_000, Date.parse('2026-12-06T00:00:01Z')],
  ];
  for (const [name, now, day, next] of cases) {
    it(name, () => {
      assert.equal(nextRoundAt(now, day), next);
    });
  }
});
