import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Tag } from '../../../src/core/tags/Tag.js';
import { codePointLength, parseTaggingHeader, validateTagSet, type TagSetSource } from '../../../src/core/tags/TagSet.js';
import { S3Error } from '../../../src/errors/S3Error.js';

const HAN = '中'; // 1 code point, 1 UTF-16 unit, 3 UTF-8 bytes
const ASTRAL_LETTER = '𠀀'; // U+20000, a letter (Lo): 1 code point, 2 UTF-16 units, 4 UTF-8 bytes
const EMOJI = '😀'; // U+1F600, a symbol (So): 1 code point, 2 UTF-16 units — not a letter

function tags(n: number, make: (i: number) => Tag = (i) => ({ key: `k${i}`, value: `v${i}` })): Tag[] {
  return Array.from({ length: n }, (_, i) => make(i));
}

interface Expected {
  readonly code: string;
  readonly message?: string;
  readonly details?: Record<string, string>;
}

function expectError(fn: () => unknown, expected: Expected): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof S3Error, `expected an S3Error, got ${String(e)}`);
    assert.equal(e.code, expected.code);
    if (expected.message !== undefined) assert.equal(e.message, expected.message);
    if (expected.details !== undefined) assert.deepEqual(e.details, expected.details);
    return true;
  });
}

const KEY_INVALID = 'The TagKey you have provided is invalid';
const VALUE_INVALID = 'The TagValue you have provided is invalid';

describe('codePointLength counts Unicode code points', () => {
  const cases: ReadonlyArray<[string, number, number]> = [
    // [text, code points, UTF-16 units]
    ['', 0, 0],
    ['abc', 3, 3],
    [HAN, 1, 1],
    [HAN.repeat(128), 128, 128],
    [ASTRAL_LETTER, 1, 2],
    [EMOJI, 1, 2],
    [`a${EMOJI}b`, 3, 4],
  ];
  for (const [text, points, units] of cases) {
    it(`${JSON.stringify(text).slice(0, 20)} → ${points}`, () => {
      assert.equal(codePointLength(text), points);
      assert.equal(text.length, units);
    });
  }
});

describe('validateTagSet: accepted sets', () => {
  const accepted: ReadonlyArray<[string, Tag[], TagSetSource]> = [
    ['no tags', [], 'object'],
    ['10 object tags', tags(10), 'object'],
    ['50 bucket tags', tags(50), 'bucket'],
    ['empty value', [{ key: 'k', value: '' }], 'object'],
    ['case-sensitive keys are different keys', [{ key: 'Project', value: 'a' }, { key: 'project', value: 'b' }], 'object'],
    ['128-character key, 256-character value', [{ key: 'k'.repeat(128), value: 'v'.repeat(256) }], 'object'],
    ['128 × 中 key, 256 × 中 value', [{ key: HAN.repeat(128), value: HAN.repeat(256) }], 'object'],
    ['128 astral letters (256 UTF-16 units) as key', [{ key: ASTRAL_LETTER.repeat(128), value: ASTRAL_LETTER.repeat(256) }], 'object'],
    ['every allowed symbol', [{ key: 'a+-=._:/@ b', value: '+-=._:/@ ' }], 'object'],
    ['letters and digits of any script', [{ key: 'Ωμέγα', value: 'العربية٣' }, { key: '日本語', value: 'ｶﾀｶﾅ１２' }], 'object'],
    ['Unicode spaces', [{ key: 'a\u00a0b', value: 'c\u3000d' }], 'object'],
    ['"AWS:" on an object (the reserved prefix is lower-case aws:)', [{ key: 'AWS:k', value: 'v' }], 'object'],
    ['aws: in a value', [{ key: 'k', value: 'aws:v' }], 'object'],
  ];
  for (const [name, input, source] of accepted) {
    it(name, () => {
      const set = source === 'object' ? validateTagSet(input, 'object') : validateTagSet(input, source);
      assert.equal(set.length, input.length);
    });
  }

  it('returns the tags sorted by key', () => {
    const set = validateTagSet([{ key: 'b', value: '2' }, { key: 'B', value: '3' }, { key: 'a', value: '1' }], 'object');
    assert.deepEqual(set.map((t) => t.key), ['B', 'a', 'b']);
  });
});

