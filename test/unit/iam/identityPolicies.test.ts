import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { UserPrincipal } from '../../../src/core/identity/Principal.js';
import { IdentityPolicies } from '../../../src/iam/IdentityPolicies.js';
import { SqliteIamStore } from '../../../src/storage/metadata/sqlite/iam/SqliteIamStore.js';
import { SqliteDatabase } from '../../../src/storage/metadata/sqlite/SqliteDatabase.js';
import { SqliteMetadataStore } from '../../../src/storage/metadata/sqlite/SqliteMetadataStore.js';

const ACCT = '123456789012';
const T0 = new Date('2025-01-01T00:00:00Z');
const doc = (action: string): string => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

function principal(extra: Partial<UserPrincipal>): UserPrincipal {
  return { kind: 'user', accountId: ACCT, canonicalId: 'c'.repeat(64), displayName: 'x', arn: 'arn', isRoot: false, accessKeyId: 'AKIA', ...extra };
}

void describe('IdentityPolicies: policiesOf (S3 authorizer) and roleByArn (batch jobs)', () => {
  let dir: string;
  let metadata: SqliteMetadataStore;
  let policies: IdentityPolicies;
  let store: SqliteIamStore;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-idpol-'));
    const database = await SqliteDatabase.open(dir);
    metadata = new SqliteMetadataStore(database, true);
    store = new SqliteIamStore(database);
    policies = new IdentityPolicies(store);
    await store.createUser({ accountId: ACCT, userName: 'bob', userId: 'AIDABOB', path: '/', createdAt: T0, tags: [] });
    await store.createRole({ accountId: ACCT, roleName: 'batch', roleId: 'AROAB', path: '/jobs/', trustPolicy: '{"t":1}', maxSessionDuration: 3600, createdAt: T0, tags: [] });
    await store.putInlinePolicy(ACCT, { kind: 'user', name: 'bob' }, 'inline', doc('s3:GetObject'));
    await store.putInlinePolicy(ACCT, { kind: 'role', name: 'batch' }, 'inline', doc('s3:PutObjectTagging'));
    const managed = { accountId: ACCT, policyName: 'm', policyId: 'ANPAM', path: '/', arn: `arn:aws:iam::${ACCT}:policy/m`, document: doc('s3:ListBucket'), createdAt: T0, updatedAt: T0, attachmentCount: 0 };
    await store.createPolicy(managed);
    await store.attachPolicy(ACCT, { kind: 'user', name: 'bob' }, managed.arn);
    await store.attachPolicy(ACCT, { kind: 'role', name: 'batch' }, managed.arn);
  });
  after(async () => {
    await metadata.close();
    await rm(dir, { recursive: true, force: true });
  });

  void it('a user: inline then attached policies; root: none', async () => {
    assert.deepEqual(await policies.policiesOf(principal({ userName: 'bob' })), [doc('s3:GetObject'), doc('s3:ListBucket')]);
    assert.deepEqual(await policies.policiesOf(principal({ isRoot: true })), []);
    assert.deepEqual(await policies.policiesOf(principal({ userName: 'nobody' })), []);
  });

  void it('policiesInMemory: null until policiesOf read them, then the same frozen list; null again after an IAM write', async () => {
    const carol = principal({ userName: 'bob', arn: 'arn:carol-session' });
    const fresh = new IdentityPolicies(store);
    assert.equal(fresh.policiesInMemory(carol), null);
    const read = await fresh.policiesOf(carol);
    assert.equal(fresh.policiesInMemory(carol), read);
    assert.ok(Object.isFrozen(read));
    assert.deepEqual(fresh.policiesInMemory(principal({ isRoot: true })), []);
    await store.putInlinePolicy(ACCT, { kind: 'user', name: 'bob' }, 'extra', doc('s3:PutObject'));
    assert.equal(fresh.policiesInMemory(carol), null);
    assert.deepEqual(await fresh.policiesOf(carol), [doc('s3:PutObject'), doc('s3:GetObject'), doc('s3:ListBucket')]);
    assert.deepEqual(fresh.policiesInMemory(carol), [doc('s3:PutObject'), doc('s3:GetObject'), doc('s3:ListBucket')]);
    await store.deleteInlinePolicy(ACCT, { kind: 'user', name: 'bob' }, 'extra');
  });

  void it('policiesInMemory answers each principal with its own list, alternating or not', async () => {
    const bob = principal({ userName: 'bob' });
    const session = principal({
      role: { arn: `arn:aws:iam::${ACCT}:role/jobs/batch`, roleName: 'batch', roleId: 'AROAB', sessionName: 's', expiresAt: T0 },
    });
    const fresh = new IdentityPolicies(store);
    const bobs = await fresh.policiesOf(bob);
    const sessions = await fresh.policiesOf(session);
    for (const who of [bob, bob, session, session, bob, session]) {
      assert.equal(fresh.policiesInMemory(who), who === bob ? bobs : sessions);
    }
    await store.putInlinePolicy(ACCT, { kind: 'user', name: 'bob' }, 'extra', doc('s3:PutObject'));
    assert.equal(fresh.policiesInMemory(bob), null, 'the principal answered last is asked afresh after a write');
    await store.deleteInlinePolicy(ACCT, { kind: 'user', name: 'bob' }, 'extra');
  });

  void it('a role session: its role’s policies', async () => {
    const session = principal({
      role: { arn: `arn:aws:iam::${ACCT}:role/jobs/batch`, roleName: 'batch', roleId: 'AROAB', sessionName: 's', expiresAt: T0 },
    });
    assert.deepEqual(await policies.policiesOf(session), [doc('s3:PutObjectTagging'), doc('s3:ListBucket')]);
  });

  void it('roleByArn: the role with its trust policy and permission policies; the path must match', async () => {
    const role = await policies.roleByArn(`arn:aws:iam::${ACCT}:role/jobs/batch`);
    assert.deepEqual(role, {
      accountId: ACCT,
      roleName: 'batch',
      arn: `arn:aws:iam::${ACCT}:role/jobs/batch`,
      trustPolicy: '{"t":1}',
      policies: [doc('s3:PutObjectTagging'), doc('s3:ListBucket')],
    });
    assert.equal(await policies.roleByArn(`arn:aws:iam::${ACCT}:role/batch`), undefined);
    assert.equal(await policies.roleByArn(`arn:aws:iam::${ACCT}:role/jobs/none`), undefined);
    assert.equal(await policies.roleByArn('not-an-arn'), undefined);
  });
});
