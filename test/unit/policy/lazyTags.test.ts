import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PolicyContextNotLoadedError, type Policy } from '../../../src/policy/engine/index.js';
import { ANON, ask, BUCKET, bucketPolicy, context, iamUser, OTHER, OWNER, root, tagLoader, tags, userPolicy } from './helpers.js';

const alice = iamUser(OWNER, 'alice');
const OBJECTS = `arn:aws:s3:::${BUCKET}/*`;
const PUBLIC = { StringEquals: { 's3:ExistingObjectTag/security': 'public' } };

function policyOf(...statements: Record<string, unknown>[]): Policy {
  return userPolicy({ Version: '2012-10-17', Statement: statements });
}

async function loads(policies: { identity?: Policy[]; resource?: Policy }, action: string, key: string | undefined, principal = alice, extras = {}) {
  const loader = tagLoader(tags({ security: 'public' }));
  const d = await ask({ principal, action, key, ...policies, extras: { existingObjectTags: loader.load, ...extras } });
  return { effect: d.effect, reason: d.reason, calls: loader.calls };
}

describe('existing object tags are loaded only when an applicable statement needs them', () => {
  it('no statement has a tag condition', async () => {
    const r = await loads({ identity: [policyOf({ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS })] }, 's3:GetObject', 'k');
    assert.deepEqual(r, { effect: 'Allow', reason: 'Allowed', calls: 0 });
  });

  it('the tag statement is for another action', async () => {
    const p = policyOf({ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS, Condition: PUBLIC });
    assert.equal((await loads({ identity: [p] }, 's3:GetObjectAcl', 'k')).calls, 0);
  });

  it('the tag statement is for another resource', async () => {
    const p = policyOf({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${OBJECTS.slice(0, -1)}public/*`, Condition: PUBLIC });
    assert.equal((await loads({ identity: [p] }, 's3:GetObject', 'private/k')).calls, 0);
  });

  it('the tag statement is for another principal', async () => {
    const p = bucketPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:user/bob` }, Action: 's3:GetObject', Resource: OBJECTS, Condition: PUBLIC }] });
    assert.equal((await loads({ resource: p }, 's3:GetObject', 'k')).calls, 0);
  });

  it('another condition of the same statement is already false', async () => {
    const p = policyOf({ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS, Condition: { ...PUBLIC, Bool: { 'aws:SecureTransport': 'true' } } });
    const r = await loads({ identity: [p] }, 's3:GetObject', 'k', alice, { secureTransport: false });
    assert.deepEqual(r, { effect: 'Deny', reason: 'ImplicitDeny', calls: 0 });
  });

  it('another statement already allows and no Deny depends on tags', async () => {
    const p = policyOf(
      { Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS, Condition: PUBLIC },
    );
    assert.deepEqual(await loads({ identity: [p] }, 's3:GetObject', 'k'), { effect: 'Allow', reason: 'Allowed', calls: 0 });
  });

  it('an explicit Deny already applies', async () => {
    const p = policyOf(
      { Effect: 'Deny', Action: 's3:*', Resource: '*' },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS, Condition: PUBLIC },
    );
    assert.deepEqual(await loads({ identity: [p] }, 's3:GetObject', 'k'), { effect: 'Deny', reason: 'ExplicitDeny', calls: 0 });
  });

  it('nothing could allow, even if the tag-conditioned Deny applied', async () => {
    const p = policyOf({ Effect: 'Deny', Action: 's3:GetObject', Resource: OBJECTS, Condition: PUBLIC });
    assert.deepEqual(await loads({ identity: [p] }, 's3:GetObject', 'k'), { effect: 'Deny', reason: 'ImplicitDeny', calls: 0 });
  });

  it('across accounts, when the other side cannot allow anyway', async () => {
    const bob = iamUser(OTHER, 'bob');
    const p = bucketPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: OBJECTS, Condition: PUBLIC }] });
    const r = await loads({ resource: p }, 's3:GetObject', 'k', bob);
    assert.deepEqual(r, { effect: 'Deny', reason: 'ImplicitDeny', calls: 0 });
  });

  it('the action does not evaluate existing tags (DeleteObject, GetObjectAttributes)', async () => {
    const p = policyOf({ Effect: 'Allow', Action: 's3:*', Resource: OBJECTS, Condition: PUBLIC });
    assert.deepEqual(await loads({ identity: [p] }, 's3:DeleteObject', 'k'), { effect: 'Deny', reason: 'ImplicitDeny', calls: 0 });
    assert.deepEqual(await loads({ identity: [p] }, 's3:GetObjectAttributes', 'k'), { effect: 'Deny', reason: 'ImplicitDeny', calls: 0 });
    assert.deepEqual(await loads({ identity: [p] }, 's3:GetObjectTagging', 'k'), { effect: 'Allow', reason: 'Allowed', calls: 1 });
  });

  it("the owner's root user, with no tag-conditioned Deny", async () => {
    const p = bucketPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: OBJECTS, Condition: PUBLIC }] });
    assert.deepEqual(await loads({ resource: p }, 's3:GetObject', 'k', root(OWNER)), { effect: 'Allow', reason: 'OwnerRoot', calls: 0 });
  });
});

describe('…and loaded, once, when the outcome depends on them', () => {
  it('an Allow conditioned on tags', async () => {
    const p = policyOf({ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS, Condition: PUBLIC });
    assert.deepEqual(await loads({ identity: [p] }, 's3:GetObject', 'k'), { effect: 'Allow', reason: 'Allowed', calls: 1 });
  });

  it('a Deny conditioned on tags must be checked even when an Allow is certain', async () => {
    const p = policyOf(
      { Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS },
      { Effect: 'Deny', Action: 's3:GetObject', Resource: OBJECTS, Condition: PUBLIC },
    );
    assert.deepEqual(await loads({ identity: [p] }, 's3:GetObject', 'k'), { effect: 'Deny', reason: 'ExplicitDeny', calls: 1 });
  });

  it("a tag-conditioned Deny against the owner's root user", async () => {
    const p = bucketPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: OBJECTS, Condition: PUBLIC }] });
    assert.deepEqual(await loads({ resource: p }, 's3:GetObject', 'k', root(OWNER)), { effect: 'Deny', reason: 'ExplicitDeny', calls: 1 });
  });

  it('several statements and policies needing the tags share one load', async () => {
    const a = policyOf({ Sid: 'A', Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS, Condition: PUBLIC });
    const b = policyOf({ Sid: 'B', Effect: 'Deny', Action: 's3:GetObject', Resource: OBJECTS, Condition: { StringEquals: { 's3:ExistingObjectTag/security': 'secret' } } });
    const r = bucketPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: OBJECTS, Condition: PUBLIC }] });
    assert.deepEqual(await loads({ identity: [a, b], resource: r }, 's3:GetObject', 'k', alice), { effect: 'Allow', reason: 'Allowed', calls: 1 });
    assert.deepEqual(await loads({ resource: r }, 's3:GetObject', 'k', ANON), { effect: 'Allow', reason: 'Allowed', calls: 1 });
  });

  it('tags given up front need no loader', async () => {
    const p = policyOf({ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS, Condition: PUBLIC });
    const d = await ask({ principal: alice, action: 's3:GetObject', key: 'k', identity: [p], extras: { existingObjectTags: tags({ security: 'public' }) } });
    assert.equal(d.effect, 'Allow');
  });

  it('without any source of existing tags the key is absent', async () => {
    const p = policyOf({ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS, Condition: PUBLIC });
    assert.equal((await ask({ principal: alice, action: 's3:GetObject', key: 'k', identity: [p] })).effect, 'Deny');
    const absent = policyOf({ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS, Condition: { Null: { 's3:ExistingObjectTag/security': 'true' } } });
    assert.equal((await ask({ principal: alice, action: 's3:GetObject', key: 'k', identity: [absent] })).effect, 'Allow');
  });

  it('a failing loader fails the evaluation (the caller answers InternalError)', async () => {
    const p = policyOf({ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS, Condition: PUBLIC });
    await assert.rejects(
      ask({ principal: alice, action: 's3:GetObject', key: 'k', identity: [p], extras: { existingObjectTags: () => Promise.reject(new Error('disk on fire')) } }),
      /disk on fire/,
    );
  });

  it('bucket tags (aws:ResourceTag) can be lazy too', async () => {
    const loader = tagLoader(tags({ env: 'prod' }));
    const p = policyOf({ Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}`, Condition: { StringEquals: { 'aws:ResourceTag/env': 'prod' } } });
    const d = await ask({ principal: alice, action: 's3:ListBucket', identity: [p], extras: { bucketTags: loader.load } });
    assert.equal(d.effect, 'Allow');
    assert.equal(loader.calls, 1);
  });
});

describe('RequestContext.get and load', () => {
  it('get() refuses a lazy key before load() and answers after', async () => {
    const loader = tagLoader(tags({ security: 'public' }));
    const ctx = context(alice, { existingObjectTags: loader.load });
    assert.throws(() => ctx.get('s3:ExistingObjectTag/security'), PolicyContextNotLoadedError);
    await Promise.all([ctx.load('existingObjectTags'), ctx.load('existingObjectTags')]);
    assert.deepEqual(ctx.get('s3:ExistingObjectTag/security'), ['public']);
    assert.equal(ctx.get('s3:ExistingObjectTag/Security'), undefined);
    assert.equal(loader.calls, 1);
  });
});
