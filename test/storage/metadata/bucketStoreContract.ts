import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { bucketOf, newVersion, deleteMarker, upload, part, drainReleased, type ContractTest } from './contractKit.js';

/** The BucketStore part of the metadata store contract (see ../metadataContract.ts). */
export function bucketStoreContract(test: ContractTest): void {
  void describe('buckets', () => {
    test('createBucket, getBucket, listBuckets by name and by owner', async (store) => {
      const b1 = bucketOf('zeta', '111111111111');
      const b2 = bucketOf('alpha', '222222222222');
      const b3 = bucketOf('beta', '111111111111');
      for (const b of [b1, b2, b3]) assert.equal(await store.createBucket(b), 'created');
      assert.equal(await store.createBucket({ ...b1, ownerAccountId: '222222222222' }), 'exists');
      assert.deepEqual(await store.getBucket('zeta'), b1);
      assert.equal(await store.getBucket('nope'), undefined);
      assert.deepEqual(
        (await store.listBuckets()).map((b) => b.name),
        ['alpha', 'beta', 'zeta'],
      );
      assert.deepEqual(
        (await store.listBuckets('111111111111')).map((b) => b.name),
        ['beta', 'zeta'],
      );
      assert.deepEqual(await store.listBuckets('333333333333'), []);
    });

    test('setBucketVersioning', async (store) => {
      await store.createBucket(bucketOf('b'));
      assert.equal(await store.setBucketVersioning('b', 'Enabled'), 'ok');
      assert.equal((await store.getBucket('b'))?.versioning, 'Enabled');
      assert.equal(await store.setBucketVersioning('b', 'Suspended'), 'ok');
      assert.equal((await store.getBucket('b'))?.versioning, 'Suspended');
      assert.equal(await store.setBucketVersioning('missing', 'Enabled'), 'missing');
    });

    test('deleteBucket refuses while versions or delete markers remain; uploads are aborted with it', async (store) => {
      assert.equal(await store.deleteBucket('b'), 'missing');
      await store.createBucket(bucketOf('b', undefined, 'Enabled'));
      const v = await store.putVersion(newVersion('b', 'k'), { replaceNull: false });
      assert.equal(await store.deleteBucket('b'), 'not-empty');
      const marker = await store.putVersion(deleteMarker('b', 'k'), { replaceNull: false });
      await store.deleteVersion('b', 'k', v.versionId);
      assert.equal(await store.deleteBucket('b'), 'not-empty', 'a lone delete marker keeps the bucket');
      await store.deleteVersion('b', 'k', marker.versionId);
      await drainReleased(store);
      await store.createUpload(upload('b', 'k', 'up1'));
      const p = part('up1', 1);
      await store.putPart(p);
      assert.equal(await store.deleteBucket('b'), 'deleted', 'an upload in progress does not keep the bucket');
      assert.equal(await store.getUpload('b', 'k', 'up1'), undefined);
      assert.deepEqual(await drainReleased(store), [p.segment.blobId], "the aborted upload's parts are released");
      assert.equal(await store.getBucket('b'), undefined);
      assert.equal(await store.deleteBucket('b'), 'missing');
    });

    test('bucket tags: none, set, replace, empty set, remove; gone with the bucket', async (store) => {
      assert.equal(await store.setBucketTags('b', [{ key: 'a', value: '1' }]), 'missing');
      await store.createBucket(bucketOf('b'));
      assert.equal(await store.getBucketTags('b'), undefined);
      assert.equal(
        await store.setBucketTags('b', [
          { key: 'team', value: 'x' },
          { key: 'env', value: 'prod' },
        ]),
        'ok',
      );
      assert.deepEqual(await store.getBucketTags('b'), [
        { key: 'env', value: 'prod' },
        { key: 'team', value: 'x' },
      ]);
      await store.setBucketTags('b', [{ key: 'only', value: '' }]);
      assert.deepEqual(await store.getBucketTags('b'), [{ key: 'only', value: '' }]);
      await store.setBucketTags('b', []);
      assert.deepEqual(await store.getBucketTags('b'), [], 'an empty tag set is not "no tag set"');
      await store.setBucketTags('b', [{ key: 'k', value: 'v' }]);
      assert.equal(await store.setBucketTags('b', undefined), 'ok');
      assert.equal(await store.getBucketTags('b'), undefined);
      await store.setBucketTags('b', [{ key: 'k', value: 'v' }]);
      assert.equal(await store.deleteBucket('b'), 'deleted');
      await store.createBucket(bucketOf('b'));
      assert.equal(await store.getBucketTags('b'), undefined, 'a recreated bucket starts without tags');
      assert.equal(await store.getBucketTags('missing'), undefined);
    });
  });
}
