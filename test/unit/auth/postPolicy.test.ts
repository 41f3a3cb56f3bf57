import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { checkContentLength, verifyPostPolicy } from '../../../src/s3/auth/postPolicy.js';
import { deriveSigningKey } from '../../../src/s3/auth/sigv4/signingKey.js';
import type { S3ErrorCode } from '../../../src/errors/s3Errors.js';
import { DOC_CREDENTIALS, DOC_KEY_ID, DOC_SECRET, expectS3Error, SETTINGS } from './support.js';

const NOW = new Date('2015-12-29T12:00:00Z');
const CREDENTIAL = `${DOC_KEY_ID}/20151229/us-east-1/s3/aws4_request`;

function policyOf(conditions: unknown[], expiration = '2015-12-30T12:00:00.000Z'): string {
  return Buffer.from(JSON.stringify({ expiration, conditions })).toString('base64');
}

const CONDITIONS: unknown[] = [
  { bucket: 'sigv4examplebucket' },
  ['starts-with', '$key', 'user/user1/'],
  { acl: 'public-read' },
  { success_action_redirect: 'http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html' },
  ['starts-with', '$Content-Type', 'image/'],
  { 'x-amz-meta-uuid': '14365123651274' },
  { 'x-amz-server-side-encryption': 'AES256' },
  ['starts-with', '$x-amz-meta-tag', ''],
  { 'x-amz-credential': CREDENTIAL },
  { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
  { 'x-amz-date': '20151229T000000Z' },
  ['content-length-range', 1, 1048576],
];

function v4Form(conditions = CONDITIONS, fields: Record<string, string> = {}, expiration?: string): Record<string, string> {
  const policy = policyOf(conditions, expiration);
  const key = deriveSigningKey(DOC_SECRET, '20151229', 'us-east-1', 's3');
  return {
    key: 'user/user1/${filename}',
    acl: 'public-read',
    success_action_redirect: 'http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html',
    'Content-Type': 'image/jpeg',
    'x-amz-meta-uuid': '14365123651274',
    'x-amz-server-side-encryption': 'AES256',
    'X-Amz-Credential': CREDENTIAL,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Date': '20151229T000000Z',
    'x-amz-meta-tag': '',
    Policy: policy,
    'X-Amz-Signature': createHmac('sha256', key).update(policy).digest('hex'),
    ...fields,
  };
}

const verify = (fields: Record<string, string>, now = NOW) =>
  verifyPostPolicy({ fields, bucket: 'sigv4examplebucket', fileName: 'photo.jpg' }, DOC_CREDENTIALS, SETTINGS, now);

describe('POST policy (SigV4)', () => {
  it('accepts the form, substitutes ${filename}, returns the content-length-range', async () => {
    const result = await verify(v4Form());
    assert.equal(result.method, 'post-policy');
    assert.equal(result.service, 's3');
    assert.equal(result.principal.kind === 'user' && result.principal.accessKeyId, DOC_KEY_ID);
    assert.equal(result.fields.get('key'), 'user/user1/photo.jpg');
    assert.deepEqual(result.contentLengthRange, { min: 1, max: 1048576 });
  });

  it('accepts fields named x-ignore-* without a condition', async () => {
    await verify(v4Form(CONDITIONS, { 'x-ignore-me': 'whatever' }));
  });

  const denied = (detail: string): [S3ErrorCode, string] => ['AccessDenied', `Invalid according to Policy: ${detail}`];
  const cases: [string, Record<string, string>, [S3ErrorCode, string | RegExp]][] = [
    ['a changed field the policy pins', { acl: 'private' }, denied('Policy Condition failed: ["eq", "$acl", "public-read"]')],
    ['a key outside the prefix', { key: 'user/user2/${filename}' }, denied('Policy Condition failed: ["starts-with", "$key", "user/user1/"]')],
    ['a Content-Type list with one value outside the prefix', { 'Content-Type': 'image/jpeg, text/html' }, denied('Policy Condition failed: ["starts-with", "$Content-Type", "image/"]')],
    ['a field no condition covers', { 'x-amz-meta-other': 'x' }, denied('Extra input fields: x-amz-meta-other')],
    ['a wrong signature', { 'X-Amz-Signature': '0'.repeat(64) }, ['SignatureDoesNotMatch', /does not match/]],
    ['an unknown access key', { 'X-Amz-Credential': 'AKIAUNKNOWN/20151229/us-east-1/s3/aws4_request' }, ['InvalidAccessKeyId', /does not exist/]],
    ['another region', { 'X-Amz-Credential': `${DOC_KEY_ID}/20151229/eu-west-1/s3/aws4_request` }, ['InvalidArgument', /the region 'eu-west-1' is wrong; expecting 'us-east-1'/]],
    ['a malformed x-amz-date', { 'X-Amz-Date': '2015-12-29' }, ['InvalidArgument', /ISO8601 Long Format/]],
    ['another algorithm', { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA1' }, ['InvalidArgument', /AWS4-HMAC-SHA256/]],
  ];
  for (const [name, fields, [code, message]] of cases) {
    it(`with ${name}: ${code}`, async () => {
      await expectS3Error(() => verify(v4Form(CONDITIONS, fields)), code, message);
    });
  }

  it('refuses a form posted to another bucket', async () => {
    await expectS3Error(
      () => verifyPostPolicy({ fields: v4Form(), bucket: 'other' }, DOC_CREDENTIALS, SETTINGS, NOW),
      'AccessDenied',
      'Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "sigv4examplebucket"]',
    );
  });

  it('refuses an expired policy', async () => {
    await expectS3Error(() => verify(v4Form(), new Date('2015-12-30T12:00:01Z')), 'AccessDenied', 'Invalid according to Policy: Policy expired.');
  });

  it('requires the policy field', async () => {
    const fields = v4Form();
    delete fields['Policy'];
    await expectS3Error(() => verify(fields), 'InvalidArgument', /^Bucket POST must contain a field named 'policy'/);
  });

  const malformed: [string, string][] = [
    ['not JSON', Buffer.from('{nope').toString('base64')],
    ['no expiration', Buffer.from(JSON.stringify({ conditions: [] })).toString('base64')],
    ['no conditions', Buffer.from(JSON.stringify({ expiration: '2015-12-30T12:00:00.000Z' })).toString('base64')],
    ['a bad expiration', Buffer.from(JSON.stringify({ expiration: 'tomorrow', conditions: [] })).toString('base64')],
    ['an unknown operator', policyOf([['matches', '$key', '.*']])],
    ['a condition without $', policyOf([['eq', 'key', 'a']])],
    ['a reversed content-length-range', policyOf([['content-length-range', 10, 1]])],
  ];
  for (const [name, policy] of malformed) {
    it(`refuses a policy with ${name}: InvalidPolicyDocument`, async () => {
      const key = deriveSigningKey(DOC_SECRET, '20151229', 'us-east-1', 's3');
      const fields = {
        'x-amz-algorithm': 'AWS4-HMAC-SHA256',
        'x-amz-credential': CREDENTIAL,
        'x-amz-date': '20151229T000000Z',
        policy,
        'x-amz-signature': createHmac('sha256', key).update(policy).digest('hex'),
      };
      await expectS3Error(() => verify(fields), 'InvalidPolicyDocument', /^Invalid Policy: /);
    });
  }
});

describe('POST policy (SigV2 form)', () => {
  const conditions = [{ bucket: 'sigv4examplebucket' }, ['starts-with', '$key', ''], ['content-length-range', 0, 10]];
  const policy = policyOf(conditions);
  const signature = createHmac('sha1', DOC_SECRET).update(policy).digest('base64');

  it('accepts AWSAccessKeyId + signature (HMAC-SHA1 of the policy)', async () => {
    const result = await verify({ key: 'a.txt', AWSAccessKeyId: DOC_KEY_ID, policy, signature });
    assert.equal(result.method, 'post-policy');
    assert.equal(result.service, undefined);
    assert.deepEqual(result.contentLengthRange, { min: 0, max: 10 });
  });

  it('refuses a wrong signature', async () => {
    await expectS3Error(() => verify({ key: 'a.txt', AWSAccessKeyId: DOC_KEY_ID, policy, signature: 'AAAA' }), 'SignatureDoesNotMatch');
  });
});

describe('anonymous POST and content-length-range', () => {
  it('a form without credentials or policy is anonymous', async () => {
    const result = await verify({ key: 'a.txt' });
    assert.equal(result.method, 'anonymous');
    assert.equal(result.principal.kind, 'anonymous');
  });

  it('a policy without credentials is refused', async () => {
    await expectS3Error(() => verify({ key: 'a.txt', policy: policyOf([]) }), 'InvalidArgument');
  });

  it('checkContentLength enforces the range', () => {
    checkContentLength({ min: 1, max: 10 }, 10);
    checkContentLength(undefined, 1e12);
    assert.throws(() => checkContentLength({ min: 1, max: 10 }, 0), { code: 'EntityTooSmall' });
    assert.throws(() => checkContentLength({ min: 1, max: 10 }, 11), { code: 'EntityTooLarge' });
  });
});
