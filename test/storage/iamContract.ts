import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetadataStore } from '../../src/core/ports/MetadataStore.js';
import type { IamRole, IamStore, IamUser, ManagedPolicy, RoleSession } from '../../src/core/ports/IamStore.js';

/** One IamStore under test, fresh and empty, with the MetadataStore sharing its backend (for access keys). */
export interface IamFixture {
  readonly store: IamStore;
  readonly metadata: MetadataStore;
  /** Close and open again over the same data (omit when the backend cannot). */
  reopen?(): Promise<{ store: IamStore; metadata: MetadataStore }>;
  dispose(): Promise<void>;
}

export interface IamContractTarget {
  create(): Promise<IamFixture>;
  readonly skip?: string;
}

const ACCT = '111122223333';
const OTHER = '444455556666';
const T0 = new Date('2025-01-02T03:04:05.000Z');
const DOC = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';

export function user(name: string, extra: Partial<IamUser> = {}): IamUser {
  return { accountId: ACCT, userName: name, userId: `AIDA${name.toUpperCase().padEnd(17, 'X')}`, path: '/', createdAt: T0, tags: [], ...extra };
}

export function role(name: string, extra: Partial<IamRole> = {}): IamRole {
  return {
    accountId: ACCT,
    roleName: name,
    roleId: `AROA${name.toUpperCase().padEnd(17, 'X')}`,
    path: '/',
    trustPolicy: '{"Statement":[]}',
    maxSessionDuration: 3600,
    createdAt: T0,
    tags: [],
    ...extra,
  };
}

export function policy(name: string, extra: Partial<ManagedPolicy> = {}): ManagedPolicy {
  return {
    accountId: ACCT,
    policyName: name,
    policyId: `ANPA${name.toUpperCase().padEnd(17, 'X')}`,
    path: '/',
    arn: `arn:aws:iam::${ACCT}:policy/${name}`,
    document: DOC,
    createdAt: T0,
    updatedAt: T0,
    attachmentCount: 0,
    ...extra,
  };
}

function key(id: string, userName: string) {
  return { accessKeyId: id, secretAccessKey: `secret-${id}`, accountId: ACCT, userName, status: 'Active' as const, createdAt: T0 };
}

