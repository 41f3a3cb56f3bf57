import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalHeaderValue,
  canonicalQuery,
  canonicalUri,
  splitQuery,
} from '../../../src/s3/auth/sigv4/canonicalRequest.js';
import { percentDecodeToBytes, uriEncode } from '../../../src/s3/auth/sigv4/uriEncode.js';

describe('canonicalUri (S3: no normalisation, no double encoding)', () => {
  const cases: [string, string][] = [
    ['/', '/'],
    ['', '/'],
    ['/test.txt', '/test.txt'],
    ['/test$file.text', '/test%24file.text'],
    ['/test%24file.text', '/test%24file.text'],
    ['/bucket/a%20b/a+b', '/bucket/a%20b/a%2Bb'],
    ['/bucket/a b', '/bucket/a%20b'],
    ['/bucket/%c3%bc/%E4%B8%AD', '/bucket/%C3%BC/%E4%B8%AD'],
    ['/bucket/ü', '/bucket/%C3%BC'],
    ["/bucket/!*'()~=&:@$,;", '/bucket/%21%2A%27%28%29~%3D%26%3A%40%24%2C%3B'],
    ['/bucket/%21%2A%27%28%29%7E', '/bucket/%21%2A%27%28%29~'],
    ['/bucket/100%25/100%', '/bucket/100%25/100%25'],
    ['/bucket//a//b/', '/bucket//a//b/'],
    ['/bucket/./a/../b', '/bucket/./a/../b'],
    ['/bucket/a%2Fb', '/bucket/a%2Fb'],
    ['/bucket/%FF', '/bucket/%FF'],
  ];
  for (const [raw, expected] of cases) {
    it(`${JSON.stringify(raw)} → ${expected}`, () => assert.equal(canonicalUri(raw), expected));
  }
});

describe('canonicalQuery', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['b=2&a=1', 'a=1&b=2'],
    ['a=2&a=1&a=&A=3', 'A=3&a=&a=1&a=2'],
    ['acl&b=', 'acl=&b='],
    ['lifecycle', 'lifecycle='],
    ['max-keys=2&prefix=J', 'max-keys=2&prefix=J'],
    ['a=b+c&d=e%2Bf&g=%20', 'a=b%2Bc&d=e%2Bf&g=%20'],
    ['k=1&k-x=2&k.y=3&k0=4', 'k=1&k-x=2&k.y=3&k0=4'],
    ["k=%c3%bc~!*'()&l=a=b&m=a:b/c", 'k=%C3%BC~%21%2A%27%28%29&l=a%3Db&m=a%3Ab%2Fc'],
    ['&&x=1&&', 'x=1'],
    ['prefix=a%20b', 'prefix=a%20b'],
  ];
  for (const [raw, expected] of cases) {
    it(`${JSON.stringify(raw)} → ${JSON.stringify(expected)}`, () => assert.equal(canonicalQuery(splitQuery(raw)), expected));
  }

  it('drops X-Amz-Signature for presigned URLs', () => {
    const q = splitQuery('X-Amz-Signature=abc&X-Amz-Date=1&b=2');
    assert.equal(canonicalQuery(q, (n) => n.toLowerCase() === 'x-amz-signature'), 'X-Amz-Date=1&b=2');
  });
});

describe('canonicalHeaderValue', () => {
  const cases: [string | string[], string][] = [
    ['  a   b \t c  ', 'a b c'],
    ['"a   b   c"', '"a b c"'],
    [['value2', ' value2', 'value1 '], 'value2,value2,value1'],
    ['line\r\n folded', 'line folded'],
    ['', ''],
  ];
  for (const [value, expected] of cases) {
    it(`${JSON.stringify(value)} → ${JSON.stringify(expected)}`, () => assert.equal(canonicalHeaderValue(value), expected));
  }
});

describe('uriEncode / percentDecodeToBytes', () => {
  it('encodes everything but unreserved characters, upper-case hex', () => {
    assert.equal(uriEncode('a b+c/d~e*'), 'a%20b%2Bc%2Fd~e%2A');
    assert.equal(uriEncode('a b/c', true), 'a%20b/c');
  });
  it('decodes bytes, keeping stray % and + literally', () => {
    assert.deepEqual([...percentDecodeToBytes('%41%zz+%')], [0x41, 0x25, 0x7a, 0x7a, 0x2b, 0x25]);
    assert.deepEqual([...percentDecodeToBytes('%ff')], [0xff]);
  });
});
