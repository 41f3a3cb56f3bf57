import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { NULL_VERSION_ID, type NewObjectVersion } from '../../../src/core/objects/ObjectVersion.js';
import { blobId, bucketOf, newVersion, inlineVersion, blobIdsOf, drainReleased, type ContractTest } from './contractKit.js';

/** The BlobLedger part of the metadata store contract (see ../metadataContract.ts). */
export function blobLedgerContract(test: ContractTest): void {
  void describe('released blobs and references', () => {
    test('take, forget, isBlobReferenced', async (store) => {
      await store.createBucket(bucketOf('b', undefined, 'Enabled'));
      const versions: NewObjectVersion[] = [];
      for (let i = 0; i < 5; i++) {
        const v = newVersion('b', `k${i}`);
        versions.push(v);
        await store.putVersion(v, { replaceNull: false });
      }
      for (const v of versions) assert.equal(await store.isBlobReferenced(v.segments[0]!.blobId), true);
      assert.equal(await store.isBlobReferenced(blobId()), false);
      assert.deepEqual(await store.takeReleasedBlobs(10), []);
      for (const v of versions) {
        const current = await store.getVersion('b', v.key);
        await store.deleteVersion('b', v.key, current!.versionId);
      }
      const firstTwo = await store.takeReleasedBlobs(2);
      assert.equal(firstTwo.length, 2);
      assert.deepEqual(await store.takeReleasedBlobs(2), firstTwo, 'take does not consume');
      await store.forgetReleasedBlobs(firstTwo);
      const rest = await store.takeReleasedBlobs(10);
      assert.equal(rest.length, 3);
      assert.deepEqual([...firstTwo, ...rest].sort(), versions.map((v) => v.segments[0]!.blobId).sort());
      await store.forgetReleasedBlobs(rest);
      await store.forgetReleasedBlobs([]);
      assert.deepEqual(await store.takeReleasedBlobs(10), []);
      for (const v of versions) assert.equal(await store.isBlobReferenced(v.segments[0]!.blobId), false);
    });
  });

  void describe('inline blobs (small objects stored with their version)', () => {
    test('put, read whole and by range; no blob reference, nothing outboxed', async (store) => {
      await store.createBucket(bucketOf('b', undefined, 'Enabled'));
      const v = inlineVersion('b', 'small', Buffer.from('hello inline'));
      const stored = await store.putVersion(v, { replaceNull: false });
      assert.deepEqual(stored.segments, v.segments);
      const got = await store.getVersion('b', 'small');
      assert.deepEqual(got?.segments, v.segments, 'the inline flag survives the row');
      assert.equal((await store.readInlineBlob(v.segments[0]!.blobId))?.toString(), 'hello inline');
      assert.equal(await store.readInlineBlob('in00000000000000000000000000000'), undefined);
      assert.equal(await store.isBlobReferenced(v.segments[0]!.blobId), false, 'inline blobs are never staged');
      const listed = await store.listLatest('b', { prefix: '', limit: 10 });
      assert.deepEqual(listed[0]?.segments, v.segments);
      assert.deepEqual(await store.takeReleasedBlobs(10), []);
    });

    test('an unversioned overwrite and a delete remove the inline bytes in the same write, never outboxed', async (store, fixture) => {
      await store.createBucket(bucketOf('b'));
      const first = inlineVersion('b', 'k', Buffer.from('first'), { versionId: NULL_VERSION_ID });
      await store.putVersion(first, { replaceNull: true });
      const second = inlineVersion('b', 'k', Buffer.from('second'), { versionId: NULL_VERSION_ID });
      await store.putVersion(second, { replaceNull: true });
      assert.equal(await store.readInlineBlob(first.segments[0]!.blobId), undefined);
      assert.equal((await store.readInlineBlob(second.segments[0]!.blobId))?.toString(), 'second');
      // an inline version replaced by a file version, then that one deleted
      const third = newVersion('b', 'k', { versionId: NULL_VERSION_ID });
      await store.putVersion(third, { replaceNull: true });
      assert.equal(await store.readInlineBlob(second.segments[0]!.blobId), undefined);
      assert.deepEqual(await drainReleased(store), []);
      const fourth = inlineVersion('b', 'k', Buffer.from('fourth'), { versionId: NULL_VERSION_ID });
      await store.putVersion(fourth, { replaceNull: true });
      assert.deepEqual(await drainReleased(store), blobIdsOf(third), 'the file segment goes to the outbox');
      await store.deleteVersion('b', 'k', NULL_VERSION_ID);
      assert.equal(await store.readInlineBlob(fourth.segments[0]!.blobId), undefined);
      assert.deepEqual(await drainReleased(store), []);
      if (fixture.reopen === undefined) return;
      const keep = inlineVersion('b', 'durable', Buffer.from('still here'));
      await store.putVersion(keep, { replaceNull: true });
      const reopened = await fixture.reopen();
      assert.equal((await reopened.readInlineBlob(keep.segments[0]!.blobId))?.toString(), 'still here');
    });

    test('a write whose inline bytes are missing or of the wrong size fails and stores nothing', async (store) => {
      await store.createBucket(bucketOf('b', undefined, 'Enabled'));
      const v = inlineVersion('b', 'k', Buffer.from('abc'));
      await assert.rejects(store.putVersion({ ...v, inlineData: new Map() }, { replaceNull: false }));
      await assert.rejects(
        store.putVersion({ ...v, inlineData: new Map([[v.segments[0]!.blobId, Buffer.from('abcd')]]) }, { replaceNull: false }),
      );
      assert.equal(await store.getVersion('b', 'k'), undefined);
      assert.equal(await store.readInlineBlob(v.segments[0]!.blobId), undefined);
    });

    test('versions of one key keep their own inline bytes; deleting one keeps the others', async (store) => {
      await store.createBucket(bucketOf('b', undefined, 'Enabled'));
      const a = inlineVersion('b', 'k', Buffer.from('aaa'));
      const b = inlineVersion('b', 'k', Buffer.alloc(64 * 1024, 'b'));
      await store.putVersion(a, { replaceNull: false });
      await store.putVersion(b, { replaceNull: false });
      await store.deleteVersion('b', 'k', b.versionId);
      assert.equal(await store.readInlineBlob(b.segments[0]!.blobId), undefined);
      assert.equal((await store.readInlineBlob(a.segments[0]!.blobId))?.toString(), 'aaa');
      assert.equal((await store.getVersion('b', 'k'))?.versionId, a.versionId);
    });
  });
}
