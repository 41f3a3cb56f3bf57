import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalRequest,
  splitQuery,
  stringToSign,
} from '../../../src/s3/auth/sigv4/canonicalRequest.js';
import { hmacSha256, sha256Hex } from '../../../src/s3/auth/sigv4/crypto.js';
import { deriveSigningKey } from '../../../src/s3/auth/sigv4/signingKey.js';
import { uriEncode } from '../../../src/s3/auth/sigv4/uriEncode.js';

// The AWS Signature Version 4 test suite (docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html):
// service "service", region us-east-1, 2015-08-30T12:36:00Z, the generic example key.
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const DATE = '20150830T123600Z';
const SCOPE = '20150830/us-east-1/service/aws4_request';
const KEY = deriveSigningKey(SECRET, '20150830', 'us-east-1', 'service');
const HOST = 'example.amazonaws.com';

interface Vector {
  readonly name: string;
  readonly method: string;
  /** Decoded path, as in the suite's .req file. */
  readonly path: string;
  /** Decoded query parameters, in the order sent. */
  readonly query?: readonly [string, string][];
  readonly headers?: Readonly<Record<string, string | string[]>>;
  readonly body?: string;
  readonly signature: string;
}

const vectors: Vector[] = [
  { name: 'get-vanilla', method: 'GET', path: '/', signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31' },
  {
    name: 'get-vanilla-query-order-key-case',
    method: 'GET',
    path: '/',
    query: [['Param2', 'value2'], ['Param1', 'value1']],
    signature: 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
  },
  {
    name: 'get-vanilla-empty-query-key',
    method: 'GET',
    path: '/',
    query: [['Param1', 'value1']],
    signature: 'a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb',
  },
  {
    name: 'get-vanilla-query-unreserved',
    method: 'GET',
    path: '/',
    query: [['-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', '-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz']],
    signature: '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197',
  },
  {
    name: 'get-vanilla-utf8-query',
    method: 'GET',
    path: '/',
    query: [['ሴ', 'bar']],
    signature: '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04',
  },
  {
    name: 'get-unreserved',
    method: 'GET',
    path: '/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    signature: '07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f',
  },
  { name: 'get-utf8', method: 'GET', path: '/ሴ', signature: '8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85' },
  {
    name: 'get-header-key-duplicate',
    method: 'GET',
    path: '/',
    headers: { 'my-header1': ['value2', 'value2', 'value1'] },
    signature: 'c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea',
  },
  {
    name: 'get-header-value-multiline',
    method: 'GET',
    path: '/',
    headers: { 'my-header1': 'value1,value2,value3' },
    signature: 'ba17b383a53190154eb5fa66a1b836cc297cc0a3d70a5d00705980573d8ff790',
  },
  {
    name: 'get-header-value-order',
    method: 'GET',
    path: '/',
    headers: { 'my-header1': ['value4', 'value1', 'value3', 'value2'] },
    signature: '08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01',
  },
  {
    name: 'get-header-value-trim',
    method: 'GET',
    path: '/',
    headers: { 'my-header1': ' value1', 'my-header2': ' "a   b   c"' },
    signature: 'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736',
  },
  { name: 'post-vanilla', method: 'POST', path: '/', signature: '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b' },
  {
    name: 'post-vanilla-query',
    method: 'POST',
    path: '/',
    query: [['Param1', 'value1']],
    signature: '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11',
  },
  {
    name: 'post-vanilla-query-nonunreserved',
    method: 'POST',
    path: '/',
    query: [['@#$%^', ''], ['+', '/,?><`";:\\|][{}']],
    signature: '66c82657c86e26fb25238d0e69f011edc4c6df5ae71119d7cb98ed9b87393c1e',
  },
  {
    name: 'post-vanilla-query-space',
    method: 'POST',
    path: '/',
    query: [['p', '']],
    signature: 'e71688addb58a26418614085fb730ba3faa623b461c17f48f2fbdb9361b94a9b',
  },
  {
    name: 'post-header-key-sort',
    method: 'POST',
    path: '/',
    headers: { 'my-header1': 'value1' },
    signature: 'c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c',
  },
  {
    name: 'post-header-value-case',
    method: 'POST',
    path: '/',
    headers: { 'my-header1': 'VALUE1' },
    signature: 'cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d',
  },
  {
    name: 'post-sts-header-before',
    method: 'POST',
    path: '/',
    headers: {
      'x-amz-security-token':
        'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==',
    },
    signature: '85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead',
  },
  {
    name: 'post-x-www-form-urlencoded',
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Param1=value1',
    signature: 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
  },
  {
    name: 'post-x-www-form-urlencoded-parameters',
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf8' },
    body: 'Param1=value1',
    signature: '1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe',
  },
];

function sign(v: Vector): { canonical: string; sts: string; signature: string } {
  const headers: Record<string, string | string[]> = { host: HOST, 'x-amz-date': DATE, ...v.headers };
  const signedHeaders = Object.keys(headers).map((h) => h.toLowerCase()).sort();
  const rawQuery = (v.query ?? []).map(([n, val]) => `${uriEncode(n)}=${uriEncode(val)}`).join('&');
  const canonical = canonicalRequest({
    method: v.method,
    rawPath: uriEncode(v.path, true),
    query: splitQuery(rawQuery),
    signedHeaders,
    header: (name) => headers[name],
    payloadHash: sha256Hex(v.body ?? ''),
  });
  const sts = stringToSign(DATE, SCOPE, canonical);
  return { canonical, sts, signature: hmacSha256(KEY, sts).toString('hex') };
}

describe('the AWS SigV4 test suite', () => {
  for (const v of vectors) {
    it(v.name, () => {
      assert.equal(sign(v).signature, v.signature);
    });
  }

  it('get-vanilla: canonical request and string to sign, line by line', () => {
    const { canonical, sts } = sign(vectors[0] as Vector);
    assert.equal(
      canonical,
      'GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n' +
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    assert.equal(
      sts,
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n' +
        'bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63',
    );
  });

  it('derives the documented signing key', () => {
    // From the SigV4 documentation's "derive a signing key" example (20120215, us-east-1, iam).
    const key = deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20120215', 'us-east-1', 'iam');
    assert.equal(key.toString('hex'), 'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d');
  });
});
