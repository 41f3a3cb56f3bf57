import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { canonicalIdOf } from '../../../src/core/identity/canonicalId.js';
import { IdentityService } from '../../../src/core/identity/IdentityService.js';
import type { UserPrincipal } from '../../../src/core/identity/Principal.js';
import { IamCredentials } from '../../../src/iam/IamCredentials.js';
import { IdentityPolicies } from '../../../src/iam/IdentityPolicies.js';
import { S3Error } from '../../../src/errors/S3Error.js';
import { SqliteIamStore } from '../../../src/storage/metadata/sqlite/iam/SqliteIamStore.js';
import { SqliteDatabase } from '../../../src/storage/metadata/sqlite/SqliteDatabase.js';
import { SqliteMetadataStore } from '../../../src/storage/metadata/sqlite/SqliteMetadataStore.js';
import { withReadCaches } from '../../../src/storage/cache/withReadCaches.js';

const ACCT = '123456789012';
const T0 = new Date('2025-06-01T00:00:00Z');
const doc = (action: string): string => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
const bob: UserPrincipal = { kind: 'user', accountId: ACCT, canonicalId: 'c'.repeat(64), displayName: 'x', arn: 'arn', isRoot: false, accessKeyId: 'AKIABOB', userName: 'bob' };

void describe('identity caches: resolved keys and policies follow every identity write', () => {
  let dir: string;
  let metadata: SqliteMetadataStore;
  let store: SqliteIamStore;
  let identity: IdentityService;
  let policies: IdentityPolicies;
  let now = T0;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-idcache-'));
    const database = await SqliteDatabase.open(dir);
    metadata = new SqliteMetadataStore(database, true);
    store = new SqliteIamStore(database);
    policies = new IdentityPolicies(store);
    const account = { id: ACCT, canonicalId: canonicalIdOf(ACCT), displayName: 'main', createdAt: T0 };
    await metadata.createAccount(account);
    const cached = withReadCaches(metadata, metadata.writeSignal);
    identity = new IdentityService(cached, { account, credentials: { accessKeyId: 'ROOT', secretAccessKey: 'rootsecret' } });
    identity.addCredentialSource(new IamCredentials(store, cached, identity, () => now));
    await store.createUser({ accountId: ACCT, userName: 'bob', userId: 'AIDABOB', path: '/', createdAt: T0, tags: [] });
    await store.createAccessKey({ accessKeyId: 'AKIABOB', secretAccessKey: 'bobsecret', accountId: ACCT, userName: 'bob', status: 'Active', createdAt: T0 }, 2);
    await store.createRole({ accountId: ACCT, roleName: 'runner', roleId: 'AROARUN', path: '/', trustPolicy: '{}', maxSessionDuration: 3600, createdAt: T0, tags: [] });
  });

  after(async () => {
    await metadata.close();
    await rm(dir, { recursive: true, force: true });
  });

  void it('the revision moves with IAM writes, access key and account writes, not with object writes', async () => {
    const before = store.revision();
    await metadata.createBucket({ name: 'b1', ownerAccountId: ACCT, createdAt: T0, versioning: 'Unversioned', region: 'us-east-1' });
    assert.equal(store.revision(), before);
    await store.putInlinePolicy(ACCT, { kind: 'user', name: 'bob' }, 'x', doc('s3:GetObject'));
    const afterIam = store.revision();
    assert.notEqual(afterIam, before);
    await metadata.putAccessKey({ accessKeyId: 'AKIAPLAIN', secretAccessKey: 's', accountId: ACCT, status: 'Active', createdAt: T0 });
    assert.notEqual(store.revision(), afterIam);
    await store.deleteInlinePolicy(ACCT, { kind: 'user', name: 'bob' }, 'x');
  });

  void it('a key status change and deletion are seen by the next resolve', async () => {
    assert.equal((await identity.resolve('AKIABOB'))?.active, true);
    assert.equal((await identity.resolve('AKIABOB'))?.active, true);
    await store.setAccessKeyStatus(ACCT, 'bob', 'AKIABOB', 'Inactive');
    assert.equal((await identity.resolve('AKIABOB'))?.active, false);
    await store.setAccessKeyStatus(ACCT, 'bob', 'AKIABOB', 'Active');
    assert.equal((await identity.resolve('AKIABOB'))?.active, true);
  });

  void it('plain keys (the metadata store’s key table) follow putAccessKey', async () => {
    await metadata.putAccessKey({ accessKeyId: 'AKIAPLAIN2', secretAccessKey: 'one', accountId: ACCT, status: 'Active', createdAt: T0 });
    assert.equal((await identity.resolve('AKIAPLAIN2'))?.secretAccessKey, 'one');
    assert.equal((await identity.resolve('AKIAPLAIN2'))?.secretAccessKey, 'one');
    await metadata.putAccessKey({ accessKeyId: 'AKIAPLAIN2', secretAccessKey: 'two', accountId: ACCT, status: 'Inactive', createdAt: T0 });
    const key = await identity.resolve('AKIAPLAIN2');
    assert.equal(key?.secretAccessKey, 'two');
    assert.equal(key?.active, false);
    assert.equal(await identity.resolve('AKIANOTYET'), undefined);
    await metadata.putAccessKey({ accessKeyId: 'AKIANOTYET', secretAccessKey: 'new', accountId: ACCT, status: 'Active', createdAt: T0 });
    assert.equal((await identity.resolve('AKIANOTYET'))?.secretAccessKey, 'new');
  });

  void it('a session created after an unknown-key lookup resolves; a cached session still expires on time', async () => {
    now = T0;
    assert.equal(await identity.resolve('ASIALATER'), undefined);
    await store.putSession({
      accessKeyId: 'ASIALATER',
      secretAccessKey: 'sessionsecret',
      sessionToken: 'tok',
      accountId: ACCT,
      roleName: 'runner',
      roleId: 'AROARUN',
      sessionName: 's',
      expiresAt: new Date(T0.getTime() + 900_000),
      createdAt: T0,
    });
    assert.equal((await identity.resolve('ASIALATER'))?.sessionToken, 'tok');
    now = new Date(T0.getTime() + 899_999);
    assert.equal((await identity.resolve('ASIALATER'))?.sessionToken, 'tok');
    now = new Date(T0.getTime() + 900_000);
    await assert.rejects(identity.resolve('ASIALATER'), (e: unknown) => e instanceof S3Error && e.code === 'ExpiredToken');
    now = T0;
  });

  void it('policies: the same frozen list while nothing changes; put, attach, detach and delete are seen next time', async () => {
    const first = await policies.policiesOf(bob);
    assert.deepEqual(first, []);
    assert.equal(await policies.policiesOf(bob), first);
    await store.putInlinePolicy(ACCT, { kind: 'user', name: 'bob' }, 'inline', doc('s3:GetObject'));
    const second = await policies.policiesOf(bob);
    assert.deepEqual(second, [doc('s3:GetObject')]);
    assert.ok(Object.isFrozen(second));
    assert.equal(await policies.policiesOf(bob), second);
    const arn = `arn:aws:iam::${ACCT}:policy/m`;
    await store.createPolicy({ accountId: ACCT, policyName: 'm', policyId: 'ANPAM', path: '/', arn, document: doc('s3:ListBucket'), createdAt: T0, updatedAt: T0, attachmentCount: 0 });
    await store.attachPolicy(ACCT, { kind: 'user', name: 'bob' }, arn);
    assert.deepEqual(await policies.policiesOf(bob), [doc('s3:GetObject'), doc('s3:ListBucket')]);
    await store.detachPolicy(ACCT, { kind: 'user', name: 'bob' }, arn);
    assert.deepEqual(await policies.policiesOf(bob), [doc('s3:GetObject')]);
    await store.deletePolicy(arn);
    await store.putInlinePolicy(ACCT, { kind: 'user', name: 'bob' }, 'inline', doc('s3:PutObject'));
    assert.deepEqual(await policies.policiesOf(bob), [doc('s3:PutObject')]);
    await store.deleteInlinePolicy(ACCT, { kind: 'user', name: 'bob' }, 'inline');
    assert.deepEqual(await policies.policiesOf(bob), []);
    // holderPolicies hands out a copy the caller may change
    const copy = await policies.holderPolicies(ACCT, { kind: 'user', name: 'bob' });
    copy.push('x');
    assert.deepEqual(await policies.policiesOf(bob), []);
  });
});
