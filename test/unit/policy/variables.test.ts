import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ask, BUCKET, cond, iamUser, OWNER, userPolicy } from './helpers.js';

const alice = iamUser(OWNER, 'alice');
const bob = iamUser(OWNER, 'bob');

function allowObjects(resource: string, version = '2012-10-17') {
  return userPolicy({ Version: version, Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: resource }] });
}

describe('policy variables in Resource', () => {
  const home = allowObjects(`arn:aws:s3:::${BUCKET}/home/\${aws:username}/*`);

  const rows = [
    [alice, 'home/alice/notes.txt', 'Allow'],
    [alice, 'home/bob/notes.txt', 'Deny'],
    [bob, 'home/bob/a/b', 'Allow'],
    [alice, 'home/alice', 'Deny'],
  ] as const;
  for (const [who, key, effect] of rows) {
    it(`\${aws:username} — ${who.kind === 'user' ? who.userName : ''} on ${key} → ${effect}`, async () => {
      assert.equal((await ask({ principal: who, action: 's3:GetObject', key, identity: [home] })).effect, effect);
    });
  }

  it('${aws:userid} and ${aws:PrincipalAccount}', async () => {
    const p = allowObjects(`arn:aws:s3:::${BUCKET}/\${aws:PrincipalAccount}/\${aws:userid}/*`);
    assert.equal((await ask({ principal: alice, action: 's3:GetObject', key: `${OWNER}/AIDAALICE/x`, identity: [p] })).effect, 'Allow');
    assert.equal((await ask({ principal: alice, action: 's3:GetObject', key: `${OWNER}/AIDABOB/x`, identity: [p] })).effect, 'Deny');
  });

  it('a variable value is literal: wildcards in it do not match', async () => {
    const starUser = iamUser(OWNER, 'a*');
    const p = allowObjects(`arn:aws:s3:::${BUCKET}/home/\${aws:username}/*`);
    assert.equal((await ask({ principal: starUser, action: 's3:GetObject', key: 'home/a*/x', identity: [p] })).effect, 'Allow');
    assert.equal((await ask({ principal: starUser, action: 's3:GetObject', key: 'home/abc/x', identity: [p] })).effect, 'Deny');
  });

  it('${*}, ${?} and ${$} stand for literal characters', async () => {
    const p = allowObjects(`arn:aws:s3:::${BUCKET}/literal\${*}\${?}\${$}/*`);
    assert.equal((await ask({ principal: alice, action: 's3:GetObject', key: 'literal*?$/x', identity: [p] })).effect, 'Allow');
    assert.equal((await ask({ principal: alice, action: 's3:GetObject', key: 'literalab$/x', identity: [p] })).effect, 'Deny');
  });

  it('an unknown or absent variable makes the statement not match', async () => {
    const unknown = allowObjects(`arn:aws:s3:::${BUCKET}/\${aws:nosuchkey}/*`);
    assert.equal((await ask({ principal: alice, action: 's3:GetObject', key: '/x', identity: [unknown] })).effect, 'Deny');
    // A NotResource made of a variable: resolved for alice, so the Deny covers everything outside her home.
    const deny = userPolicy({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:*', Resource: '*' },
        { Sid: 'NotMine', Effect: 'Deny', Action: 's3:GetObject', NotResource: `arn:aws:s3:::${BUCKET}/home/\${aws:username}/*` },
      ],
    });
    assert.equal((await ask({ principal: alice, action: 's3:GetObject', key: 'home/bob/x', identity: [deny] })).reason, 'ExplicitDeny');
    assert.equal((await ask({ principal: alice, action: 's3:GetObject', key: 'home/alice/x', identity: [deny] })).effect, 'Allow');
    // alice has no aws:PrincipalTag/team: the Deny cannot be resolved, so it does not deny.
    const teamDeny = userPolicy({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:*', Resource: '*' },
        { Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { StringNotEquals: { 's3:prefix': '${aws:PrincipalTag/team}' } } },
      ],
    });
    assert.equal((await ask({ principal: alice, action: 's3:ListBucket', identity: [teamDeny], extras: { prefix: 'x' } })).effect, 'Allow');
  });

  it('a default value applies when the key is absent', async () => {
    const p = allowObjects(`arn:aws:s3:::${BUCKET}/\${aws:PrincipalTag/team, 'shared'}/*`);
    assert.equal((await ask({ principal: alice, action: 's3:GetObject', key: 'shared/x', identity: [p] })).effect, 'Allow');
    assert.equal((await ask({ principal: alice, action: 's3:GetObject', key: 'team/x', identity: [p] })).effect, 'Deny');
  });

  it('Version 2008-10-17 (or none) treats ${…} as text', async () => {
    const old = allowObjects(`arn:aws:s3:::${BUCKET}/home/\${aws:username}/*`, '2008-10-17');
    assert.equal((await ask({ principal: alice, action: 's3:GetObject', key: 'home/alice/x', identity: [old] })).effect, 'Deny');
    assert.equal((await ask({ principal: alice, action: 's3:GetObject', key: 'home/${aws:username}/x', identity: [old] })).effect, 'Allow');
  });
});

describe('policy variables in Condition values', () => {
  it('${aws:username} in StringLike on s3:prefix (the IAM guide example)', async () => {
    const p = userPolicy({
      Version: '2012-10-17',
      Statement: [{ Action: ['s3:ListBucket'], Effect: 'Allow', Resource: [`arn:aws:s3:::${BUCKET}`], Condition: { StringLike: { 's3:prefix': ['${aws:username}/*'] } } }],
    });
    assert.equal((await ask({ principal: alice, action: 's3:ListBucket', identity: [p], extras: { prefix: 'alice/docs/' } })).effect, 'Allow');
    assert.equal((await ask({ principal: alice, action: 's3:ListBucket', identity: [p], extras: { prefix: 'bob/' } })).effect, 'Deny');
    assert.equal((await ask({ principal: alice, action: 's3:ListBucket', identity: [p] })).effect, 'Deny');
  });

  it('${s3:prefix} as a variable, ArnLike with ${aws:PrincipalAccount}', () => {
    assert.equal(cond('StringEquals', 's3:delimiter', '${s3:prefix}', ['/'], (n) => (n === 's3:prefix' ? '/' : undefined)), true);
    assert.equal(cond('StringEquals', 's3:delimiter', '${s3:prefix}', ['/'], () => undefined), 'unresolved');
    assert.equal(
      cond('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::${aws:PrincipalAccount}:user/*', ['arn:aws:iam::111122223333:user/x'], (n) =>
        n === 'aws:PrincipalAccount' ? '111122223333' : undefined,
      ),
      true,
    );
  });

  it('variables are not substituted in Numeric, Date, Bool or IP operators', () => {
    assert.throws(() => cond('NumericEquals', 's3:max-keys', '${s3:max-keys}', ['1']));
  });
});
