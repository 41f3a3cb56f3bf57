import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { multipartEtag, quoteEtag, unquoteEtag } from '../../../src/core/objects/multipart/multipartEtag.js';

const md5 = (data: string | Buffer): string => createHash('md5').update(data).digest('hex');

describe('multipartEtag', () => {
  // Expected values computed independently (Python hashlib): md5(concat(binary part md5s)) + "-N".
  const table: { name: string; parts: string[]; etag: string }[] = [
    { name: 'one empty part', parts: ['d41d8cd98f00b204e9800998ecf8427e'], etag: '59adb24ef3cdbe0297f05b395827453f-1' },
    {
      name: '"hello" "world" "!"',
      parts: ['5d41402abc4b2a76b9719d911017c592', '7d793037a0760186574b0282f2f435e7', '9033e0e305f247c0c3c80d0c7848c8b3'],
      etag: '0fe6b306db3706d84493a6b930bb5ea8-3',
    },
    {
      name: '5 MiB of "a" then "b"',
      parts: ['79b281060d337b9b2b84ccf390adcf74', '92eb5ffee6ae2fec3ad71c777531578f'],
      etag: 'e5a8c5272b26fc10581a21089559b006-2',
    },
  ];
  for (const row of table) {
    it(row.name, () => assert.equal(multipartEtag(row.parts), row.etag));
  }

  it('accepts quoted part ETags', () => {
    assert.equal(multipartEtag(table[1]!.parts.map((e) => `"${e}"`)), table[1]!.etag);
  });

  it('is not the MD5 of the concatenated bytes', () => {
    assert.notEqual(multipartEtag([md5('hello'), md5('world')]).split('-')[0], md5('helloworld'));
  });

  it('depends on part order', () => {
    assert.notEqual(multipartEtag([md5('a'), md5('b')]), multipartEtag([md5('b'), md5('a')]));
  });

  it('quotes and unquotes', () => {
    assert.equal(quoteEtag('abc'), '"abc"');
    assert.equal(unquoteEtag('"abc"'), 'abc');
    assert.equal(unquoteEtag(' "abc" '), 'abc');
    assert.equal(unquoteEtag('abc'), 'abc');
    assert.equal(unquoteEtag('"'), '"');
  });
});
