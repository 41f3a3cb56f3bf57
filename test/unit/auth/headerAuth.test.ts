import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { authenticate, createAuthenticator } from '../../../src/s3/auth/authenticate.js';
import type { AuthSettings } from '../../../src/s3/auth/Authenticator.js';
import { SigningKeyCache } from '../../../src/s3/auth/sigv4/signingKey.js';
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
const BODY = 'hello, world';
const BODY_SHA = createHash('sha256').update(BODY).digest('hex');

async function signed(overrides: { date?: Date; secret?: string; headers?: Record<string, string>; service?: string; region?: string } = {}) {
  return sdkSign({
    method: 'PUT',
    path: '/key',
    query: { 'x-id': 'PutObject' },
    headers: { host: HOST, 'x-amz-content-sha256': BODY_SHA, 'x-amz-meta-color': 'red', 'content-length': String(BODY.length), ...overrides.headers },
    body: BODY,
    accessKeyId: DOC_KEY_ID,
    secretAccessKey: overrides.secret ?? DOC_SECRET,
    date: overrides.date ?? DOC_NOW,
    ...(overrides.service === undefined ? {} : { service: overrides.service }),
    ...(overrides.region === undefined ? {} : { region: overrides.region }),
  });
}

type Edit = (r: FakeRequestInit) => FakeRequestInit;
const setHeader = (name: string, value: string | undefined): Edit => (r) => {
  const headers = { ...(r.headers as Record<string, string>) };
  if (value === undefined) delete headers[name];
  else headers[name] = value;
  return { ...r, headers };
};
const authorization = (from: string | RegExp, to: string): Edit => (r) => {
  const value = (r.headers?.['authorization'] as string).replace(from, to);
  return setHeader('authorization', value)(r);
};
const addQuery = (text: string): Edit => (r) => ({ ...r, target: `${r.target}&${text}` });

function malformed(detail: string): [S3ErrorCode, string] {
  return ['AuthorizationHeaderMalformed', `The authorization header is malformed; ${detail}`];
}

const COMPONENTS = malformed('the authorization header requires three components: Credential, SignedHeaders, and Signature.');
const NO_DATE: [S3ErrorCode, string] = ['AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header'];
const USE_V4: [S3ErrorCode, string] = ['InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.'];
const NOT_SIGNED: [S3ErrorCode, string] = ['AccessDenied', 'There were headers present in the request which were not signed'];
const MISMATCH: [S3ErrorCode, string] = [
  'SignatureDoesNotMatch',
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
];

describe('Authorization header (SigV4): accepted requests', () => {
  it('accepts a request signed by the AWS SDK signer and yields the body', async () => {
    const auth = await authenticate(fakeRequest(await signed()), DOC_CREDENTIALS, SETTINGS, DOC_NOW);
    assert.equal(auth.method, 'header');
    assert.equal(auth.service, 's3');
    assert.deepEqual(auth.principal.kind === 'user' ? auth.principal.accessKeyId : undefined, DOC_KEY_ID);
    const { data, error } = await drain(auth.body);
    assert.equal(error, undefined);
    assert.equal(data.toString(), BODY);
    assert.equal(auth.body.digests().md5Hex, createHash('md5').update(BODY).digest('hex'));
  });

  it('accepts the signature in upper case', async () => {
    const r = await signed();
    const sig = /Signature=(\w+)$/.exec(r.headers?.['authorization'] as string)?.[1] ?? '';
    await authenticate(fakeRequest(authorization(sig, sig.toUpperCase())(r)), DOC_CREDENTIALS, SETTINGS, DOC_NOW);
  });

  it('accepts 15 minutes of clock skew either way', async () => {
    for (const s of [-900, 900]) {
      const r = await signed({ date: new Date(DOC_NOW.getTime() + s * 1000) });
      await authenticate(fakeRequest(r), DOC_CREDENTIALS, SETTINGS, DOC_NOW);
    }
  });

  it('returns the service of the scope when the endpoint accepts it', async () => {
    const settings: AuthSettings = { ...SETTINGS, services: ['iam'] };
    const auth = await authenticate(fakeRequest(await signed({ service: 'iam' })), DOC_CREDENTIALS, settings, DOC_NOW);
    assert.equal(auth.service, 'iam');
  });

  it('treats an empty Authorization header as no credentials', async () => {
    const auth = await authenticate(fakeRequest({ target: '/', headers: { host: HOST, authorization: '' } }), DOC_CREDENTIALS, SETTINGS, DOC_NOW);
    assert.equal(auth.method, 'anonymous');
    assert.equal(auth.principal.kind, 'anonymous');
  });

  it('caches derived signing keys per secret, date, region and service', async () => {
    const cache = new SigningKeyCache();
    const auth = createAuthenticator({ signingKeys: cache });
    await auth(fakeRequest(await signed()), DOC_CREDENTIALS, SETTINGS, DOC_NOW);
    await auth(fakeRequest(await signed()), DOC_CREDENTIALS, SETTINGS, DOC_NOW);
    assert.equal(cache.size, 1);
    await auth(fakeRequest(await signed({ date: new Date(DOC_NOW.getTime() + 60_000) })), DOC_CREDENTIALS, SETTINGS, DOC_NOW);
    assert.equal(cache.size, 1, 'same day, same key');
  });
});

