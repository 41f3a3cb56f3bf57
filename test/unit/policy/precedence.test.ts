import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, type PolicyPrincipal } from '../../../src/policy/engine/index.js';
import { ANON, ask, BUCKET, bucketPolicy, canonicalOf, context, iamUser, OTHER, OWNER, root, userPolicy } from './helpers.js';

const alice = iamUser(OWNER, 'alice');
const bob = iamUser(OTHER, 'bob');
const OBJECTS = `arn:aws:s3:::${BUCKET}/*`;

const allowGet = userPolicy({ Version: '2012-10-17', Statement: [{ Sid: 'UserGet', Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS }] });
const denyGet = userPolicy({ Version: '2012-10-17', Statement: [{ Sid: 'UserDeny', Effect: 'Deny', Action: 's3:GetObject', Resource: OBJECTS }] });

function bucketAllow(principal: unknown, sid = 'BucketGet') {
  return bucketPolicy({ Version: '2012-10-17', Statement: [{ Sid: sid, Effect: 'Allow', Principal: principal, Action: 's3:GetObject', Resource: OBJECTS }] });
}

function bucketDeny(principal: unknown, action: string | string[] = 's3:*', resource: string | string[] = [OBJECTS, `arn:aws:s3:::${BUCKET}`]) {
  return bucketPolicy({ Version: '2012-10-17', Id: 'Lockdown', Statement: [{ Sid: 'DenyAll', Effect: 'Deny', Principal: principal, Action: action, Resource: resource }] });
}

describe('explicit Deny wins', () => {
  it('an identity Deny beats a bucket-policy Allow', async () => {
    const d = await ask({ principal: alice, action: 's3:GetObject', key: 'k', identity: [denyGet], resource: bucketAllow({ AWS: `arn:aws:iam::${OWNER}:user/alice` }) });
    assert.equal(d.effect, 'Deny');
    assert.equal(d.reason, 'ExplicitDeny');
    assert.deepEqual(d.statements, [{ source: 'identity', policyIndex: 0, policyId: undefined, statementIndex: 0, sid: 'UserDeny' }]);
  });

  it('a bucket-policy Deny beats an identity Allow, and names the statement', async () => {
    const d = await ask({ principal: alice, action: 's3:GetObject', key: 'k', identity: [allowGet], resource: bucketDeny('*') });
    assert.equal(d.reason, 'ExplicitDeny');
    assert.deepEqual(d.statements, [{ source: 'resource', policyIndex: 0, policyId: 'Lockdown', statementIndex: 0, sid: 'DenyAll' }]);
  });

  it('a Deny in a second identity policy beats an Allow in the first', async () => {
    const d = await ask({ principal: alice, action: 's3:GetObject', key: 'k', identity: [allowGet, denyGet] });
    assert.equal(d.reason, 'ExplicitDeny');
    assert.equal(d.statements[0]?.policyIndex, 1);
  });

  it('statement order does not matter', async () => {
    const both = userPolicy({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Deny', Action: 's3:GetObject', Resource: OBJECTS },
        { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      ],
    });
    assert.equal((await ask({ principal: alice, action: 's3:GetObject', key: 'k', identity: [both] })).effect, 'Deny');
    assert.equal((await ask({ principal: alice, action: 's3:PutObject', key: 'k', identity: [both] })).effect, 'Allow');
  });
});

describe('same account', () => {
  it('no policy: implicit deny for an IAM user', async () => {
    const d = await ask({ principal: alice, action: 's3:GetObject', key: 'k' });
    assert.equal(d.effect, 'Deny');
    assert.equal(d.reason, 'ImplicitDeny');
    assert.equal(d.crossAccount, false);
  });

  it('an identity Allow suffices', async () => {
    const d = await ask({ principal: alice, action: 's3:GetObject', key: 'k', identity: [allowGet] });
    assert.equal(d.effect, 'Allow');
    assert.equal(d.reason, 'Allowed');
    assert.equal(d.statements[0]?.sid, 'UserGet');
  });

  it('a bucket-policy Allow naming the user suffices', async () => {
    const d = await ask({ principal: alice, action: 's3:GetObject', key: 'k', resource: bucketAllow({ AWS: `arn:aws:iam::${OWNER}:user/alice` }) });
    assert.equal(d.effect, 'Allow');
    assert.deepEqual(d.statements.map((s) => s.source), ['resource']);
  });

  it('a bucket-policy Allow naming only the account delegates: the IAM user still needs an identity Allow', async () => {
    for (const principal of [{ AWS: OWNER }, { AWS: `arn:aws:iam::${OWNER}:root` }, { CanonicalUser: canonicalOf(OWNER) }]) {
      const policy = bucketAllow(principal);
      assert.equal((await ask({ principal: alice, action: 's3:GetObject', key: 'k', resource: policy })).effect, 'Deny', JSON.stringify(principal));
      assert.equal((await ask({ principal: alice, action: 's3:GetObject', key: 'k', resource: policy, identity: [allowGet] })).effect, 'Allow');
    }
  });

  it('a bucket-policy Deny naming the owner account applies to its IAM users too', async () => {
    const d = await ask({ principal: alice, action: 's3:GetObject', key: 'k', identity: [allowGet], resource: bucketDeny({ AWS: OWNER }) });
    assert.equal(d.reason, 'ExplicitDeny');
  });
});

