import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commonPrefixOf, MAX_KEY_BYTES, positionAfterPrefix } from '../../../src/core/objects/listing/commonPrefix.js';
import { decodeContinuationToken, encodeContinuationToken, positionFromToken } from '../../../src/core/objects/listing/continuationToken.js';
import { parseDelimiter, parseEncodingType, parseMaxKeys } from '../../../src/core/objects/listing/listingParams.js';
import { urlEncodeListingValue } from '../../../src/core/objects/listing/urlEncode.js';
import { S3Error } from '../../../src/errors/S3Error.js';
import { compareUtf8 } from '../../../src/core/keys/keyOrder.js';

const isInvalidArgument = (e: unknown) => e instanceof S3Error && e.code === 'InvalidArgument' && e.status === 400;

describe('commonPrefixOf', () => {
  it('rolls up at the first delimiter after the prefix', () => {
    assert.equal(commonPrefixOf('a/b/c', '', '/'), 'a/');
    assert.equal(commonPrefixOf('a/b/c', 'a/', '/'), 'a/b/');
    assert.equal(commonPrefixOf('a/', 'a/', '/'), undefined);
    assert.equal(commonPrefixOf('a//b', '', '/'), 'a/');
    assert.equal(commonPrefixOf('xx--yy', 'x', '--'), 'xx--');
    assert.equal(commonPrefixOf('abc', '', undefined), undefined);
    assert.equal(commonPrefixOf('abc', '', ''), undefined);
  });
});

describe('positionAfterPrefix', () => {
  it('sorts after every key of at most 1024 bytes under the prefix, and before the next prefix', () => {
    for (const prefix of ['a/', '日本/', 'x'.repeat(1000)]) {
      const bound = positionAfterPrefix(prefix);
      const room = MAX_KEY_BYTES - Buffer.byteLength(prefix);
      const longest = prefix + '\u{10FFFF}'.repeat(Math.floor(room / 4)) + 'z'.repeat(room % 4);
      assert.equal(Buffer.byteLength(longest), MAX_KEY_BYTES);
      assert.ok(compareUtf8(longest, bound) <= 0, 'a key under the prefix is not after the bound');
      assert.ok(compareUtf8(prefix + 'zzz', bound) < 0);
      // a sibling just past the prefix sorts after it
      const sibling = prefix.slice(0, -1) + String.fromCodePoint((prefix.codePointAt(prefix.length - 1) ?? 0) + 1);
      assert.ok(compareUtf8(sibling, bound) > 0);
    }
  });
});

describe('continuation tokens', () => {
  it('round-trip any position, Unicode included', () => {
    for (const position of ['', 'a', 'photos/2024/', '日本/\u{1F600}', 'x'.repeat(1024)]) {
      const token = encodeContinuationToken('objects', position);
      assert.match(token, /^[A-Za-z0-9+/]+=*$/);
      assert.equal(decodeContinuationToken('objects', token), position);
    }
  });
  it('are refused when not base64, not ours, or of the other kind', () => {
    assert.equal(decodeContinuationToken('objects', 'not a token!'), undefined);
    assert.equal(decodeContinuationToken('objects', Buffer.from('hello').toString('base64')), undefined);
    assert.equal(decodeContinuationToken('objects', encodeContinuationToken('buckets', 'a')), undefined);
    assert.equal(decodeContinuationToken('objects', Buffer.from([0x6f, 0x31, 0x3a, 0xff]).toString('base64')), undefined);
    assert.throws(() => positionFromToken('objects', 'abc'), isInvalidArgument);
  });
});

describe('encoding-type=url', () => {
  it('encodes as S3 does: unreserved characters and / stay, the rest is %XX over UTF-8', () => {
    assert.equal(urlEncodeListingValue('foo+1/'), 'foo%2B1/');
    assert.equal(urlEncodeListingValue('quux ab/'), 'quux%20ab/');
    assert.equal(urlEncodeListingValue('asdf+b'), 'asdf%2Bb');
    assert.equal(urlEncodeListingValue('test_file(3).png'), 'test_file%283%29.png');
    assert.equal(urlEncodeListingValue("a!b'c*d~e"), 'a%21b%27c%2Ad~e');
    assert.equal(urlEncodeListingValue('\n'), '%0A');
    assert.equal(urlEncodeListingValue('é日'), '%C3%A9%E6%97%A5');
  });
});

describe('listing parameters', () => {
  it('max-keys: default 1000, capped at 1000, echoed as asked', () => {
    assert.deepEqual(parseMaxKeys(undefined), { requested: 1000, effective: 1000 });
    assert.deepEqual(parseMaxKeys('0'), { requested: 0, effective: 0 });
    assert.deepEqual(parseMaxKeys('5000'), { requested: 5000, effective: 1000 });
    assert.deepEqual(parseMaxKeys('2147483647'), { requested: 2147483647, effective: 1000 });
  });
  it('max-keys: anything but a non-negative 32-bit integer is InvalidArgument', () => {
    for (const raw of ['blah', '', '-1', '1.5', '2147483648', ' 1', '0x10']) {
      assert.throws(() => parseMaxKeys(raw), isInvalidArgument, raw);
    }
  });
  it('encoding-type: url or nothing', () => {
    assert.equal(parseEncodingType(undefined), undefined);
    assert.equal(parseEncodingType('url'), 'url');
    assert.throws(() => parseEncodingType('base64'), isInvalidArgument);
  });
  it('an empty delimiter is no delimiter', () => {
    assert.equal(parseDelimiter(''), undefined);
    assert.equal(parseDelimiter(undefined), undefined);
    assert.equal(parseDelimiter('\n'), '\n');
  });
});
