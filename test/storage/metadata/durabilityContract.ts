import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { NULL_VERSION_ID } from '../../../src/core/objects/ObjectVersion.js';
import { account, bucketOf, newVersion, upload, part, type ContractTest } from './contractKit.js';

/** The metadata store contract's durability and concurrency tests (see ../metadataContract.ts). */
export function durabilityContract(test: ContractTest): void {
  void describe('durability and concurrency', () => {
    test('200 concurrent putVersion calls all land, with distinct seqs', async (store) => {
      await store.createBucket(bucketOf('b', undefined, 'Enabled'));
      const inputs = Array.from({ length: 200 }, (_, i) => newVersion('b', `key-${String(i).padStart(3, '0')}`));
      const results = await Promise.all(inputs.map((v) => store.putVersion(v, { replaceNull: false })));
      assert.equal(new Set(results.map((r) => r.seq)).size, 200);
      const listed = await store.listLatest('b', { prefix: '', limit: 1000 });
      assert.deepEqual(
        listed.map((v) => v.versionId),
        inputs.map((v) => v.versionId),
      );
    });

    test('one failing write among concurrent ones does not take the others down', async (store) => {
      await store.createBucket(bucketOf('b'));
      const good = Array.from({ length: 20 }, (_, i) => newVersion('b', `g${i}`, { versionId: NULL_VERSION_ID }));
      const bad = newVersion('b', 'bad', {
        versionId: NULL_VERSION_ID,
        tags: [
          { key: 'd', value: '1' },
          { key: 'd', value: '2' },
        ],
      });
      const outcomes = await Promise.allSettled([
        ...good.slice(0, 10).map((v) => store.putVersion(v, { replaceNull: true })),
        store.putVersion(bad, { replaceNull: true }),
        ...good.slice(10).map((v) => store.putVersion(v, { replaceNull: true })),
      ]);
      assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 20);
      assert.equal(outcomes[10]?.status, 'rejected');
      assert.equal(await store.getVersion('b', 'bad'), undefined);
      assert.equal(await store.isBlobReferenced(bad.segments[0]!.blobId), false);
      assert.equal((await store.listLatest('b', { prefix: 'g', limit: 100 })).length, 20);
    });

    test('committed data survives close and reopen', async (_store, fixture) => {
      if (fixture.reopen === undefined) return;
      const store = fixture.store;
      await store.createAccount(account('111111111111'));
      await store.createBucket(bucketOf('b'));
      await store.setBucketTags('b', [{ key: 'a', value: '1' }]);
      const v = newVersion('b', 'k', { versionId: NULL_VERSION_ID, tags: [{ key: 't', value: 'v' }] });
      await store.putVersion(v, { replaceNull: true });
      await store.createUpload(upload('b', 'k', 'u1'));
      await store.putPart(part('u1', 1));
      await store.putVersion(newVersion('b', 'gone', { versionId: NULL_VERSION_ID }), { replaceNull: true });
      await store.deleteVersion('b', 'gone', NULL_VERSION_ID);
      const reopened = await fixture.reopen();
      assert.equal((await reopened.getAccount('111111111111'))?.id, '111111111111');
      assert.deepEqual(await reopened.getBucketTags('b'), [{ key: 'a', value: '1' }]);
      assert.equal((await reopened.getVersion('b', 'k'))?.etag, v.etag);
      assert.deepEqual((await reopened.getTags('b', 'k'))?.tags, [{ key: 't', value: 'v' }]);
      assert.equal((await reopened.listParts('u1', { afterPartNumber: 0, limit: 10 })).length, 1);
      assert.equal((await reopened.takeReleasedBlobs(10)).length, 1);
      // seq keeps growing after a reopen.
      const before = (await reopened.getVersion('b', 'k'))!.seq;
      const after = await reopened.putVersion(newVersion('b', 'k2', { versionId: NULL_VERSION_ID }), { replaceNull: true });
      assert.ok(after.seq > before);
    });
  });
}