describe('root user of the owning account', () => {
  it('is allowed everything without any policy', async () => {
    for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']) {
      const d = await ask({ principal: root(OWNER), action, key: 'k' });
      assert.equal(d.effect, 'Allow');
      assert.equal(d.reason, 'OwnerRoot');
    }
    assert.equal((await ask({ principal: root(OWNER), action: 's3:PutBucketVersioning' })).effect, 'Allow');
  });

  it('ignores identity policies (none can be attached to it)', async () => {
    assert.equal((await ask({ principal: root(OWNER), action: 's3:GetObject', key: 'k', identity: [denyGet] })).effect, 'Allow');
  });

  it('is denied by an explicit Deny in the bucket policy', async () => {
    for (const principal of ['*', { AWS: '*' }, { AWS: OWNER }, { AWS: `arn:aws:iam::${OWNER}:root` }]) {
      const d = await ask({ principal: root(OWNER), action: 's3:GetObject', key: 'k', resource: bucketDeny(principal) });
      assert.equal(d.reason, 'ExplicitDeny', JSON.stringify(principal));
    }
  });

  it('is never locked out of the bucket policy itself', async () => {
    const lockdown = bucketDeny('*');
    for (const action of ['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy']) {
      const d = await ask({ principal: root(OWNER), action, resource: lockdown });
      assert.equal(d.effect, 'Allow', action);
      assert.equal(d.reason, 'OwnerRootPolicyManagement');
      assert.equal(d.statements[0]?.sid, 'DenyAll');
    }
    assert.equal((await ask({ principal: root(OWNER), action: 's3:PutBucketVersioning', resource: lockdown })).effect, 'Deny');
    // Not for anyone else: an IAM user of the owner, or another account's root.
    assert.equal((await ask({ principal: alice, action: 's3:PutBucketPolicy', resource: lockdown, identity: [userPolicy({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] })] })).effect, 'Deny');
    assert.equal((await ask({ principal: root(OTHER), action: 's3:PutBucketPolicy', resource: lockdown })).effect, 'Deny');
  });
});

describe('across accounts both sides must allow', () => {
  const bobAllowsHimself = userPolicy({ Version: '2012-10-17', Statement: [{ Sid: 'BobGet', Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS }] });

  it('identity Allow alone is not enough', async () => {
    const d = await ask({ principal: bob, action: 's3:GetObject', key: 'k', identity: [bobAllowsHimself] });
    assert.equal(d.effect, 'Deny');
    assert.equal(d.crossAccount, true);
    assert.equal(d.missing, 'resource');
  });

  it('bucket-policy Allow alone is not enough for an IAM user', async () => {
    const d = await ask({ principal: bob, action: 's3:GetObject', key: 'k', resource: bucketAllow({ AWS: `arn:aws:iam::${OTHER}:user/bob` }) });
    assert.equal(d.effect, 'Deny');
    assert.equal(d.missing, 'identity');
  });

  it('neither', async () => {
    assert.equal((await ask({ principal: bob, action: 's3:GetObject', key: 'k' })).missing, 'both');
  });

  it('both: allowed, and both statements are reported', async () => {
    for (const principal of [{ AWS: `arn:aws:iam::${OTHER}:user/bob` }, { AWS: OTHER }, '*']) {
      const d = await ask({ principal: bob, action: 's3:GetObject', key: 'k', identity: [bobAllowsHimself], resource: bucketAllow(principal) });
      assert.equal(d.effect, 'Allow', JSON.stringify(principal));
      assert.deepEqual(d.statements.map((s) => `${s.source}:${s.sid}`), ['identity:BobGet', 'resource:BucketGet']);
    }
  });

  it("another account's root user needs only the bucket policy", async () => {
    assert.equal((await ask({ principal: root(OTHER), action: 's3:GetObject', key: 'k' })).effect, 'Deny');
    assert.equal((await ask({ principal: root(OTHER), action: 's3:GetObject', key: 'k', resource: bucketAllow({ AWS: OTHER }) })).effect, 'Allow');
    assert.equal((await ask({ principal: root(OTHER), action: 's3:GetObject', key: 'k', resource: bucketAllow({ AWS: OWNER }) })).effect, 'Deny');
  });

  it('a Deny on either side still wins', async () => {
    const d = await ask({ principal: bob, action: 's3:GetObject', key: 'k', identity: [bobAllowsHimself, denyGet], resource: bucketAllow('*') });
    assert.equal(d.reason, 'ExplicitDeny');
  });
});

