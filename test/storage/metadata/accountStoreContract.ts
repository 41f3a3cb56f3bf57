import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { account, type ContractTest } from './contractKit.js';

/** The AccountStore part of the metadata store contract (see ../metadataContract.ts). */
export function accountStoreContract(test: ContractTest): void {
  void describe('accounts and access keys', () => {
    test('createAccount, getAccount, listAccounts', async (store) => {
      const b = account('222222222222');
      const a = account('111111111111');
      assert.equal(await store.createAccount(b), 'created');
      assert.equal(await store.createAccount(a), 'created');
      assert.equal(await store.createAccount({ ...a, displayName: 'other' }), 'exists');
      assert.deepEqual(await store.getAccount(a.id), a);
      assert.equal(await store.getAccount('999999999999'), undefined);
      assert.deepEqual(await store.listAccounts(), [a, b]);
    });

    test('putAccessKey inserts and replaces; userName stays absent when not given', async (store) => {
      await store.createAccount(account('111111111111'));
      const key = {
        accessKeyId: 'AKIAEXAMPLE',
        secretAccessKey: 'secret',
        accountId: '111111111111',
        status: 'Active' as const,
        createdAt: new Date(1_700_000_000_000),
      };
      await store.putAccessKey(key);
      const read = await store.getAccessKey('AKIAEXAMPLE');
      assert.deepEqual(read, key);
      assert.ok(read !== undefined && !('userName' in read));
      await store.putAccessKey({ ...key, status: 'Inactive', userName: 'alice' });
      assert.deepEqual(await store.getAccessKey('AKIAEXAMPLE'), { ...key, status: 'Inactive', userName: 'alice' });
      assert.equal(await store.getAccessKey('AKIAMISSING'), undefined);
    });
  });
}
