import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  etagListMatches,
  evaluateConditions,
  normalizeEtag,
  parseHttpDate,
  type ConditionHeaders,
  type ConditionOutcome,
} from '../../../src/core/objects/conditions.js';

const ETAG = '9bb58f26192e4ba00f01e2e7b136bbd8';
const MODIFIED = new Date('2024-05-01T12:00:00.400Z');
const NOW = new Date('2024-06-01T00:00:00Z');
const target = { etag: ETAG, lastModified: MODIFIED };

const BEFORE = 'Wed, 01 May 2024 11:59:59 GMT';
const SAME = 'Wed, 01 May 2024 12:00:00 GMT'; // Last-Modified as sent (seconds)
const AFTER = 'Wed, 01 May 2024 12:00:01 GMT';
const FUTURE = 'Sat, 01 Jun 2024 00:00:01 GMT';

const pass: ConditionOutcome = { kind: 'pass' };
const failed = (condition: string): ConditionOutcome => ({ kind: 'precondition-failed', condition } as ConditionOutcome);
const notModified = (condition: string): ConditionOutcome => ({ kind: 'not-modified', condition } as ConditionOutcome);

// [description, headers, expected]
const TABLE: ReadonlyArray<[string, ConditionHeaders, ConditionOutcome]> = [
  ['no conditions', {}, pass],
  ['If-Match matching (quoted)', { ifMatch: `"${ETAG}"` }, pass],
  ['If-Match matching (unquoted)', { ifMatch: ETAG }, pass],
  ['If-Match in a list', { ifMatch: `"nope", "${ETAG}"` }, pass],
  ['If-Match *', { ifMatch: '*' }, pass],
  ['If-Match other', { ifMatch: '"nope"' }, failed('If-Match')],
  ['If-None-Match matching', { ifNoneMatch: `"${ETAG}"` }, notModified('If-None-Match')],
  ['If-None-Match *', { ifNoneMatch: '*' }, notModified('If-None-Match')],
  ['If-None-Match weak tag matching', { ifNoneMatch: `W/"${ETAG}"` }, notModified('If-None-Match')],
  ['If-None-Match other', { ifNoneMatch: '"nope"' }, pass],
  ['If-Modified-Since before', { ifModifiedSince: BEFORE }, pass],
  ['If-Modified-Since same second', { ifModifiedSince: SAME }, notModified('If-Modified-Since')],
  ['If-Modified-Since after', { ifModifiedSince: AFTER }, notModified('If-Modified-Since')],
  ['If-Modified-Since in the future is ignored', { ifModifiedSince: FUTURE }, pass],
  ['If-Modified-Since not a date is ignored', { ifModifiedSince: 'yesterday' }, pass],
  ['If-Unmodified-Since before', { ifUnmodifiedSince: BEFORE }, failed('If-Unmodified-Since')],
  ['If-Unmodified-Since same second', { ifUnmodifiedSince: SAME }, pass],
  ['If-Unmodified-Since after', { ifUnmodifiedSince: AFTER }, pass],
  ['If-Unmodified-Since not a date is ignored', { ifUnmodifiedSince: 'garbage' }, pass],
  // AWS: If-Match true + If-Unmodified-Since false → 200
  ['If-Match true wins over If-Unmodified-Since false', { ifMatch: `"${ETAG}"`, ifUnmodifiedSince: BEFORE }, pass],
  ['If-Match false + If-Unmodified-Since true', { ifMatch: '"nope"', ifUnmodifiedSince: AFTER }, failed('If-Match')],
  // AWS: If-None-Match false + If-Modified-Since true → 304
  ['If-None-Match false + If-Modified-Since true', { ifNoneMatch: `"${ETAG}"`, ifModifiedSince: BEFORE }, notModified('If-None-Match')],
  ['If-None-Match true means If-Modified-Since is not consulted', { ifNoneMatch: '"nope"', ifModifiedSince: AFTER }, pass],
  ['412 before 304', { ifMatch: '"nope"', ifNoneMatch: `"${ETAG}"` }, failed('If-Match')],
  ['If-Unmodified-Since false before If-None-Match', { ifUnmodifiedSince: BEFORE, ifNoneMatch: `"${ETAG}"` }, failed('If-Unmodified-Since')],
  ['all four holding', { ifMatch: ETAG, ifUnmodifiedSince: AFTER, ifNoneMatch: '"x"', ifModifiedSince: BEFORE }, pass],
];

describe('evaluateConditions', () => {
  for (const [name, headers, expected] of TABLE) {
    it(name, () => {
      assert.deepEqual(evaluateConditions(headers, target, NOW), expected);
    });
  }
});

describe('entity tag lists and dates', () => {
  it('normalizes quoted and weak tags', () => {
    assert.equal(normalizeEtag('"abc"'), 'abc');
    assert.equal(normalizeEtag('W/"abc"'), 'abc');
    assert.equal(normalizeEtag(' abc '), 'abc');
    assert.equal(normalizeEtag('"abc-3"'), 'abc-3');
  });
  it('matches multipart etags exactly', () => {
    assert.equal(etagListMatches('"abc-3"', 'abc-3'), true);
    assert.equal(etagListMatches('"abc"', 'abc-3'), false);
    assert.equal(etagListMatches('', 'abc'), false);
  });
  it('parses the three HTTP date forms', () => {
    const expected = Date.UTC(1994, 10, 6, 8, 49, 37);
    assert.equal(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')?.getTime(), expected);
    assert.equal(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')?.getTime(), expected);
    assert.equal(parseHttpDate('Sun Nov  6 08:49:37 1994 GMT')?.getTime(), expected);
    assert.equal(parseHttpDate('not a date'), undefined);
    assert.equal(parseHttpDate(undefined), undefined);
  });
});
