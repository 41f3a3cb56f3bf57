import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { AclGrant } from '../../../src/core/access/AccessControlList.js';
import type { MultipartUpload } from '../../../src/core/objects/MultipartUpload.js';
import { NULL_VERSION_ID } from '../../../src/core/objects/ObjectVersion.js';
import { bucketOf, newVersion, upload, part, blobIdsOf, drainReleased, type ContractTest } from './contractKit.js';

/** The UploadStore part of the metadata store contract (see ../metadataContract.ts). */
export function uploadStoreContract(test: ContractTest): void {
  void describe('access control: multipart uploads', () => {
    test('an upload remembers its ACL until it is completed or aborted', async (store) => {
      const grants: AclGrant[] = [{ grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'READ' }];
      await store.createBucket(bucketOf('b'));
      await store.createUpload(upload('b', 'k', 'u0'));
      assert.equal(await store.getUploadAcl('u0'), undefined);
      await store.createUpload(upload('b', 'k', 'u1'), grants);
      assert.deepEqual(await store.getUploadAcl('u1'), grants);
      assert.equal(await store.abortUpload('u1'), true);
      assert.equal(await store.getUploadAcl('u1'), undefined);
    });

    test('a conditional completion checks the latest version inside the completion: refused, the upload stays', async (store) => {
      await store.createBucket(bucketOf('b'));
      await store.putVersion(newVersion('b', 'k', { versionId: NULL_VERSION_ID }), { replaceNull: true });
      await store.createUpload(upload('b', 'k', 'u9'));
      const p1 = part('u9', 1);
      await store.putPart(p1);
      const refuse = (): void => {
        throw new Error('PreconditionFailed');
      };
      const version = newVersion('b', 'k', { versionId: NULL_VERSION_ID, segments: [p1.segment] });
      await assert.rejects(store.completeUpload('u9', version, { replaceNull: true, expect: refuse }), /PreconditionFailed/);
      assert.ok((await store.getUpload('b', 'k', 'u9')) !== undefined, 'the upload is still there');
      let latestSeen: string | undefined;
      const done = await store.completeUpload('u9', version, { replaceNull: true, expect: (latest) => (latestSeen = latest?.versionId) });
      assert.equal(done.status, 'ok');
      assert.equal(latestSeen, NULL_VERSION_ID);
    });

    test('an upload created with an ACL gives it to its version in the completing transaction', async (store) => {
      const grants: AclGrant[] = [{ grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'READ' }];
      await store.createBucket(bucketOf('b'));
      await store.createUpload(upload('b', 'k', 'u1'), grants);
      assert.deepEqual(await store.getUploadAcl('u1'), grants);
      const p1 = part('u1', 1);
      await store.putPart(p1);
      const done = await store.completeUpload('u1', newVersion('b', 'k', { versionId: NULL_VERSION_ID, segments: [p1.segment] }), { replaceNull: true });
      assert.ok(done.status === 'ok');
      assert.deepEqual((await store.getObjectAcl('b', 'k', done.version.versionId))?.acl, grants);
      assert.equal(await store.getUploadAcl('u1'), undefined);
      // an upload without one gives the default ACL
      await store.createUpload(upload('b', 'k2', 'u2'));
      const p2 = part('u2', 1);
      await store.putPart(p2);
      await store.completeUpload('u2', newVersion('b', 'k2', { versionId: NULL_VERSION_ID, segments: [p2.segment] }), { replaceNull: true });
      assert.equal((await store.getObjectAcl('b', 'k2'))?.acl, undefined);
    });
  });

  void describe('multipart uploads', () => {
    test('createUpload and getUpload round-trip; wrong bucket or key is absent', async (store) => {
      await store.createBucket(bucketOf('b'));
      const u: MultipartUpload = {
        ...upload('b', 'dir/file', 'u1'),
        contentHeaders: { contentType: 'text/plain', cacheControl: 'no-cache' },
        userMetadata: { a: '1' },
        tags: [
          { key: 'z', value: '1' },
          { key: 'a', value: '2' },
        ],
        checksumAlgorithm: 'CRC32C',
        checksumType: 'COMPOSITE',
      };
      await store.createUpload(u);
      assert.deepEqual(await store.getUpload('b', 'dir/file', 'u1'), u);
      const plain = upload('b', 'k', 'u2');
      await store.createUpload(plain);
      const read = await store.getUpload('b', 'k', 'u2');
      assert.deepEqual(read, plain);
      assert.ok(read !== undefined && !('checksumAlgorithm' in read) && !('checksumType' in read));
      assert.equal(await store.getUpload('b', 'other', 'u1'), undefined);
      assert.equal(await store.getUpload('c', 'dir/file', 'u1'), undefined);
      assert.equal(await store.getUpload('b', 'dir/file', 'nope'), undefined);
    });

    test('putPart: no upload, replacement releases the old part, listParts pages', async (store) => {
      await store.createBucket(bucketOf('b'));
      assert.equal(await store.putPart(part('none', 1)), 'no-upload');
      await store.createUpload(upload('b', 'k', 'u1'));
      const parts = [3, 1, 2, 10].map((n) => part('u1', n));
      for (const p of parts) assert.equal(await store.putPart(p), 'ok');
      const replacement = part('u1', 2, { checksum: 'abc=' });
      assert.equal(await store.putPart(replacement), 'ok');
      assert.deepEqual(await drainReleased(store), [parts[2]!.segment.blobId]);
      const listed = await store.listParts('u1', { afterPartNumber: 0, limit: 100 });
      assert.deepEqual(
        listed.map((p) => p.partNumber),
        [1, 2, 3, 10],
      );
      assert.deepEqual(listed[1], replacement);
      assert.deepEqual(listed[0], parts[1]);
      assert.ok(listed[0] !== undefined && !('checksum' in listed[0]));
      assert.deepEqual(
        (await store.listParts('u1', { afterPartNumber: 1, limit: 2 })).map((p) => p.partNumber),
        [2, 3],
      );
      assert.deepEqual(
        (await store.listParts('u1', { afterPartNumber: 3, limit: 2 })).map((p) => p.partNumber),
        [10],
      );
      assert.deepEqual(await store.listParts('u1', { afterPartNumber: 10, limit: 2 }), []);
      assert.deepEqual(await store.listParts('nope', { afterPartNumber: 0, limit: 2 }), []);
      assert.equal(await store.isBlobReferenced(replacement.segment.blobId), true);
      assert.equal(await store.isBlobReferenced(parts[2]!.segment.blobId), false);
    });

    test('completeUpload turns parts into a version and releases the unused ones', async (store) => {
      await store.createBucket(bucketOf('b'));
      await store.createUpload(upload('b', 'k', 'u1'));
      const p1 = part('u1', 1);
      const p2 = part('u1', 2);
      const p3 = part('u1', 3);
      for (const p of [p1, p2, p3]) await store.putPart(p);
      const version = newVersion('b', 'k', {
        versionId: NULL_VERSION_ID,
        segments: [p1.segment, p3.segment],
        partSizes: [p1.size, p3.size],
        etag: 'abc-2',
        tags: [{ key: 't', value: '1' }],
      });
      const done = await store.completeUpload('u1', version, { replaceNull: true });
      assert.ok(done.status === 'ok');
      assert.deepEqual(done.version.segments, [p1.segment, p3.segment]);
      assert.equal(done.version.isLatest, true);
      assert.equal(done.version.tagCount, 1);
      assert.deepEqual(await drainReleased(store), [p2.segment.blobId]);
      assert.equal(await store.getUpload('b', 'k', 'u1'), undefined);
      assert.deepEqual(await store.listParts('u1', { afterPartNumber: 0, limit: 10 }), []);
      assert.equal(await store.isBlobReferenced(p1.segment.blobId), true);
      assert.equal(await store.isBlobReferenced(p3.segment.blobId), true);
      assert.equal(await store.isBlobReferenced(p2.segment.blobId), false);
      assert.deepEqual((await store.getVersion('b', 'k'))?.partSizes, [p1.size, p3.size]);
      assert.deepEqual(await store.completeUpload('u1', version, { replaceNull: true }), { status: 'no-upload' });
      assert.equal((await store.getCompletedUpload('b', 'k', 'u1'))?.versionId, done.version.versionId, 'a completion is remembered');
      assert.equal(await store.getCompletedUpload('b', 'other', 'u1'), undefined);
      assert.equal(await store.getCompletedUpload('b', 'k', 'never'), undefined);
      assert.equal(await store.deleteBucket('b'), 'not-empty');
    });

    test('completeUpload with replaceNull replaces and releases the old null version', async (store) => {
      await store.createBucket(bucketOf('b'));
      const old = newVersion('b', 'k', { versionId: NULL_VERSION_ID });
      await store.putVersion(old, { replaceNull: true });
      await store.createUpload(upload('b', 'k', 'u1'));
      const p1 = part('u1', 1);
      await store.putPart(p1);
      const done = await store.completeUpload(
        'u1',
        newVersion('b', 'k', { versionId: NULL_VERSION_ID, segments: [p1.segment] }),
        { replaceNull: true },
      );
      assert.equal(done.status, 'ok');
      assert.deepEqual(await drainReleased(store), blobIdsOf(old));
      assert.equal((await store.listVersions('b', { prefix: '', limit: 10 })).length, 1);
    });

    test('abortUpload releases every part', async (store) => {
      await store.createBucket(bucketOf('b'));
      await store.createUpload(upload('b', 'k', 'u1'));
      const parts = [part('u1', 1), part('u1', 2)];
      for (const p of parts) await store.putPart(p);
      assert.equal(await store.abortUpload('u1'), true);
      assert.deepEqual(await drainReleased(store), parts.map((p) => p.segment.blobId).sort());
      assert.equal(await store.abortUpload('u1'), false);
      assert.equal(await store.getUpload('b', 'k', 'u1'), undefined);
      assert.equal(await store.putPart(part('u1', 3)), 'no-upload');
    });

    test('listUploads: key then initiation order, prefix, key and upload-id markers', async (store) => {
      await store.createBucket(bucketOf('b'));
      await store.createBucket(bucketOf('c'));
      const t = (s: number): Date => new Date(1_700_000_000_000 + s * 1000);
      const specs: [string, string, number][] = [
        ['k2', 'u-a', 5],
        ['k1', 'u-b', 9],
        ['k1', 'u-c', 1],
        ['k1', 'u-d', 4],
        ['é', 'u-e', 1],
        ['k%x', 'u-f', 1],
        ['kXx', 'u-g', 1],
        ['k2', 'u-h', 2],
      ];
      for (const [key, id, s] of specs) await store.createUpload({ ...upload('b', key, id), initiated: t(s) });
      await store.createUpload(upload('c', 'k1', 'other-bucket'));
      const ids = async (query: { prefix: string; keyMarker?: string; uploadIdMarker?: string; limit: number }) =>
        (await store.listUploads('b', query)).map((u) => u.uploadId);
      // '%' (0x25) sorts before '1' (0x31); 'é' (0xC3 0xA9) after every ASCII key.
      assert.deepEqual(await ids({ prefix: '', limit: 100 }), ['u-f', 'u-c', 'u-d', 'u-b', 'u-h', 'u-a', 'u-g', 'u-e']);
      assert.deepEqual(await ids({ prefix: 'k1', limit: 100 }), ['u-c', 'u-d', 'u-b']);
      assert.deepEqual(await ids({ prefix: 'k%', limit: 100 }), ['u-f']);
      assert.deepEqual(await ids({ prefix: '', keyMarker: 'k1', limit: 100 }), ['u-h', 'u-a', 'u-g', 'u-e']);
      assert.deepEqual(await ids({ prefix: '', keyMarker: 'k1', uploadIdMarker: 'u-d', limit: 100 }), [
        'u-b',
        'u-h',
        'u-a',
        'u-g',
        'u-e',
      ]);
      assert.deepEqual(await ids({ prefix: 'k', keyMarker: 'k1', uploadIdMarker: 'u-d', limit: 2 }), ['u-b', 'u-h']);
      assert.deepEqual(await ids({ prefix: 'k2', keyMarker: 'k1', limit: 100 }), ['u-h', 'u-a']);
      assert.deepEqual(await ids({ prefix: 'k1', keyMarker: 'k2', limit: 100 }), []);
      // Page through everything with upload-id markers.
      const all = await ids({ prefix: '', limit: 100 });
      for (let limit = 1; limit <= 3; limit++) {
        const seen: string[] = [];
        let marker: { keyMarker: string; uploadIdMarker: string } | undefined;
        for (;;) {
          const page = await store.listUploads('b', { prefix: '', limit, ...(marker ?? {}) });
          if (page.length === 0) break;
          seen.push(...page.map((u) => u.uploadId));
          const last = page.at(-1)!;
          marker = { keyMarker: last.key, uploadIdMarker: last.uploadId };
        }
        assert.deepEqual(seen, all, `limit ${limit}`);
      }
      // The marker upload was completed or aborted since: that key's remaining uploads are listed, none skipped.
      await store.abortUpload('u-d');
      assert.deepEqual(await ids({ prefix: '', keyMarker: 'k1', uploadIdMarker: 'u-d', limit: 3 }), ['u-c', 'u-b', 'u-h']);
    });
  });
}
