import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authenticate } from '../../../src/s3/auth/authenticate.js';
import { canonicalRequest, splitQuery, stringToSign } from '../../../src/s3/auth/sigv4/canonicalRequest.js';
import { hmacSha256 } from '../../../src/s3/auth/sigv4/crypto.js';
import { deriveSigningKey } from '../../../src/s3/auth/sigv4/signingKey.js';
import type { S3ErrorCode } from '../../../src/errors/s3Errors.js';
import { sdkSign } from './sdkSigner.js';
import {
  DOC_CREDENTIALS,
  DOC_KEY_ID,
  DOC_NOW,
  DOC_SECRET,
  drain,
  expectS3Error,
  fakeRequest,
  resolverOf,
  SETTINGS,
  type FakeRequestInit,
} from './support.js';

const HOST = 'examplebucket.s3.amazonaws.com';
const T0 = DOC_NOW.getTime();

async function presigned(o: { date?: Date; expires?: number; headers?: Record<string, string>; sessionToken?: string; accessKeyId?: string; secret?: string } = {}) {
  return sdkSign({
    method: 'PUT',
    path: '/key',
    query: { 'x-id': 'PutObject' },
    headers: { host: HOST, ...(o.headers ?? { 'x-custom': 'red' }) },
    accessKeyId: o.accessKeyId ?? DOC_KEY_ID,
    secretAccessKey: o.secret ?? DOC_SECRET,
    ...(o.sessionToken === undefined ? {} : { sessionToken: o.sessionToken }),
    date: o.date ?? DOC_NOW,
    presignExpires: o.expires ?? 60,
  });
}

type Edit = (r: FakeRequestInit) => FakeRequestInit;
/** Replaces (or, with undefined, removes) a query parameter, keeping the others' encoding. */
const param = (name: string, value: string | undefined): Edit => (r) => {
  const [path, query = ''] = r.target.split('?') as [string, string?];
  const pieces = query.split('&').filter((p) => p.split('=')[0] !== name);
  if (value !== undefined) pieces.push(`${name}=${encodeURIComponent(value)}`);
  return { ...r, target: `${path}?${pieces.join('&')}` };
};
const setHeader = (name: string, value: string | undefined): Edit => (r) => {
  const headers = { ...(r.headers as Record<string, string>) };
  if (value === undefined) delete headers[name];
  else headers[name] = value;
  return { ...r, headers };
};

const PARAMS = (message: string): [S3ErrorCode, string] => ['AuthorizationQueryParametersError', message];
const REQUIRED = PARAMS(
  'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
);
const MISMATCH: [S3ErrorCode, RegExp] = ['SignatureDoesNotMatch', /^The request signature we calculated/];

describe('presigned URLs: accepted', () => {
  it('accepts a URL presigned by the AWS SDK signer, with a signed header', async () => {
    const r = await presigned();
    assert.match(r.target, /X-Amz-SignedHeaders=host%3Bx-custom/);
    const auth = await authenticate(fakeRequest({ ...r, body: 'data' }), DOC_CREDENTIALS, SETTINGS, DOC_NOW);
    assert.equal(auth.method, 'presigned');
    assert.equal(auth.service, 's3');
    const { data } = await drain(auth.body);
    assert.equal(data.toString(), 'data');
  });

  it('accepts parameter names in another letter case when they were signed that way', async () => {
    const key = deriveSigningKey(DOC_SECRET, '20130524', 'us-east-1', 's3');
    const rawQuery =
      `x-amz-algorithm=AWS4-HMAC-SHA256&X-AMZ-CREDENTIAL=${DOC_KEY_ID}%2F20130524%2Fus-east-1%2Fs3%2Faws4_request` +
      '&x-amz-date=20130524T000000Z&x-amz-expires=60&X-Amz-Signedheaders=host';
    const canonical = canonicalRequest({
      method: 'GET',
      rawPath: '/',
      query: splitQuery(rawQuery),
      signedHeaders: ['host'],
      header: (n) => (n === 'host' ? HOST : undefined),
      payloadHash: 'UNSIGNED-PAYLOAD',
    });
    const signature = hmacSha256(key, stringToSign('20130524T000000Z', '20130524/us-east-1/s3/aws4_request', canonical)).toString('hex');
    const request = fakeRequest({ target: `/?${rawQuery}&x-amz-SIGNATURE=${signature}`, headers: { host: HOST } });
    assert.equal((await authenticate(request, DOC_CREDENTIALS, SETTINGS, DOC_NOW)).method, 'presigned');
  });

  it('accepts the session token of a temporary key in the URL', async () => {
    const temp = resolverOf({ accessKeyId: 'ASIATEMP', secretAccessKey: 's', sessionToken: 'tok/en+=' });
    const r = await presigned({ accessKeyId: 'ASIATEMP', secret: 's', sessionToken: 'tok/en+=' });
    assert.match(r.target, /X-Amz-Security-Token=/);
    await authenticate(fakeRequest(r), temp, SETTINGS, DOC_NOW);
    await expectS3Error(() => authenticate(fakeRequest(param('X-Amz-Security-Token', 'other')(r)), temp, SETTINGS, DOC_NOW), 'InvalidToken');
  });
});

