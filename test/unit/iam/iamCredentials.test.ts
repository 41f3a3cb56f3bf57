import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { canonicalIdOf } from '../../../src/core/identity/canonicalId.js';
import { IdentityService } from '../../../src/core/identity/IdentityService.js';
import { IamCredentials } from '../../../src/iam/IamCredentials.js';
import { resolveCredential } from '../../../src/s3/auth/resolveCredential.js';
import { S3Error } from '../../../src/errors/S3Error.js';
import { SqliteIamStore } from '../../../src/storage/metadata/sqlite/iam/SqliteIamStore.js';
import { SqliteDatabase } from '../../../src/storage/metadata/sqlite/SqliteDatabase.js';
import { SqliteMetadataStore } from '../../../src/storage/metadata/sqlite/SqliteMetadataStore.js';

const ACCT = '123456789012';
const T0 = new Date('2025-06-01T00:00:00Z');

void describe('IamCredentials: IAM user keys and role sessions for authentication', () => {
  let dir: string;
  let metadata: SqliteMetadataStore;
  let store: SqliteIamStore;
  let identity: IdentityService;
  let now = T0;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-iamcred-'));
    const database = await SqliteDatabase.open(dir);
    metadata = new SqliteMetadataStore(database, true);
    store = new SqliteIamStore(database);
    const account = { id: ACCT, canonicalId: canonicalIdOf(ACCT), displayName: 'main', createdAt: T0 };
    await metadata.createAccount(account);
    identity = new IdentityService(metadata, { account, credentials: { accessKeyId: 'ROOT', secretAccessKey: 'rootsecret' } });
    identity.addCredentialSource(new IamCredentials(store, metadata, identity, () => now));
    await store.createUser({ accountId: ACCT, userName: 'bob', userId: 'AIDABOB', path: '/eng/', createdAt: T0, tags: [] });
    await store.createAccessKey({ accessKeyId: 'AKIABOB', secretAccessKey: 'bobsecret', accountId: ACCT, userName: 'bob', status: 'Active', createdAt: T0 }, 2);
    await store.createRole({ accountId: ACCT, roleName: 'runner', roleId: 'AROARUN', path: '/svc/', trustPolicy: '{}', maxSessionDuration: 3600, createdAt: T0, tags: [] });
    await store.putSession({
      accessKeyId: 'ASIASESSION',
      secretAccessKey: 'sessionsecret',
      sessionToken: 'the-token',
      accountId: ACCT,
      roleName: 'runner',
      roleId: 'AROARUN',
      sessionName: 'job-1',
      expiresAt: new Date(T0.getTime() + 900_000),
      createdAt: T0,
    });
  });

  after(async () => {
    await metadata.close();
    await rm(dir, { recursive: true, force: true });
  });

  void it('an IAM user key resolves to the user with its path and unique id', async () => {
    const key = await identity.resolve('AKIABOB');
    assert.equal(key?.secretAccessKey, 'bobsecret');
    assert.equal(key?.principal.kind, 'user');
    if (key?.principal.kind !== 'user') return;
    assert.equal(key.principal.arn, `arn:aws:iam::${ACCT}:user/eng/bob`);
    assert.equal(key.principal.userId, 'AIDABOB');
    assert.equal(key.principal.isRoot, false);
  });

  void it('a session key resolves to the assumed-role principal and needs its token', async () => {
    now = new Date(T0.getTime() + 60_000);
    const cred = await resolveCredential(identity, 'ASIASESSION', 'the-token');
    assert.equal(cred.sessionToken, 'the-token');
    assert.equal(cred.principal.kind === 'user' ? cred.principal.arn : '', `arn:aws:sts::${ACCT}:assumed-role/runner/job-1`);
    assert.equal(cred.principal.kind === 'user' ? cred.principal.role?.arn : '', `arn:aws:iam::${ACCT}:role/svc/runner`);
    await assert.rejects(resolveCredential(identity, 'ASIASESSION', undefined), (e: unknown) => e instanceof S3Error && e.code === 'InvalidAccessKeyId');
    await assert.rejects(resolveCredential(identity, 'ASIASESSION', 'wrong-token'), (e: unknown) => e instanceof S3Error && e.code === 'InvalidToken');
  });

  void it('an expired session is ExpiredToken', async () => {
    now = new Date(T0.getTime() + 900_000);
    await assert.rejects(resolveCredential(identity, 'ASIASESSION', 'the-token'), (e: unknown) => e instanceof S3Error && e.code === 'ExpiredToken');
  });

  void it('a remembered key is answered synchronously (resolveNow) until an IAM write, and IdentityService takes it so', async () => {
    now = T0;
    const credentials = new IamCredentials(store, metadata, identity, () => now);
    assert.equal(credentials.resolveNow('AKIABOB'), null, 'not remembered before a first resolve');
    const resolved = await credentials.resolve('AKIABOB');
    assert.equal(credentials.resolveNow('AKIABOB'), resolved);
    assert.equal(credentials.resolveNow('AKIAOTHER'), null);
    await store.createUser({ accountId: ACCT, userName: 'carol', userId: 'AIDACAROL', path: '/', createdAt: T0, tags: [] });
    assert.equal(credentials.resolveNow('AKIABOB'), null, 'an IAM write moves the revision: read afresh');
    assert.equal((await credentials.resolve('AKIABOB'))?.secretAccessKey, 'bobsecret');

    // a source that remembers the key is answered without its async resolve; one that does not, through it
    const account = { id: ACCT, canonicalId: canonicalIdOf(ACCT), displayName: 'main', createdAt: T0 };
    const service = new IdentityService(metadata, { account, credentials: { accessKeyId: 'ROOT', secretAccessKey: 'rootsecret' } });
    let asyncCalls = 0;
    let remembered: Awaited<ReturnType<IamCredentials['resolve']>> | null = null;
    service.addCredentialSource({
      resolve: (id) => {
        asyncCalls++;
        return credentials.resolve(id);
      },
      resolveNow: () => remembered,
    });
    assert.equal((await service.resolve('AKIABOB'))?.secretAccessKey, 'bobsecret');
    assert.equal(asyncCalls, 1);
    remembered = credentials.resolveNow('AKIABOB');
    assert.notEqual(remembered, null);
    assert.equal(await service.resolve('AKIABOB'), remembered);
    assert.equal(asyncCalls, 1, 'answered from resolveNow');
    assert.equal((await service.resolve('ROOT'))?.principal.kind === 'user', true);
    assert.equal(asyncCalls, 1, 'the root key never asks a source');
  });

  void it('unknown keys fall through to the key table (root keys of other accounts)', async () => {
    assert.equal(await identity.resolve('ASIAUNKNOWN'), undefined);
    assert.equal(await identity.resolve('AKIANOBODY'), undefined);
  });
});