/** The behaviour every IamStore backend must have. */
export function runIamContract(name: string, target: IamContractTarget): void {
  const test = (title: string, body: (store: IamStore, fixture: IamFixture) => Promise<void>): void => {
    void it(title, async () => {
      const fixture = await target.create();
      try {
        await body(fixture.store, fixture);
      } finally {
        await fixture.dispose();
      }
    });
  };

  void describe(`IamStore contract: ${name}`, { skip: target.skip ?? false }, () => {
    test('users: create, get (case-insensitive), list sorted, duplicate names regardless of case', async (store) => {
      assert.equal(await store.createUser(user('bob', { tags: [{ key: 'team', value: 'a' }, { key: 'cost', value: '1' }] })), 'created');
      assert.equal(await store.createUser(user('Alice', { path: '/eng/' })), 'created');
      assert.equal(await store.createUser(user('BOB', { userId: 'AIDAOTHEROTHEROTHER' })), 'exists');
      const bob = await store.getUser(ACCT, 'Bob');
      assert.equal(bob?.userName, 'bob');
      assert.deepEqual(bob?.tags, [{ key: 'cost', value: '1' }, { key: 'team', value: 'a' }].sort((a, b) => a.key.localeCompare(b.key)));
      assert.equal(bob?.createdAt.getTime(), T0.getTime());
      assert.deepEqual((await store.listUsers(ACCT)).map((u) => [u.userName, u.path]), [['Alice', '/eng/'], ['bob', '/']]);
      assert.equal(await store.getUser(OTHER, 'bob'), undefined);
      assert.deepEqual(await store.listUsers(OTHER), []);
    });

    test('users of different accounts are separate namespaces', async (store) => {
      assert.equal(await store.createUser(user('carol')), 'created');
      assert.equal(await store.createUser(user('carol', { accountId: OTHER, userId: 'AIDAOTHERCAROLXXXXX' })), 'created');
      assert.equal((await store.getUser(OTHER, 'carol'))?.userId, 'AIDAOTHERCAROLXXXXX');
    });

    test('access keys: at most max per user, status updates, delete; a missing user is reported', async (store, fixture) => {
      await store.createUser(user('dan'));
      assert.equal(await store.createAccessKey(key('AKIA1', 'DAN'), 2), 'created');
      assert.equal(await store.createAccessKey(key('AKIA2', 'dan'), 2), 'created');
      assert.equal(await store.createAccessKey(key('AKIA3', 'dan'), 2), 'limit');
      assert.equal(await store.createAccessKey(key('AKIA4', 'nobody'), 2), 'missing-user');
      assert.deepEqual((await store.listAccessKeys(ACCT, 'dan')).map((k) => [k.accessKeyId, k.userName]), [['AKIA1', 'dan'], ['AKIA2', 'dan']]);
      // the keys are the ones authentication finds
      assert.equal((await fixture.metadata.getAccessKey('AKIA1'))?.userName, 'dan');
      assert.equal(await store.setAccessKeyStatus(ACCT, 'dan', 'AKIA1', 'Inactive'), 'ok');
      assert.equal((await fixture.metadata.getAccessKey('AKIA1'))?.status, 'Inactive');
      assert.equal(await store.setAccessKeyStatus(ACCT, 'dan', 'AKIA9', 'Inactive'), 'missing');
      assert.equal(await store.setAccessKeyStatus(OTHER, 'dan', 'AKIA1', 'Active'), 'missing');
      assert.equal(await store.deleteAccessKey(ACCT, 'dan', 'AKIA1'), 'deleted');
      assert.equal(await store.deleteAccessKey(ACCT, 'dan', 'AKIA1'), 'missing');
      assert.equal(await fixture.metadata.getAccessKey('AKIA1'), undefined);
    });

    test('deleteUser: refused while keys, inline or attached policies remain', async (store) => {
      await store.createUser(user('erin'));
      await store.createAccessKey(key('AKIAE', 'erin'), 2);
      await store.putInlinePolicy(ACCT, { kind: 'user', name: 'erin' }, 'p', DOC);
      await store.createPolicy(policy('mp'));
      await store.attachPolicy(ACCT, { kind: 'user', name: 'erin' }, policy('mp').arn);
      assert.equal(await store.deleteUser(ACCT, 'erin'), 'has-access-keys');
      await store.deleteAccessKey(ACCT, 'erin', 'AKIAE');
      assert.equal(await store.deleteUser(ACCT, 'erin'), 'has-inline-policies');
      await store.deleteInlinePolicy(ACCT, { kind: 'user', name: 'erin' }, 'p');
      assert.equal(await store.deleteUser(ACCT, 'erin'), 'has-attached-policies');
      await store.detachPolicy(ACCT, { kind: 'user', name: 'erin' }, policy('mp').arn);
      assert.equal(await store.deleteUser(ACCT, 'ERIN'), 'deleted');
      assert.equal(await store.deleteUser(ACCT, 'erin'), 'missing');
      assert.equal(await store.getUser(ACCT, 'erin'), undefined);
    });

    test('inline policies of users and roles: put replaces, list sorted, holder must exist', async (store) => {
      await store.createUser(user('fay'));
      await store.createRole(role('fay'));
      const u = { kind: 'user' as const, name: 'fay' };
      const r = { kind: 'role' as const, name: 'fay' };
      assert.equal(await store.putInlinePolicy(ACCT, u, 'b', DOC), 'ok');
      assert.equal(await store.putInlinePolicy(ACCT, u, 'a', '{"x":1}'), 'ok');
      assert.equal(await store.putInlinePolicy(ACCT, u, 'a', '{"x":2}'), 'ok');
      assert.equal(await store.putInlinePolicy(ACCT, r, 'r', DOC), 'ok');
      assert.equal(await store.putInlinePolicy(ACCT, { kind: 'user', name: 'nobody' }, 'a', DOC), 'missing');
      assert.deepEqual(await store.listInlinePolicies(ACCT, u), [{ name: 'a', document: '{"x":2}' }, { name: 'b', document: DOC }]);
      assert.deepEqual((await store.listInlinePolicies(ACCT, r)).map((p) => p.name), ['r']);
      assert.equal(await store.getInlinePolicy(ACCT, u, 'a'), '{"x":2}');
      assert.equal(await store.getInlinePolicy(ACCT, u, 'r'), undefined);
      assert.equal(await store.deleteInlinePolicy(ACCT, u, 'a'), 'deleted');
      assert.equal(await store.deleteInlinePolicy(ACCT, u, 'a'), 'missing');
    });

    test('managed policies: create once, attach to users and roles, count, refuse delete while attached', async (store) => {
      await store.createUser(user('gus'));
      await store.createRole(role('runner'));
      const p = policy('ReadAll', { description: 'reads' });
      assert.equal(await store.createPolicy(p), 'created');
      assert.equal(await store.createPolicy(policy('readall', { arn: `arn:aws:iam::${ACCT}:policy/x/readall`, policyId: 'ANPAOTHER' })), 'exists');
      assert.equal(await store.attachPolicy(ACCT, { kind: 'user', name: 'GUS' }, p.arn), 'ok');
      assert.equal(await store.attachPolicy(ACCT, { kind: 'user', name: 'gus' }, p.arn), 'ok');
      assert.equal(await store.attachPolicy(ACCT, { kind: 'role', name: 'runner' }, p.arn), 'ok');
      assert.equal(await store.attachPolicy(ACCT, { kind: 'role', name: 'nobody' }, p.arn), 'missing-holder');
      assert.equal(await store.attachPolicy(ACCT, { kind: 'role', name: 'runner' }, `${p.arn}2`), 'missing-policy');
      const got = await store.getPolicy(p.arn);
      assert.equal(got?.attachmentCount, 2);
      assert.equal(got?.description, 'reads');
      assert.deepEqual((await store.attachedPolicies(ACCT, { kind: 'user', name: 'gus' })).map((x) => x.arn), [p.arn]);
      assert.deepEqual((await store.listPolicies(ACCT)).map((x) => x.policyName), ['ReadAll']);
      assert.equal(await store.deletePolicy(p.arn), 'conflict');
      assert.equal(await store.detachPolicy(ACCT, { kind: 'user', name: 'gus' }, p.arn), 'ok');
      assert.equal(await store.detachPolicy(ACCT, { kind: 'user', name: 'gus' }, p.arn), 'not-attached');
      assert.equal(await store.detachPolicy(ACCT, { kind: 'role', name: 'runner' }, p.arn), 'ok');
      assert.equal(await store.deletePolicy(p.arn), 'deleted');
      assert.equal(await store.deletePolicy(p.arn), 'missing');
      assert.equal(await store.getPolicy(p.arn), undefined);
    });

    test('roles: create, trust policy update, delete refused while policies remain', async (store) => {
      assert.equal(await store.createRole(role('batch', { description: 'jobs', tags: [{ key: 'k', value: 'v' }] })), 'created');
      assert.equal(await store.createRole(role('BATCH', { roleId: 'AROAOTHER' })), 'exists');
      assert.equal((await store.getRole(ACCT, 'Batch'))?.description, 'jobs');
      assert.deepEqual((await store.getRole(ACCT, 'batch'))?.tags, [{ key: 'k', value: 'v' }]);
      assert.equal(await store.setTrustPolicy(ACCT, 'batch', '{"new":true}'), 'ok');
      assert.equal((await store.getRole(ACCT, 'batch'))?.trustPolicy, '{"new":true}');
      assert.equal(await store.setTrustPolicy(ACCT, 'nobody', '{}'), 'missing');
      await store.putInlinePolicy(ACCT, { kind: 'role', name: 'batch' }, 'p', DOC);
      assert.equal(await store.deleteRole(ACCT, 'batch'), 'has-inline-policies');
      await store.deleteInlinePolicy(ACCT, { kind: 'role', name: 'batch' }, 'p');
      assert.deepEqual((await store.listRoles(ACCT)).map((r) => r.roleName), ['batch']);
      assert.equal(await store.deleteRole(ACCT, 'batch'), 'deleted');
      assert.equal(await store.deleteRole(ACCT, 'batch'), 'missing');
    });

    test('role sessions: stored, found by key id, expired ones removed', async (store) => {
      const session: RoleSession = {
        accessKeyId: 'ASIAAAAA',
        secretAccessKey: 's',
        sessionToken: 'tok',
        accountId: ACCT,
        roleName: 'r',
        roleId: 'AROAR',
        sessionName: 'sess',
        expiresAt: new Date(T0.getTime() + 900_000),
        createdAt: T0,
      };
      await store.putSession(session);
      await store.putSession({ ...session, accessKeyId: 'ASIABBBB', sessionPolicy: '{}', expiresAt: new Date(T0.getTime() + 3_600_000) });
      assert.deepEqual(await store.getSession('ASIAAAAA'), session);
      assert.equal((await store.getSession('ASIABBBB'))?.sessionPolicy, '{}');
      assert.equal(await store.deleteExpiredSessions(new Date(T0.getTime() + 1_000_000)), 1);
      assert.equal(await store.getSession('ASIAAAAA'), undefined);
      assert.notEqual(await store.getSession('ASIABBBB'), undefined);
    });

    test('everything survives a reopen', async (store, fixture) => {
      if (!fixture.reopen) return;
      await store.createUser(user('hal'));
      await store.createRole(role('keeper'));
      await store.createPolicy(policy('kept'));
      await store.attachPolicy(ACCT, { kind: 'role', name: 'keeper' }, policy('kept').arn);
      const { store: again } = await fixture.reopen();
      assert.equal((await again.getUser(ACCT, 'hal'))?.userName, 'hal');
      assert.deepEqual((await again.attachedPolicies(ACCT, { kind: 'role', name: 'keeper' })).map((p) => p.policyName), ['kept']);
    });
  });
}