describe('presigned URLs: refusals', () => {
  const cases: [string, Edit, [S3ErrorCode, string | RegExp]][] = [
    ...['Algorithm', 'Credential', 'Signature', 'Date', 'SignedHeaders', 'Expires'].map(
      (n): [string, Edit, [S3ErrorCode, string]] => [`no X-Amz-${n}`, param(`X-Amz-${n}`, undefined), REQUIRED],
    ),
    ['another algorithm', param('X-Amz-Algorithm', 'AWS4-HMAC-SHA1'), PARAMS('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"')],
    ['an X-Amz-Date in another format', param('X-Amz-Date', '2013-05-24T00:00:00Z'), PARAMS('X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"')],
    ['X-Amz-Expires=604801', param('X-Amz-Expires', '604801'), PARAMS('X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds')],
    ['X-Amz-Expires=-1', param('X-Amz-Expires', '-1'), PARAMS('X-Amz-Expires must be non-negative')],
    ['X-Amz-Expires=1h', param('X-Amz-Expires', '1h'), PARAMS('X-Amz-Expires should be a number')],
    ['a credential of another service', param('X-Amz-Credential', `${DOC_KEY_ID}/20130524/us-east-1/ec2/aws4_request`), PARAMS('Error parsing the X-Amz-Credential parameter; incorrect service "ec2". This endpoint belongs to "s3".')],
    ['a credential of another region', param('X-Amz-Credential', `${DOC_KEY_ID}/20130524/eu-west-1/s3/aws4_request`), PARAMS("Error parsing the X-Amz-Credential parameter; the region 'eu-west-1' is wrong; expecting 'us-east-1'")],
    ['a malformed credential', param('X-Amz-Credential', DOC_KEY_ID), PARAMS('Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".')],
    ['an unknown access key', param('X-Amz-Credential', 'AKIAUNKNOWN/20130524/us-east-1/s3/aws4_request'), ['InvalidAccessKeyId', /does not exist/]],
    ['another value of a parameter', param('x-id', 'GetObject'), MISMATCH],
    ['one more parameter', param('versionId', 'null'), MISMATCH],
    ['another path', (r) => ({ ...r, target: r.target.replace('/key?', '/other?') }), MISMATCH],
    ['the parameter names in lower case', (r) => ({ ...r, target: r.target.replace(/X-Amz-\w+/g, (n) => n.toLowerCase()) }), MISMATCH],
    ['another value of a signed header', setHeader('x-custom', 'blue'), MISMATCH],
    ['a signed header the request does not have', setHeader('x-custom', undefined), MISMATCH],
    ['an x-amz-* header that is not signed', setHeader('x-amz-meta-size', '1'), ['AccessDenied', 'There were headers present in the request which were not signed']],
    ['an Authorization header too', setHeader('authorization', 'AWS4-HMAC-SHA256 a'), ['InvalidArgument', /^Only one auth mechanism allowed/]],
  ];
  for (const [name, edit, [code, message]] of cases) {
    it(`with ${name}: ${code}`, async () => {
      const request = fakeRequest(edit(await presigned()));
      await expectS3Error(() => authenticate(request, DOC_CREDENTIALS, SETTINGS, DOC_NOW), code, message);
    });
  }

  it('refuses SigV2 query authentication', async () => {
    const request = fakeRequest({ target: `/key?AWSAccessKeyId=${DOC_KEY_ID}&Expires=1369353600&Signature=abc%3D`, headers: { host: HOST } });
    await expectS3Error(() => authenticate(request, DOC_CREDENTIALS, SETTINGS, DOC_NOW), 'InvalidRequest', /Please use AWS4-HMAC-SHA256/);
  });
});

describe('presigned URLs: the validity window', () => {
  const times: [string, number, number, number, [S3ErrorCode, string] | undefined][] = [
    ['at the end of the last second', 0, 60, 60_000, undefined],
    ['one millisecond after the end', 0, 60, 60_001, ['AccessDenied', 'Request has expired']],
    ['at the end of 7 days', 0, 604800, 604_800_000, undefined],
    ['one millisecond after 7 days', 0, 604800, 604_800_001, ['AccessDenied', 'Request has expired']],
    ['never, with X-Amz-Expires=0', 0, 0, 0, ['AccessDenied', 'Request has expired']],
    ['15 minutes before X-Amz-Date', 900, 60, 0, undefined],
    ['more than 15 minutes before X-Amz-Date', 901, 60, 0, ['AccessDenied', 'Request is not yet valid']],
  ];
  for (const [name, signedAt, expires, now, expected] of times) {
    it(`is ${expected === undefined ? 'valid' : 'refused'} ${name}`, async () => {
      const r = await presigned({ date: new Date(T0 + signedAt * 1000), expires });
      const run = () => authenticate(fakeRequest(r), DOC_CREDENTIALS, SETTINGS, new Date(T0 + now));
      if (expected === undefined) await run();
      else await expectS3Error(run, ...expected);
    });
  }

  it('says when it expired', async () => {
    const r = await presigned({ expires: 60 });
    const err = await expectS3Error(() => authenticate(fakeRequest(r), DOC_CREDENTIALS, SETTINGS, new Date(T0 + 61_000)), 'AccessDenied');
    assert.deepEqual(err.details, { 'X-Amz-Expires': '60', Expires: '2013-05-24T00:01:00Z', ServerTime: '2013-05-24T00:01:01Z' });
  });

  it('reports a bad signature or an unknown key before the expiry', async () => {
    const r = await presigned({ expires: 60 });
    const late = new Date(T0 + 61_000);
    await expectS3Error(() => authenticate(fakeRequest(param('X-Amz-Signature', '0'.repeat(64))(r)), DOC_CREDENTIALS, SETTINGS, late), 'SignatureDoesNotMatch');
    const unknown = param('X-Amz-Credential', 'AKIAUNKNOWN/20130524/us-east-1/s3/aws4_request')(r);
    await expectS3Error(() => authenticate(fakeRequest(unknown), DOC_CREDENTIALS, SETTINGS, late), 'InvalidAccessKeyId');
  });
});