describe('validateTagSet: rejected sets, with the errors AWS answers', () => {
  const rejected: ReadonlyArray<[string, Tag[], TagSetSource, Expected]> = [
    ['11 object tags', tags(11), 'object', { code: 'BadRequest', message: 'Object tags cannot be greater than 10', details: {} }],
    [
      '11 object tags, one invalid: the count is checked first',
      tags(11, (i) => ({ key: i === 0 ? 'bad!' : `k${i}`, value: '' })),
      'object',
      { code: 'BadRequest', message: 'Object tags cannot be greater than 10' },
    ],
    ['51 bucket tags', tags(51), 'bucket', { code: 'BadRequest', message: 'Bucket tag count cannot be greater than 50' }],
    [
      '51 bucket tags, one invalid: the tags are checked first',
      tags(51, (i) => ({ key: i === 50 ? 'bad!' : `k${i}`, value: '' })),
      'bucket',
      { code: 'InvalidTag', message: KEY_INVALID, details: { TagKey: 'bad!' } },
    ],
    [
      'a repeated key',
      [{ key: 'a', value: '1' }, { key: 'a', value: '2' }],
      'object',
      { code: 'InvalidTag', message: 'Cannot provide multiple Tags with the same key', details: { TagKey: 'a' } },
    ],
    ['an empty key (no <TagKey>)', [{ key: '', value: 'v' }], 'object', { code: 'InvalidTag', message: KEY_INVALID, details: {} }],
    ['a 129-character key', [{ key: 'k'.repeat(129), value: 'v' }], 'object', { code: 'InvalidTag', message: KEY_INVALID }],
    ['a 129 × 中 key', [{ key: HAN.repeat(129), value: 'v' }], 'object', { code: 'InvalidTag', message: KEY_INVALID }],
    ['129 astral letters as key', [{ key: ASTRAL_LETTER.repeat(129), value: 'v' }], 'object', { code: 'InvalidTag', message: KEY_INVALID }],
    [
      'a 257-character value',
      [{ key: 'k', value: 'v'.repeat(257) }],
      'object',
      { code: 'InvalidTag', message: VALUE_INVALID, details: { TagKey: 'k', TagValue: 'v'.repeat(257) } },
    ],
    ['a 257 × 中 value', [{ key: 'k', value: HAN.repeat(257) }], 'object', { code: 'InvalidTag', message: VALUE_INVALID }],
    ['an emoji in a key (a symbol, not a letter)', [{ key: `k${EMOJI}`, value: 'v' }], 'object', { code: 'InvalidTag', message: KEY_INVALID }],
    ['an emoji in a value', [{ key: 'k', value: EMOJI }], 'object', { code: 'InvalidTag', message: VALUE_INVALID }],
    [
      'aws: on an object',
      [{ key: 'aws:k', value: 'v' }],
      'object',
      { code: 'InvalidTag', message: 'Your TagKey cannot be prefixed with aws:', details: { TagKey: 'aws:k' } },
    ],
    [
      'aws: on a bucket',
      [{ key: 'aws:k', value: 'v' }],
      'bucket',
      { code: 'InvalidTag', message: 'System tags cannot be added/updated by requester', details: { TagKey: 'aws:k' } },
    ],
    [
      'AWS: on a bucket',
      [{ key: 'AWS:k', value: 'v' }],
      'bucket',
      {
        code: 'InvalidTag',
        message: 'Invalid Tag. Tags cannot start with "aws:"(case insensitive) unless they are System Tags that start with "aws:"(case sensitive)',
      },
    ],
    [
      'aws: in CreateBucket',
      [{ key: 'aws:k', value: 'v' }],
      'create-bucket',
      {
        code: 'InvalidTag',
        message: 'User-defined tag keys can\'t start with "aws:". This prefix is reserved for system tags. Remove "aws:" from your tag keys and try again.',
        details: {},
      },
    ],
  ];
  for (const [name, input, source, expected] of rejected) {
    it(name, () => expectError(() => (source === 'object' ? validateTagSet(input, 'object') : validateTagSet(input, source)), expected));
  }

  const badCharacters = ['!', '#', '$', '%', '^', '&', '*', '(', ')', ',', ';', '?', '`', '~', '[', ']', '{', '}', '|', '\\', '"', "'", '<', '>', '\t', '\n', 'e\u0301'];
  for (const c of badCharacters) {
    it(`rejects ${JSON.stringify(c)} in a key and in a value`, () => {
      expectError(() => validateTagSet([{ key: `a${c}b`, value: 'v' }], 'object'), { code: 'InvalidTag', message: KEY_INVALID, details: { TagKey: `a${c}b` } });
      expectError(() => validateTagSet([{ key: 'k', value: `a${c}b` }], 'object'), {
        code: 'InvalidTag',
        message: VALUE_INVALID,
        details: { TagKey: 'k', TagValue: `a${c}b` },
      });
    });
  }
});

