import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { AclGrant } from '../../../src/core/access/AccessControlList.js';
import { NULL_VERSION_ID } from '../../../src/core/objects/ObjectVersion.js';
import { bucketOf, newVersion, deleteMarker, type ContractTest } from './contractKit.js';

/** The AccessStore part of the metadata store contract (see ../metadataContract.ts). */
export function accessStoreContract(test: ContractTest): void {
  void describe('access control', () => {
    const publicRead: AclGrant[] = [
      { grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'READ' },
      { grantee: { type: 'CanonicalUser', id: 'a'.repeat(64) }, permission: 'FULL_CONTROL' },
    ];

    test('bucket policy and ACL: absent by default, set, replaced, removed; missing bucket', async (store) => {
      await store.createBucket(bucketOf('b'));
      assert.deepEqual(await store.getBucketAccess('b'), { policy: undefined, acl: undefined });
      assert.equal(await store.setBucketPolicy('b', '{"Statement":[]}'), 'ok');
      assert.equal(await store.setBucketAcl('b', publicRead), 'ok');
      assert.deepEqual(await store.getBucketAccess('b'), { policy: '{"Statement":[]}', acl: publicRead });
      assert.equal(await store.setBucketPolicy('b', undefined), 'ok');
      assert.deepEqual(await store.getBucketAccess('b'), { policy: undefined, acl: publicRead });
      assert.equal(await store.setBucketAcl('b', undefined), 'ok');
      assert.deepEqual(await store.getBucketAccess('b'), { policy: undefined, acl: undefined });
      assert.equal(await store.setBucketPolicy('missing', '{}'), 'missing');
      assert.equal(await store.setBucketAcl('missing', publicRead), 'missing');
    });

    test('a deleted bucket takes its policy and ACL with it', async (store) => {
      await store.createBucket(bucketOf('b'));
      await store.setBucketPolicy('b', '{}');
      await store.setBucketAcl('b', publicRead);
      assert.equal(await store.deleteBucket('b'), 'deleted');
      await store.createBucket(bucketOf('b'));
      assert.deepEqual(await store.getBucketAccess('b'), { policy: undefined, acl: undefined });
    });

    test('object ACLs are per version; a delete marker has none', async (store) => {
      await store.createBucket(bucketOf('b', undefined, 'Enabled'));
      const v1 = await store.putVersion(newVersion('b', 'k'), { replaceNull: false });
      const v2 = await store.putVersion(newVersion('b', 'k'), { replaceNull: false });
      assert.equal((await store.getObjectAcl('b', 'k'))?.acl, undefined);
      const set = await store.setObjectAcl('b', 'k', v1.versionId, publicRead);
      assert.equal(set.status, 'ok');
      assert.deepEqual((await store.getObjectAcl('b', 'k', v1.versionId))?.acl, publicRead);
      assert.equal((await store.getObjectAcl('b', 'k'))?.version.versionId, v2.versionId);
      assert.equal((await store.getObjectAcl('b', 'k'))?.acl, undefined);
      assert.equal((await store.setObjectAcl('b', 'k', 'nope', publicRead)).status, 'missing');
      assert.equal(await store.getObjectAcl('b', 'nope'), undefined);
      await store.putVersion(deleteMarker('b', 'k'), { replaceNull: false });
      assert.equal((await store.setObjectAcl('b', 'k', undefined, publicRead)).status, 'delete-marker');
      assert.equal((await store.setObjectAcl('b', 'k', v1.versionId, undefined)).status, 'ok');
      assert.equal((await store.getObjectAcl('b', 'k', v1.versionId))?.acl, undefined);
    });

    test('a new version commits with the ACL its write asked for; an overwrite takes only its own', async (store) => {
      await store.createBucket(bucketOf('b'));
      const written = await store.putVersion(newVersion('b', 'k', { versionId: NULL_VERSION_ID, acl: publicRead }), { replaceNull: true });
      assert.deepEqual(await store.getObjectAcl('b', 'k'), { version: await store.getVersion('b', 'k'), acl: publicRead });
      assert.equal(written.versionId, NULL_VERSION_ID);
      // in place: the old ACL goes, the new one is written
      const authenticatedRead: AclGrant[] = [{ grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers' }, permission: 'READ' }];
      await store.putVersion(newVersion('b', 'k', { versionId: NULL_VERSION_ID, acl: authenticatedRead }), { replaceNull: true });
      assert.deepEqual((await store.getObjectAcl('b', 'k'))?.acl, authenticatedRead);
      await store.putVersion(newVersion('b', 'k', { versionId: NULL_VERSION_ID }), { replaceNull: true });
      assert.equal((await store.getObjectAcl('b', 'k'))?.acl, undefined);
    });

    test('a failing version write stores no ACL', async (store) => {
      await store.createBucket(bucketOf('b'));
      const bad = newVersion('b', 'k', { versionId: NULL_VERSION_ID, acl: publicRead, tags: [{ key: 'same', value: '1' }, { key: 'same', value: '2' }] });
      await assert.rejects(store.putVersion(bad, { replaceNull: true }));
      assert.equal(await store.getObjectAcl('b', 'k'), undefined);
    });

    test('an unversioned overwrite and a version delete drop the ACL', async (store) => {
      await store.createBucket(bucketOf('b'));
      await store.putVersion(newVersion('b', 'k', { versionId: NULL_VERSION_ID }), { replaceNull: true });
      await store.setObjectAcl('b', 'k', NULL_VERSION_ID, publicRead);
      assert.deepEqual((await store.getObjectAcl('b', 'k'))?.acl, publicRead);
      await store.putVersion(newVersion('b', 'k', { versionId: NULL_VERSION_ID }), { replaceNull: true });
      assert.equal((await store.getObjectAcl('b', 'k'))?.acl, undefined);
      await store.setObjectAcl('b', 'k', NULL_VERSION_ID, publicRead);
      await store.deleteVersion('b', 'k', NULL_VERSION_ID);
      await store.putVersion(newVersion('b', 'k', { versionId: NULL_VERSION_ID }), { replaceNull: true });
      assert.equal((await store.getObjectAcl('b', 'k'))?.acl, undefined);
    });
  });
}
