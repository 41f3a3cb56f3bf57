import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PostgresDatabase } from '../../../src/storage/metadata/postgres/PostgresDatabase.js';
import { PostgresIamStore } from '../../../src/storage/metadata/postgres/iam/PostgresIamStore.js';
import { PostgresMetadataStore } from '../../../src/storage/metadata/postgres/PostgresMetadataStore.js';
import { createTestDatabase } from '../../support/postgresCluster.js';
import { policy, role, runIamContract, user, type IamFixture } from '../iamContract.js';

/** The IAM store and the metadata store on one pool, as the composition root shares it. */
async function postgresFixture(): Promise<IamFixture> {
  const database = await createTestDatabase();
  let db = await PostgresDatabase.open(database.url);
  return {
    store: new PostgresIamStore(db),
    metadata: new PostgresMetadataStore(db),
    async reopen() {
      await db.close();
      db = await PostgresDatabase.open(database.url);
      return { store: new PostgresIamStore(db), metadata: new PostgresMetadataStore(db) };
    },
    async dispose() {
      await db.close();
      await database.dispose();
    },
  };
}

runIamContract('postgres', { create: postgresFixture });

const ACCT = '111122223333';

describe('PostgresIamStore: two nodes on one database', () => {
  let database: { url: string; dispose(): Promise<void> };
  let dbA: PostgresDatabase;
  let dbB: PostgresDatabase;
  let nodeA: PostgresIamStore;
  let nodeB: PostgresIamStore;

  before(async () => {
    database = await createTestDatabase();
    dbA = await PostgresDatabase.open(database.url);
    dbB = await PostgresDatabase.open(database.url);
    nodeA = new PostgresIamStore(dbA);
    nodeB = new PostgresIamStore(dbB);
  });

  after(async () => {
    await dbA.close();
    await dbB.close();
    await database.dispose();
  });

  it("the identity revision moves with every identity write, whichever node makes it, and not with reads or refusals", async () => {
    const start = await nodeA.identityRevision();
    await nodeB.createUser(user('rev'));
    const afterUser = await nodeA.identityRevision();
    assert.ok(afterUser > start, 'a write on B is seen on A');
    assert.equal(await nodeA.createUser(user('REV')), 'exists');
    await nodeA.getUser(ACCT, 'rev');
    assert.equal(await nodeB.identityRevision(), afterUser, 'a refused write and a read change nothing');
    await nodeA.createPolicy(policy('revp'));
    await nodeB.attachPolicy(ACCT, { kind: 'user', name: 'Rev' }, policy('revp').arn);
    await nodeA.putSession({
      accessKeyId: 'ASIAREV',
      secretAccessKey: 's',
      sessionToken: 't',
      accountId: ACCT,
      roleName: 'r',
      roleId: 'AROAR',
      sessionName: 'n',
      expiresAt: new Date(Date.now() + 60_000),
      createdAt: new Date(),
    });
    assert.equal(await nodeB.identityRevision(), afterUser + 3);
  });

  it('names stay unique regardless of case when two nodes create them at once', async () => {
    for (let i = 0; i < 10; i++) {
      const results = await Promise.all([
        nodeA.createUser(user(`race${i}`)),
        nodeB.createUser(user(`RACE${i}`, { userId: `AIDAOTHER${i}` })),
        nodeA.createRole(role(`Race${i}`)),
        nodeB.createRole(role(`race${i}`, { roleId: `AROAOTHER${i}` })),
        nodeA.createPolicy(policy(`Race${i}`)),
        nodeB.createPolicy(policy(`rACE${i}`, { arn: `arn:aws:iam::${ACCT}:policy/other/rACE${i}`, policyId: `ANPAOTHER${i}` })),
      ]);
      for (let pair = 0; pair < 3; pair++) assert.deepEqual([results[2 * pair], results[2 * pair + 1]].sort(), ['created', 'exists']);
    }
    const users = await nodeA.listUsers(ACCT);
    assert.equal(users.filter((u) => u.userName.toLowerCase().startsWith('race')).length, 10);
  });

  it("the access-key limit holds when two nodes add a user's keys at once", async () => {
    await nodeA.createUser(user('keys'));
    const key = (id: string) => ({ accessKeyId: id, secretAccessKey: 's', accountId: ACCT, userName: 'keys', status: 'Active' as const, createdAt: new Date() });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? nodeA : nodeB).createAccessKey(key(`AKIARACE${i}`), 2)),
    );
    assert.equal(results.filter((r) => r === 'created').length, 2);
    assert.equal((await nodeB.listAccessKeys(ACCT, 'KEYS')).length, 2);
  });

  it('a policy is never deleted while a racing attach commits', async () => {
    await nodeA.createRole(role('holder'));
    for (let i = 0; i < 10; i++) {
      const p = policy(`del${i}`);
      await nodeA.createPolicy(p);
      const [attached, deleted] = await Promise.all([nodeA.attachPolicy(ACCT, { kind: 'role', name: 'holder' }, p.arn), nodeB.deletePolicy(p.arn)]);
      if (attached === 'ok') {
        assert.equal(deleted, 'conflict');
        assert.equal((await nodeB.getPolicy(p.arn))?.attachmentCount, 1);
      } else {
        assert.deepEqual([attached, deleted], ['missing-policy', 'deleted']);
      }
    }
  });
});