const HEADER_MESSAGE =
  "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.";

describe('parseTaggingHeader (x-amz-tagging, URL query form)', () => {
  const parsed: ReadonlyArray<[string | undefined, Array<[string, string]>]> = [
    [undefined, []],
    ['', []],
    ['&', []],
    ['&&&', []],
    ['a=1&b', [['a', '1'], ['b', '']]],
    ['foo=bar&bar', [['bar', ''], ['foo', 'bar']]],
    ['key=&', [['key', '']]],
    ['key1&&&key2', [['key1', ''], ['key2', '']]],
    ['a+b=c+d', [['a b', 'c d']]],
    ['a%20b=c%20d', [['a b', 'c d']]],
    ['key++key=value++value', [['key  key', 'value  value']]],
    ['plus%2B=%2B', [['plus+', '+']]],
    ['key%2E=value%2F', [['key.', 'value/']]],
    ['k@=v@&x:y=a/b', [['k@', 'v@'], ['x:y', 'a/b']]],
    ['a=x%3Dy', [['a', 'x=y']]],
    ['%E4%B8%AD=%F0%A0%80%80', [[HAN, ASTRAL_LETTER]]],
    [`${encodeURIComponent(HAN.repeat(128))}=v`, [[HAN.repeat(128), 'v']]],
  ];
  for (const [header, expected] of parsed) {
    it(`${JSON.stringify(header)}`, () => {
      assert.deepEqual(
        parseTaggingHeader(header).map((t) => [t.key, t.value]),
        expected,
      );
    });
  }

  const invalidHeader: ReadonlyArray<string> = [
    '=',
    '=value',
    'a=b=c',
    'key1=val1,key2=val2',
    'key%',
    'key=%zz',
    '%FF=v',
    'a=1&a=2',
    'a=1&%61=2',
    'k=中',
  ];
  for (const header of invalidHeader) {
    it(`rejects ${JSON.stringify(header)} with InvalidArgument`, () => {
      expectError(() => parseTaggingHeader(header), {
        code: 'InvalidArgument',
        message: HEADER_MESSAGE,
        details: { ArgumentName: 'x-amz-tagging', ArgumentValue: header },
      });
    });
  }

  const invalidTags: ReadonlyArray<[string, Expected]> = [
    ['key?=val', { code: 'InvalidTag', message: KEY_INVALID, details: { TagKey: 'key?' } }],
    ['key%21=val', { code: 'InvalidTag', message: KEY_INVALID, details: { TagKey: 'key!' } }],
    ['key=val(', { code: 'InvalidTag', message: VALUE_INVALID, details: { TagKey: 'key', TagValue: 'val(' } }],
    ['aws:k=v', { code: 'InvalidTag', message: 'Your TagKey cannot be prefixed with aws:' }],
    [`${'k'.repeat(129)}=v`, { code: 'InvalidTag', message: KEY_INVALID }],
    [`k=${'v'.repeat(257)}`, { code: 'InvalidTag', message: VALUE_INVALID }],
    [Array.from({ length: 11 }, (_, i) => `k${i}=v`).join('&'), { code: 'BadRequest', message: 'Object tags cannot be greater than 10' }],
  ];
  for (const [header, expected] of invalidTags) {
    it(`rejects ${JSON.stringify(header).slice(0, 40)} with ${expected.code}`, () => expectError(() => parseTaggingHeader(header), expected));
  }

  it('accepts exactly 10 tags', () => {
    assert.equal(parseTaggingHeader(Array.from({ length: 10 }, (_, i) => `k${i}=v`).join('&')).length, 10);
  });
});
