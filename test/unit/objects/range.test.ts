import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentRange, parseRange, type RangeSelection } from '../../../src/core/objects/range.js';

const whole: RangeSelection = { kind: 'whole' };
const none: RangeSelection = { kind: 'unsatisfiable' };
const part = (start: number, end: number): RangeSelection => ({ kind: 'partial', start, end });

// [Range header, object size, expected]
const TABLE: ReadonlyArray<[string | undefined, number, RangeSelection]> = [
  [undefined, 10, whole],
  ['bytes=0-4', 10, part(0, 4)],
  ['bytes=0-0', 10, part(0, 0)],
  ['bytes=9-9', 10, part(9, 9)],
  ['bytes=3-', 10, part(3, 9)],
  ['bytes=-3', 10, part(7, 9)],
  ['bytes=-10', 10, part(0, 9)],
  ['bytes=-100', 10, part(0, 9)],
  ['bytes=5-100', 10, part(5, 9)],
  ['bytes=0-99999999999999999999', 10, part(0, 9)],
  [' bytes = 2 - 4 ', 10, part(2, 4)],
  ['BYTES=1-2', 10, part(1, 2)],
  // unsatisfiable: 416
  ['bytes=10-', 10, none],
  ['bytes=10-20', 10, none],
  ['bytes=-0', 10, none],
  ['bytes=0-', 0, none],
  ['bytes=0-0', 0, none],
  ['bytes=-1', 0, none],
  // ignored: the whole object
  ['bytes=5-2', 10, whole],
  ['bytes=-', 10, whole],
  ['bytes=0-1,3-4', 10, whole],
  ['items=0-1', 10, whole],
  ['bytes=a-b', 10, whole],
  ['bytes=1', 10, whole],
  ['', 10, whole],
];

describe('parseRange', () => {
  for (const [headerValue, size, expected] of TABLE) {
    it(`${JSON.stringify(headerValue)} of ${size} bytes → ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(parseRange(headerValue, size), expected);
    });
  }
  it('formats Content-Range', () => {
    assert.equal(contentRange(0, 4, 10), 'bytes 0-4/10');
  });
});
