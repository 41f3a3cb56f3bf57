import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { s3ActionsMatching } from '../../../src/policy/engine/index.js';
import { ask, BUCKET, iamUser, OWNER, userPolicy } from './helpers.js';

const alice = iamUser(OWNER, 'alice');

async function allowed(action: string, resource: string, requestAction: string, key: string | undefined, extra: Record<string, unknown> = {}): Promise<boolean> {
  const p = userPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource, ...extra }] });
  return (await ask({ principal: alice, action: requestAction, key, identity: [p] })).effect === 'Allow';
}

describe('Action matching: wildcards, case-insensitive', () => {
  const rows = [
    ['s3:GetObject', 's3:GetObject', true],
    ['s3:getobject', 's3:GetObject', true],
    ['S3:GETOBJECT', 's3:GetObject', true],
    ['s3:GetObject', 's3:getObject', true],
    ['s3:Get*', 's3:GetObjectTagging', true],
    ['s3:get*', 's3:GetObject', true],
    ['s3:Get*', 's3:PutObject', false],
    ['s3:*', 's3:DeleteObject', true],
    ['*', 's3:DeleteObject', true],
    ['s3:*Object*', 's3:PutObjectTagging', true],
    ['s3:*Object', 's3:PutObjectTagging', false],
    ['s3:?etObject', 's3:GetObject', true],
    ['s3:?etObject', 's3:GetObjectAcl', false],
    ['s3:GetObject', 's3:GetObjectVersion', false],
  ] as const;
  for (const [pattern, action, expected] of rows) {
    it(`${pattern} ${expected ? 'covers' : 'does not cover'} ${action}`, async () => {
      assert.equal(await allowed(pattern, '*', action, 'k'), expected);
    });
  }

  it('NotAction applies to every other action', async () => {
    assert.equal(await allowed('', '*', 's3:GetObject', 'k', { Action: undefined, NotAction: 's3:Delete*' }), true);
    assert.equal(await allowed('', '*', 's3:DeleteObject', 'k', { Action: undefined, NotAction: 's3:Delete*' }), false);
  });

  it('expands against the catalogue', () => {
    assert.ok(s3ActionsMatching('s3:*').length > 150);
    assert.deepEqual(
      s3ActionsMatching('s3:PutObject*').map((a) => a.name).sort(),
      ['s3:PutObject', 's3:PutObjectAcl', 's3:PutObjectLegalHold', 's3:PutObjectRetention', 's3:PutObjectTagging', 's3:PutObjectVersionAcl', 's3:PutObjectVersionTagging'],
    );
    assert.deepEqual(s3ActionsMatching('s3:NoSuch*'), []);
  });
});

describe('Resource matching: ARN wildcards, case-sensitive', () => {
  const rows = [
    [`arn:aws:s3:::${BUCKET}/*`, 'photos/a.jpg', true],
    [`arn:aws:s3:::${BUCKET}/*`, undefined, false],
    [`arn:aws:s3:::${BUCKET}`, undefined, true],
    [`arn:aws:s3:::${BUCKET}`, 'a', false],
    [`arn:aws:s3:::${BUCKET}/photos/*`, 'photos/2024/a.jpg', true],
    [`arn:aws:s3:::${BUCKET}/photos/*`, 'Photos/a.jpg', false],
    [`arn:aws:s3:::${BUCKET}/photos/*.jpg`, 'photos/x/y.jpg', true],
    [`arn:aws:s3:::${BUCKET}/photos/*.jpg`, 'photos/x/y.png', false],
    [`arn:aws:s3:::${BUCKET}/file?.txt`, 'file1.txt', true],
    [`arn:aws:s3:::${BUCKET}/file?.txt`, 'file12.txt', false],
    [`arn:aws:s3:::${BUCKET}/file?.txt`, 'file.txt', false],
    [`arn:aws:s3:::${BUCKET}/a+b(c)[d]`, 'a+b(c)[d]', true],
    [`arn:aws:s3:::${BUCKET}/a.b`, 'aXb', false],
    [`arn:aws:s3:::${BUCKET}/*`, 'ключ/日本語', true],
    [`arn:aws:s3:::${BUCKET}/?`, '日', true],
    [`arn:aws:s3:::${BUCKET}/dir:with:colons/*`, 'dir:with:colons/x', true],
    [`arn:aws:s3:::*`, 'x', true],
    [`arn:aws:s3:::*`, undefined, true],
    [`arn:aws:s3:::other*`, 'x', false],
    ['arn:aws:*:::*', 'x', true],
    ['arn:*:s3:::*/*', 'x', true],
    ['*', 'x', true],
  ] as const;
  for (const [resource, key, expected] of rows) {
    it(`${resource} ${expected ? 'matches' : 'does not match'} ${key ?? '(bucket)'}`, async () => {
      const action = key === undefined ? 's3:ListBucket' : 's3:GetObject';
      assert.equal(await allowed(action, resource, action, key), expected);
    });
  }

  it('NotResource applies to every other resource', async () => {
    const extra = { Resource: undefined, NotResource: `arn:aws:s3:::${BUCKET}/private/*` };
    assert.equal(await allowed('s3:GetObject', '', 's3:GetObject', 'public/a', extra), true);
    assert.equal(await allowed('s3:GetObject', '', 's3:GetObject', 'private/a', extra), false);
  });
});