describe('Authorization header (SigV4): refusals', () => {
  const cases: [string, Edit, [S3ErrorCode, string | RegExp]][] = [
    ['no Credential', authorization(/Credential=[^,]+, /, ''), COMPONENTS],
    ['no SignedHeaders', authorization(/SignedHeaders=[^,]+, /, ''), COMPONENTS],
    ['no Signature', authorization(/, Signature=.*/, ''), COMPONENTS],
    ['a credential of four parts', authorization('/us-east-1/', '/'), malformed('the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".')],
    ['a scope date of seven digits', authorization('/20130524/', '/2013052/'), malformed('incorrect date format "2013052". This date in the credential must be in the format "yyyyMMdd".')],
    ['another service', authorization('/s3/', '/ec2/'), malformed('incorrect service "ec2". This endpoint belongs to "s3".')],
    ['another terminator', authorization('aws4_request', 'aws4_reques'), malformed('incorrect terminal "aws4_reques". This endpoint uses "aws4_request".')],
    ['a scope date that is not the date of the request', authorization('/20130524/', '/20130523/'), malformed('Invalid credential date "20130523". This date is not the same as X-Amz-Date: "20130524".')],
    ['another region', authorization('/us-east-1/', '/eu-west-1/'), malformed("the region 'eu-west-1' is wrong; expecting 'us-east-1'")],
    ['Signature Version 2', setHeader('authorization', `AWS ${DOC_KEY_ID}:frJIUN8DYpKDtOLCwo//yllqDzg=`), USE_V4],
    ['SigV4a', setHeader('authorization', 'AWS4-ECDSA-P256-SHA256 Credential=x'), USE_V4],
    ['the Bearer scheme', setHeader('authorization', 'Bearer token'), ['InvalidArgument', 'Unsupported Authorization Type']],
    ['presigned parameters too', addQuery('X-Amz-Algorithm=AWS4-HMAC-SHA256'), ['InvalidArgument', /^Only one auth mechanism allowed/]],
    ['SigV2 query parameters too', addQuery('AWSAccessKeyId=x'), ['InvalidArgument', /^Only one auth mechanism allowed/]],
    ['no x-amz-content-sha256', setHeader('x-amz-content-sha256', undefined), ['InvalidRequest', 'Missing required header for this request: x-amz-content-sha256']],
    ['an x-amz-content-sha256 that is not a hash', setHeader('x-amz-content-sha256', BODY_SHA.slice(1)), ['InvalidArgument', /^x-amz-content-sha256 must be UNSIGNED-PAYLOAD, /]],
    ['an ECDSA streaming x-amz-content-sha256', setHeader('x-amz-content-sha256', 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD'), ['InvalidRequest', 'The value of x-amz-content-sha256 header is invalid.']],
    ['no date', setHeader('x-amz-date', undefined), NO_DATE],
    ['an x-amz-date in another format', setHeader('x-amz-date', '2013-05-24T00:00:00Z'), NO_DATE],
    ['an impossible x-amz-date', setHeader('x-amz-date', '20130230T000000Z'), NO_DATE],
    ['an x-amz-* header that is not signed', setHeader('x-amz-meta-size', '1'), NOT_SIGNED],
    ['host not signed', authorization('SignedHeaders=content-length;host;', 'SignedHeaders=content-length;'), NOT_SIGNED],
    ['an unknown access key', authorization(DOC_KEY_ID, 'AKIAUNKNOWN'), ['InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.']],
    ['another value of a signed header', setHeader('x-amz-meta-color', 'blue'), MISMATCH],
    ['a signed header missing', setHeader('content-length', undefined), MISMATCH],
    ['another path', (r) => ({ ...r, target: r.target.replace('/key?', '/other?') }), MISMATCH],
    ['one more query parameter', addQuery('versionId=null'), MISMATCH],
    ['a signature of 63 characters', authorization(/.$/, ''), MISMATCH],
  ];
  for (const [name, edit, [code, message]] of cases) {
    it(`with ${name}: ${code}`, async () => {
      const request = fakeRequest(edit(await signed()));
      await expectS3Error(() => authenticate(request, DOC_CREDENTIALS, SETTINGS, DOC_NOW), code, message);
    });
  }

  it('names the headers that were not signed', async () => {
    const r = setHeader('x-amz-meta-size', '1')(await signed());
    const err = await expectS3Error(() => authenticate(fakeRequest(r), DOC_CREDENTIALS, SETTINGS, DOC_NOW), 'AccessDenied');
    assert.equal(err.details['HeadersNotSigned'], 'x-amz-meta-size');
  });

  it('gives the region it expects', async () => {
    const r = await signed({ region: 'eu-west-1' });
    const err = await expectS3Error(() => authenticate(fakeRequest(r), DOC_CREDENTIALS, SETTINGS, DOC_NOW), 'AuthorizationHeaderMalformed');
    assert.equal(err.details['Region'], 'us-east-1');
  });

  it('refuses an inactive access key', async () => {
    const inactive = resolverOf({ accessKeyId: DOC_KEY_ID, secretAccessKey: DOC_SECRET, active: false });
    await expectS3Error(async () => authenticate(fakeRequest(await signed()), inactive, SETTINGS, DOC_NOW), 'InvalidAccessKeyId');
  });

  it('gives the canonical request and string to sign it computed when another secret signed', async () => {
    const r = await signed({ secret: 'another secret' });
    const err = await expectS3Error(() => authenticate(fakeRequest(r), DOC_CREDENTIALS, SETTINGS, DOC_NOW), 'SignatureDoesNotMatch');
    const canonical =
      'PUT\n/key\nx-id=PutObject\n' +
      `content-length:${BODY.length}\nhost:${HOST}\nx-amz-content-sha256:${BODY_SHA}\nx-amz-date:20130524T000000Z\nx-amz-meta-color:red\n\n` +
      `content-length;host;x-amz-content-sha256;x-amz-date;x-amz-meta-color\n${BODY_SHA}`;
    assert.equal(err.details['CanonicalRequest'], canonical);
    assert.equal(err.details['AWSAccessKeyId'], DOC_KEY_ID);
    assert.match(err.details['StringToSign'] ?? '', /^AWS4-HMAC-SHA256\n20130524T000000Z\n20130524\/us-east-1\/s3\/aws4_request\n[0-9a-f]{64}$/);
    assert.match(err.details['StringToSignBytes'] ?? '', /^41 57 53 34 /);
  });

  it('refuses more than 15 minutes of clock skew, after the signature', async () => {
    for (const s of [-901, 901]) {
      const r = await signed({ date: new Date(DOC_NOW.getTime() + s * 1000) });
      const err = await expectS3Error(() => authenticate(fakeRequest(r), DOC_CREDENTIALS, SETTINGS, DOC_NOW), 'RequestTimeTooSkewed');
      assert.equal(err.details['ServerTime'], '2013-05-24T00:00:00Z');
      assert.equal(err.details['MaxAllowedSkewMilliseconds'], '900000');
      assert.equal(err.details['RequestTime'], s < 0 ? '20130523T234459Z' : '20130524T001501Z');
      // A bad signature is reported before the time.
      const bad = authorization(/.$/, '0')(r);
      await expectS3Error(() => authenticate(fakeRequest(bad), DOC_CREDENTIALS, SETTINGS, DOC_NOW), 'SignatureDoesNotMatch');
    }
  });

  it('refuses a body that does not hash to x-amz-content-sha256 (the stream errors)', async () => {
    const r = await signed();
    const auth = await authenticate(fakeRequest({ ...r, body: 'hello, World' }), DOC_CREDENTIALS, SETTINGS, DOC_NOW);
    const { error } = await drain(auth.body);
    assert.equal(error?.code, 'XAmzContentSHA256Mismatch');
    assert.equal(error?.details['ClientComputedContentSHA256'], BODY_SHA);
  });
});

describe('session tokens', () => {
  const TEMP = { accessKeyId: 'ASIATEMPORARY', secretAccessKey: 'temporary secret', sessionToken: 'the/token+of=the&key' };
  const resolver = resolverOf(TEMP, { accessKeyId: DOC_KEY_ID, secretAccessKey: DOC_SECRET });
  async function tempSigned(sessionToken: string | undefined, accessKeyId = TEMP.accessKeyId, secret = TEMP.secretAccessKey) {
    return sdkSign({
      method: 'GET',
      path: '/',
      headers: { host: HOST, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      accessKeyId,
      secretAccessKey: secret,
      ...(sessionToken === undefined ? {} : { sessionToken }),
      date: DOC_NOW,
    });
  }

  it('accepts the session token of a temporary key', async () => {
    await authenticate(fakeRequest(await tempSigned(TEMP.sessionToken)), resolver, SETTINGS, DOC_NOW);
  });
  it('refuses a temporary key without its token: InvalidAccessKeyId', async () => {
    await expectS3Error(async () => authenticate(fakeRequest(await tempSigned(undefined)), resolver, SETTINGS, DOC_NOW), 'InvalidAccessKeyId');
  });
  it('refuses another token: InvalidToken', async () => {
    await expectS3Error(async () => authenticate(fakeRequest(await tempSigned('x')), resolver, SETTINGS, DOC_NOW), 'InvalidToken');
  });
  it('refuses a token for a key that has none: InvalidToken', async () => {
    await expectS3Error(
      async () => authenticate(fakeRequest(await tempSigned('x', DOC_KEY_ID, DOC_SECRET)), resolver, SETTINGS, DOC_NOW),
      'InvalidToken',
    );
  });
});

describe('CompleteMultipartUpload (POST ?uploadId)', () => {
  it('does not hold the XML body to the x-amz-checksum-* header, which states the object checksum', async () => {
    const xml = '<CompleteMultipartUpload/>';
    const r = await sdkSign({
      method: 'POST',
      path: '/key',
      query: { uploadId: 'u1' },
      headers: { host: HOST, 'x-amz-content-sha256': createHash('sha256').update(xml).digest('hex'), 'x-amz-checksum-crc32': 'AAAAAA==' },
      body: xml,
      accessKeyId: DOC_KEY_ID,
      secretAccessKey: DOC_SECRET,
      date: DOC_NOW,
    });
    const auth = await authenticate(fakeRequest(r), DOC_CREDENTIALS, SETTINGS, DOC_NOW);
    assert.equal(auth.body.checksumAlgorithm, undefined);
    assert.equal((await auth.body.readAll(1000)).toString(), xml);
    // The same header on an upload is the body's checksum.
    const put = await signed({ headers: { 'x-amz-checksum-crc32': 'AAAAAA==' } });
    const { error } = await drain((await authenticate(fakeRequest(put), DOC_CREDENTIALS, SETTINGS, DOC_NOW)).body);
    assert.equal(error?.code, 'BadDigest');
  });
});