describe('anonymous requests', () => {
  it('are allowed only by a bucket policy whose principal is *', async () => {
    assert.equal((await ask({ principal: ANON, action: 's3:GetObject', key: 'k' })).effect, 'Deny');
    assert.equal((await ask({ principal: ANON, action: 's3:GetObject', key: 'k', resource: bucketAllow('*') })).effect, 'Allow');
    assert.equal((await ask({ principal: ANON, action: 's3:GetObject', key: 'k', resource: bucketAllow({ AWS: '*' }) })).effect, 'Allow');
    assert.equal((await ask({ principal: ANON, action: 's3:GetObject', key: 'k', resource: bucketAllow({ AWS: OWNER }) })).effect, 'Deny');
    assert.equal((await ask({ principal: ANON, action: 's3:PutObject', key: 'k', resource: bucketAllow('*') })).effect, 'Deny');
  });

  it('identity policies never apply to them', async () => {
    const everything = userPolicy({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    assert.equal((await ask({ principal: ANON, action: 's3:GetObject', key: 'k', identity: [everything] })).effect, 'Deny');
  });

  it('a Deny with principal * applies to them', async () => {
    const policy = bucketPolicy({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: OBJECTS },
        { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/secret/*` },
      ],
    });
    assert.equal((await ask({ principal: ANON, action: 's3:GetObject', key: 'public/k', resource: policy })).effect, 'Allow');
    assert.equal((await ask({ principal: ANON, action: 's3:GetObject', key: 'secret/k', resource: policy })).effect, 'Deny');
  });
});

describe('NotPrincipal', () => {
  const exceptAlice = bucketPolicy({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Deny',
        NotPrincipal: { AWS: [`arn:aws:iam::${OWNER}:user/alice`, `arn:aws:iam::${OWNER}:root`] },
        Action: 's3:*',
        Resource: [OBJECTS],
      },
    ],
  });
  const everything = userPolicy({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });

  it('a Deny applies to everyone except the listed user (with its account) and the listed root', async () => {
    assert.equal((await ask({ principal: alice, action: 's3:GetObject', key: 'k', resource: exceptAlice, identity: [everything] })).effect, 'Allow');
    assert.equal((await ask({ principal: iamUser(OWNER, 'carol'), action: 's3:GetObject', key: 'k', resource: exceptAlice, identity: [everything] })).effect, 'Deny');
    assert.equal((await ask({ principal: root(OWNER), action: 's3:GetObject', key: 'k', resource: exceptAlice })).effect, 'Allow');
    assert.equal((await ask({ principal: ANON, action: 's3:GetObject', key: 'k', resource: exceptAlice })).reason, 'ExplicitDeny');
  });

  it('listing only the user (not its account) does not exclude it, as AWS documents', async () => {
    const onlyUser = bucketPolicy({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${OWNER}:user/alice` }, Action: 's3:*', Resource: OBJECTS }],
    });
    assert.equal((await ask({ principal: alice, action: 's3:GetObject', key: 'k', resource: onlyUser, identity: [everything] })).effect, 'Deny');
  });
});

describe('service-level actions', () => {
  it('with no resource owner, the principal acts on its own account', async () => {
    const list = userPolicy({ Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] });
    const run = (p: PolicyPrincipal, identity = [list]) =>
      evaluate({ action: 's3:ListAllMyBuckets', resource: '*', context: context(p) }, { identity, resource: undefined });
    assert.equal((await run(alice)).effect, 'Allow');
    assert.equal((await run(alice, [])).effect, 'Deny');
    assert.equal((await run(root(OWNER), [])).effect, 'Allow');
    assert.equal((await run(ANON)).effect, 'Deny');
  });
});
