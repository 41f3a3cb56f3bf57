import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { NULL_VERSION_ID, type ObjectVersion } from '../../../src/core/objects/ObjectVersion.js';
import { blobId, bucketOf, newVersion, deleteMarker, blobIdsOf, drainReleased, byteOrder, type ContractTest } from './contractKit.js';

/** The VersionStore part of the metadata store contract (see ../metadataContract.ts). */
export function versionStoreContract(test: ContractTest): void {
  void describe('object versions', () => {
    test('putVersion then getVersion round-trips every field', async (store) => {
      await store.createBucket(bucketOf('b', undefined, 'Enabled'));
      const input = newVersion('b', 'photos/cat.jpg', {
        size: 1234,
        etag: 'd41d8cd98f00b204e9800998ecf8427e',
        storageClass: 'STANDARD_IA',
        contentHeaders: {
          contentType: 'image/jpeg',
          contentEncoding: 'gzip',
          contentDisposition: 'attachment; filename="cat.jpg"',
          contentLanguage: 'en',
          cacheControl: 'max-age=60',
          expires: 'Thu, 01 Dec 2994 16:00:00 GMT',
        },
        userMetadata: { colour: 'grey', 'x-ünïcode': 'välue' },
        checksum: { algorithm: 'CRC64NVME', value: 'AAAAAAAAAAA=', type: 'FULL_OBJECT' },
        segments: [
          { blobId: blobId(), size: 1000 },
          { blobId: blobId(), size: 234 },
        ],
        partSizes: [1000, 234],
        tags: [
          { key: 'b', value: '2' },
          { key: 'a', value: '1' },
        ],
      });
      const put = await store.putVersion(input, { replaceNull: false });
      const expected: ObjectVersion = {
        bucket: 'b',
        key: 'photos/cat.jpg',
        versionId: input.versionId,
        seq: put.seq,
        isLatest: true,
        isDeleteMarker: false,
        lastModified: input.lastModified,
        ownerAccountId: input.ownerAccountId,
        size: 1234,
        etag: input.etag,
        storageClass: 'STANDARD_IA',
        contentHeaders: input.contentHeaders,
        userMetadata: input.userMetadata,
        checksum: { algorithm: 'CRC64NVME', value: 'AAAAAAAAAAA=', type: 'FULL_OBJECT' },
        segments: input.segments,
        partSizes: [1000, 234],
        tagCount: 2,
      };
      assert.deepEqual(put, expected);
      assert.deepEqual(await store.getVersion('b', 'photos/cat.jpg'), expected);
      assert.deepEqual(await store.getVersion('b', 'photos/cat.jpg', input.versionId), expected);
    });

    test('optional fields stay absent', async (store) => {
      await store.createBucket(bucketOf('b'));
      await store.putVersion(newVersion('b', 'k', { versionId: NULL_VERSION_ID }), { replaceNull: true });
      const v = await store.getVersion('b', 'k');
      assert.ok(v !== undefined);
      assert.ok(!('checksum' in v) && !('partSizes' in v));
      assert.deepEqual(v.contentHeaders, {});
      assert.deepEqual(v.userMetadata, {});
      assert.equal(v.tagCount, 0);
    });

    test('seq grows with every write, store-wide', async (store) => {
      await store.createBucket(bucketOf('b', undefined, 'Enabled'));
      await store.createBucket(bucketOf('c', undefined, 'Enabled'));
      const seqs: number[] = [];
      for (const [bucket, key] of [['b', 'x'], ['c', 'a'], ['b', 'a'], ['b', 'x']] as const) {
        seqs.push((await store.putVersion(newVersion(bucket, key), { replaceNull: false })).seq);
      }
      const removed = await store.putVersion(newVersion('b', 'y'), { replaceNull: false });
      await store.deleteVersion('b', 'y', removed.versionId);
      seqs.push(removed.seq);
      seqs.push((await store.putVersion(newVersion('b', 'y'), { replaceNull: false })).seq);
      for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i]! > seqs[i - 1]!, `seq ${seqs[i]} after ${seqs[i - 1]}`);
    });

    test('a conditional write checks the latest version inside the write: refused, nothing is written', async (store) => {
      await store.createBucket(bucketOf('b', undefined, 'Enabled'));
      const seen: (string | undefined)[] = [];
      const noObject = (latest: ObjectVersion | undefined): void => {
        seen.push(latest === undefined ? undefined : `${latest.versionId}${latest.isDeleteMarker ? ' (marker)' : ''}`);
        if (latest !== undefined && !latest.isDeleteMarker) throw new Error('PreconditionFailed');
      };
      const first = await store.putVersion(newVersion('b', 'k'), { replaceNull: false, expect: noObject });
      await assert.rejects(store.putVersion(newVersion('b', 'k'), { replaceNull: false, expect: noObject }), /PreconditionFailed/);
      assert.deepEqual((await store.listVersions('b', { prefix: '', limit: 10 })).map((v) => v.versionId), [first.versionId], 'the refused write left nothing');
      const marker = await store.putVersion(deleteMarker('b', 'k'), { replaceNull: false });
      const after = await store.putVersion(newVersion('b', 'k'), { replaceNull: false, expect: noObject });
      assert.equal((await store.getVersion('b', 'k'))?.versionId, after.versionId);
      assert.deepEqual(seen, [undefined, first.versionId, `${marker.versionId} (marker)`], 'called with the latest version, a delete marker included');
    });

    test('getVersion: latest, by id, absent', async (store) => {
      await store.createBucket(bucketOf('b', undefined, 'Enabled'));
      const v1 = await store.putVersion(newVersion('b', 'k'), { replaceNull: false });
      const v2 = await store.putVersion(newVersion('b', 'k'), { replaceNull: false });
      assert.equal((await store.getVersion('b', 'k'))?.versionId, v2.versionId);
      const old = await store.getVersion('b', 'k', v1.versionId);
      assert.equal(old?.versionId, v1.versionId);
      assert.equal(old?.isLatest, false);
      assert.equal((await store.getVersion('b', 'k', v2.versionId))?.isLatest, true);
      assert.equal(await store.getVersion('b', 'k', 'no-such-version'), undefined);
      assert.equal(await store.getVersion('b', 'other'), undefined);
      assert.equal(await store.getVersion('b', 'k', NULL_VERSION_ID), undefined);
      assert.equal(await store.getVersion('other-bucket', 'k'), undefined);
    });

    test('unversioned overwrite replaces the null version, its tags and releases its segments', async (store) => {
      await store.createBucket(bucketOf('b'));
      const first = newVersion('b', 'k', { versionId: NULL_VERSION_ID, tags: [{ key: 'old', value: '1' }] });
      await store.putVersion(first, { replaceNull: true });
      const second = newVersion('b', 'k', { versionId: NULL_VERSION_ID, tags: [{ key: 'new', value: '2' }] });
      const put = await store.putVersion(second, { replaceNull: true });
      assert.equal(put.isLatest, true);
      const all = await store.listVersions('b', { prefix: '', limit: 100 });
      assert.equal(all.length, 1);
      assert.equal(all[0]?.etag, second.etag);
      assert.deepEqual((await store.getTags('b', 'k'))?.tags, [{ key: 'new', value: '2' }]);
      assert.deepEqual(await drainReleased(store), blobIdsOf(first));
      assert.equal(await store.isBlobReferenced(first.segments[0]!.blobId), false);
      assert.equal(await store.isBlobReferenced(second.segments[0]!.blobId), true);
    });

    test('suspended write replaces the null version wherever it is in the stack', async (store) => {
      await store.createBucket(bucketOf('b', undefined, 'Enabled'));
      const nullV = newVersion('b', 'k', { versionId: NULL_VERSION_ID });
      await store.putVersion(nullV, { replaceNull: true });
      const v1 = await store.putVersion(newVersion('b', 'k'), { replaceNull: false });
      const v2 = await store.putVersion(newVersion('b', 'k'), { replaceNull: false });
      assert.deepEqual(
        (await store.listVersions('b', { prefix: '', limit: 10 })).map((v) => v.versionId),
        [v2.versionId, v1.versionId, NULL_VERSION_ID],
      );
      const replacement = newVersion('b', 'k', { versionId: NULL_VERSION_ID });
      await store.putVersion(replacement, { replaceNull: true });
      const stack = await store.listVersions('b', { prefix: '', limit: 10 });
      assert.deepEqual(
        stack.map((v) => [v.versionId, v.isLatest, v.etag]),
        [
          [NULL_VERSION_ID, true, replacement.etag],
          [v2.versionId, false, v2.etag],
          [v1.versionId, false, v1.etag],
        ],
      );
      assert.deepEqual(await drainReleased(store), blobIdsOf(nullV));
    });

    test('a suspended delete marker replaces the null version too', async (store) => {
      await store.createBucket(bucketOf('b', undefined, 'Suspended'));
      const nullV = newVersion('b', 'k', { versionId: NULL_VERSION_ID });
      await store.putVersion(nullV, { replaceNull: true });
      const marker = await store.putVersion(deleteMarker('b', 'k', NULL_VERSION_ID), { replaceNull: true });
      assert.equal(marker.isDeleteMarker, true);
      const stack = await store.listVersions('b', { prefix: '', limit: 10 });
      assert.deepEqual(
        stack.map((v) => [v.versionId, v.isDeleteMarker, v.isLatest]),
        [[NULL_VERSION_ID, true, true]],
      );
      assert.deepEqual(await drainReleased(store), blobIdsOf(nullV));
      assert.deepEqual(await store.listLatest('b', { prefix: '', limit: 10 }), []);
      const again = await store.putVersion(newVersion('b', 'k', { versionId: NULL_VERSION_ID }), { replaceNull: true });
      assert.ok(again.seq > marker.seq);
      assert.deepEqual(
        (await store.listLatest('b', { prefix: '', limit: 10 })).map((v) => [v.versionId, v.seq]),
        [[NULL_VERSION_ID, again.seq]],
      );
      assert.equal((await store.listVersions('b', { prefix: '', limit: 10 })).length, 1);
    });

    test('versioning enabled: a new version keeps the null version as non-current', async (store) => {
      await store.createBucket(bucketOf('b'));
      await store.putVersion(newVersion('b', 'k', { versionId: NULL_VERSION_ID }), { replaceNull: true });
      const v = await store.putVersion(newVersion('b', 'k'), { replaceNull: false });
      const stack = await store.listVersions('b', { prefix: '', limit: 10 });
      assert.deepEqual(
        stack.map((x) => [x.versionId, x.isLatest]),
        [
          [v.versionId, true],
          [NULL_VERSION_ID, false],
        ],
      );
      assert.deepEqual(await drainReleased(store), []);
    });

    test('deleteVersion of the latest makes the next newest latest and releases segments', async (store) => {
      await store.createBucket(bucketOf('b', undefined, 'Enabled'));
      const v1 = await store.putVersion(newVersion('b', 'k'), { replaceNull: false });
      const v2 = await store.putVersion(newVersion('b', 'k'), { replaceNull: false });
      const v3input = newVersion('b', 'k', { tags: [{ key: 't', value: 'v' }] });
      const v3 = await store.putVersion(v3input, { replaceNull: false });
      const removed = await store.deleteVersion('b', 'k', v3.versionId);
      assert.equal(removed?.versionId, v3.versionId);
      assert.equal(removed?.isLatest, true);
      assert.deepEqual(removed?.segments, v3input.segments);
      assert.equal(removed?.tagCount, 1);
      assert.equal((await store.getVersion('b', 'k'))?.versionId, v2.versionId);
      assert.equal((await store.getVersion('b', 'k'))?.isLatest, true);
      assert.deepEqual(
        (await store.listLatest('b', { prefix: '', limit: 10 })).map((v) => v.versionId),
        [v2.versionId],
      );
      assert.deepEqual(await drainReleased(store), blobIdsOf(v3input));
      assert.equal(await store.getVersion('b', 'k', v3.versionId), undefined);
      assert.equal(await store.getTags('b', 'k', v3.versionId), undefined);

      // Removing a non-current version leaves the latest alone.
      assert.equal((await store.deleteVersion('b', 'k', v1.versionId))?.isLatest, false);
      assert.equal((await store.getVersion('b', 'k'))?.versionId, v2.versionId);
      assert.equal(await store.deleteVersion('b', 'k', v1.versionId), undefined);
      assert.equal(await store.deleteVersion('b', 'nope', 'x'), undefined);

      await store.deleteVersion('b', 'k', v2.versionId);
      assert.equal(await store.getVersion('b', 'k'), undefined);
      assert.deepEqual(await store.listLatest('b', { prefix: '', limit: 10 }), []);
      assert.deepEqual(await store.listVersions('b', { prefix: '', limit: 10 }), []);
    });

    test('a latest delete marker hides the key from listLatest but not from listVersions', async (store) => {
      await store.createBucket(bucketOf('b', undefined, 'Enabled'));
      const a = await store.putVersion(newVersion('b', 'a'), { replaceNull: false });
      const k = await store.putVersion(newVersion('b', 'k'), { replaceNull: false });
      const marker = await store.putVersion(deleteMarker('b', 'k'), { replaceNull: false });
      assert.equal(marker.isLatest, true);
      assert.equal(marker.size, 0);
      assert.deepEqual(marker.segments, []);
      const latest = await store.getVersion('b', 'k');
      assert.equal(latest?.isDeleteMarker, true);
      assert.deepEqual(
        (await store.listLatest('b', { prefix: '', limit: 10 })).map((v) => v.key),
        ['a'],
      );
      assert.deepEqual(
        (await store.listVersions('b', { prefix: '', limit: 10 })).map((v) => [v.key, v.versionId, v.isDeleteMarker, v.isLatest]),
        [
          ['a', a.versionId, false, true],
          ['k', marker.versionId, true, true],
          ['k', k.versionId, false, false],
        ],
      );
      await store.deleteVersion('b', 'k', marker.versionId);
      assert.deepEqual(
        (await store.listLatest('b', { prefix: '', limit: 10 })).map((v) => [v.key, v.isLatest]),
        [
          ['a', true],
          ['k', true],
        ],
      );
      // A marker under an older marker: deleting the newest object version exposes the marker again.
      const m2 = await store.putVersion(deleteMarker('b', 'a'), { replaceNull: false });
      const a2 = await store.putVersion(newVersion('b', 'a'), { replaceNull: false });
      assert.deepEqual((await store.listLatest('b', { prefix: 'a', limit: 10 })).map((v) => v.versionId), [a2.versionId]);
      await store.deleteVersion('b', 'a', a2.versionId);
      assert.equal((await store.getVersion('b', 'a'))?.versionId, m2.versionId);
      assert.deepEqual(await store.listLatest('b', { prefix: 'a', limit: 10 }), []);
    });

    test('listLatest: UTF-8 byte order, odd keys, prefix, after, limit', async (store) => {
      await store.createBucket(bucketOf('b'));
      const keys = [
        'a',
        'B',
        'a/b',
        'a//b',
        'a/b/c',
        '../../etc/passwd',
        'é',
        'e\u0301',
        'z',
        '\uFF5E',
        '😀',
        '😀x',
        '\u{10FFFF}',
        '\u{10FFFF}a',
        'under_score',
        'underXscore',
        'per%cent',
        'perXcent',
        'per%',
        'k'.repeat(1024),
        'space key',
        'tab\tkey',
        'quote\'"',
        'x'.repeat(300) + 'ü'.repeat(362),
      ];
      for (const key of keys) {
        await store.putVersion(newVersion('b', key, { versionId: NULL_VERSION_ID }), { replaceNull: true });
      }
      const expected = [...keys].sort(byteOrder);
      assert.deepEqual(
        (await store.listLatest('b', { prefix: '', limit: 1000 })).map((v) => v.key),
        expected,
      );
      // Page through with every limit from 1 to 5: each key exactly once, in order.
      for (let limit = 1; limit <= 5; limit++) {
        const seen: string[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await store.listLatest('b', { prefix: '', limit, ...(after === undefined ? {} : { after }) });
          assert.ok(page.length <= limit);
          if (page.length === 0) break;
          seen.push(...page.map((v) => v.key));
          after = page.at(-1)?.key;
        }
        assert.deepEqual(seen, expected, `limit ${limit}`);
      }
      const withPrefix = async (prefix: string, after?: string): Promise<string[]> =>
        (await store.listLatest('b', { prefix, limit: 1000, ...(after === undefined ? {} : { after }) })).map(
          (v) => v.key,
        );
      const expectPrefix = (prefix: string, after?: string): string[] =>
        expected.filter((k) => k.startsWith(prefix) && (after === undefined || byteOrder(k, after) > 0));
      for (const prefix of ['a', 'a/', 'a//', 'per%', 'under_', '_', '%', '😀', '\u{10FFFF}', 'é', 'e', 'zz', '.', 'x']) {
        assert.deepEqual(await withPrefix(prefix), expectPrefix(prefix), `prefix ${JSON.stringify(prefix)}`);
      }
      assert.deepEqual(await withPrefix('per%'), ['per%', 'per%cent'], '% is not a wildcard');
      assert.deepEqual(await withPrefix('under_'), ['under_score'], '_ is not a wildcard');
      assert.deepEqual(await withPrefix('a', 'a/b'), ['a/b/c']);
      assert.deepEqual(await withPrefix('a', '0'), expectPrefix('a'), 'after before the prefix range');
      assert.deepEqual(await withPrefix('a', 'b'), [], 'after beyond the prefix range');
      assert.deepEqual(await withPrefix('😀', '😀'), ['😀x']);
      assert.deepEqual(await withPrefix('', 'z'), expectPrefix('', 'z'));
      assert.deepEqual(await store.listLatest('b', { prefix: '', limit: 0 }), []);
      assert.deepEqual(await store.listLatest('other', { prefix: '', limit: 10 }), []);
    });

    test('listLatest ignores other buckets and older versions', async (store) => {
      await store.createBucket(bucketOf('b', undefined, 'Enabled'));
      await store.createBucket(bucketOf('c', undefined, 'Enabled'));
      await store.putVersion(newVersion('c', 'k'), { replaceNull: false });
      await store.putVersion(newVersion('b', 'k', { size: 1 }), { replaceNull: false });
      const newest = await store.putVersion(newVersion('b', 'k', { size: 2 }), { replaceNull: false });
      const listed = await store.listLatest('b', { prefix: '', limit: 10 });
      assert.deepEqual(
        listed.map((v) => [v.bucket, v.key, v.versionId, v.size, v.isLatest]),
        [['b', 'k', newest.versionId, 2, true]],
      );
    });

    test('listVersions: key order then newest first; markers with and without afterSeq', async (store) => {
      await store.createBucket(bucketOf('b', undefined, 'Enabled'));
      const written: ObjectVersion[] = [];
      const keys = ['b', 'a', 'é', 'a/x', 'c%', 'c_', 'a', 'b', 'a', '😀', 'é'];
      for (const [i, key] of keys.entries()) {
        const input = i % 4 === 3 ? deleteMarker('b', key) : newVersion('b', key);
        written.push(await store.putVersion(input, { replaceNull: false }));
      }
      const expected = [...written]
        .sort((x, y) => byteOrder(x.key, y.key) || y.seq - x.seq)
        .map((v) => `${v.key}#${v.versionId}`);
      const all = await store.listVersions('b', { prefix: '', limit: 1000 });
      assert.deepEqual(all.map((v) => `${v.key}#${v.versionId}`), expected);
      // isLatest is set on the newest of each key only.
      const newestByKey = new Map<string, number>();
      for (const v of written) newestByKey.set(v.key, Math.max(newestByKey.get(v.key) ?? 0, v.seq));
      for (const v of all) assert.equal(v.isLatest, newestByKey.get(v.key) === v.seq, `${v.key} ${v.seq}`);

      for (let limit = 1; limit <= 4; limit++) {
        const seen: string[] = [];
        let after: { key: string; afterSeq?: number } | undefined;
        for (;;) {
          const page = await store.listVersions('b', { prefix: '', limit, ...(after === undefined ? {} : { after }) });
          assert.ok(page.length <= limit);
          if (page.length === 0) break;
          seen.push(...page.map((v) => `${v.key}#${v.versionId}`));
          const last = page.at(-1)!;
          after = { key: last.key, afterSeq: last.seq };
        }
        assert.deepEqual(seen, expected, `limit ${limit}`);
      }
      // Without afterSeq the marker key is skipped entirely.
      assert.deepEqual(
        (await store.listVersions('b', { prefix: '', after: { key: 'a' }, limit: 1000 })).map((v) => v.key),
        expected.map((e) => e.split('#')[0]!).filter((k) => byteOrder(k, 'a') > 0),
      );
      // Prefixes, with LIKE wildcards taken literally.
      assert.deepEqual(
        (await store.listVersions('b', { prefix: 'c%', limit: 1000 })).map((v) => v.key),
        ['c%'],
      );
      assert.deepEqual(
        (await store.listVersions('b', { prefix: 'c_', limit: 1000 })).map((v) => v.key),
        ['c_'],
      );
      const aVersions = (await store.listVersions('b', { prefix: 'a', limit: 1000 })).map((v) => v.key);
      assert.deepEqual(aVersions, ['a', 'a', 'a', 'a/x']);
      // afterSeq in the middle of a key's stack, with a prefix.
      const aStack = all.filter((v) => v.key === 'a');
      const rest = await store.listVersions('b', { prefix: 'a', after: { key: 'a', afterSeq: aStack[0]!.seq }, limit: 1000 });
      assert.deepEqual(
        rest.map((v) => v.seq),
        [aStack[1]!.seq, aStack[2]!.seq, all.find((v) => v.key === 'a/x')!.seq],
      );
      // A marker outside the prefix range.
      assert.deepEqual(await store.listVersions('b', { prefix: 'a', after: { key: 'b', afterSeq: 1 }, limit: 10 }), []);
      assert.equal(
        (await store.listVersions('b', { prefix: 'c', after: { key: 'a', afterSeq: 1 }, limit: 10 })).length,
        2,
      );
      assert.deepEqual(await store.listVersions('b', { prefix: '', limit: 0 }), []);
    });
  });

  void describe('object tags', () => {
    test('getTags sorted by key (UTF-8 byte order); tagCount everywhere', async (store) => {
      await store.createBucket(bucketOf('b', undefined, 'Enabled'));
      const tags = [
        { key: 'zeta', value: '1' },
        { key: 'Alpha', value: '2' },
        { key: 'alpha', value: '3' },
        { key: 'émoji', value: '😀' },
        { key: 'a b', value: '' },
      ];
      const v = await store.putVersion(newVersion('b', 'k', { tags }), { replaceNull: false });
      const got = await store.getTags('b', 'k');
      assert.deepEqual(got?.tags, [...tags].sort((x, y) => byteOrder(x.key, y.key)));
      assert.equal(got?.version.versionId, v.versionId);
      assert.equal(got?.version.tagCount, 5);
      assert.equal(v.tagCount, 5);
      assert.equal((await store.listLatest('b', { prefix: '', limit: 1 }))[0]?.tagCount, 5);
      assert.equal((await store.listVersions('b', { prefix: '', limit: 1 }))[0]?.tagCount, 5);
      assert.deepEqual((await store.getTags('b', 'k', v.versionId))?.tags.length, 5);
      assert.equal(await store.getTags('b', 'missing'), undefined);
      assert.equal(await store.getTags('b', 'k', 'missing'), undefined);
    });

    test('replaceTags on the latest and on a given version', async (store) => {
      await store.createBucket(bucketOf('b', undefined, 'Enabled'));
      const v1 = await store.putVersion(newVersion('b', 'k', { tags: [{ key: 'v', value: '1' }] }), { replaceNull: false });
      const v2 = await store.putVersion(newVersion('b', 'k', { tags: [{ key: 'v', value: '2' }] }), { replaceNull: false });
      const r1 = await store.replaceTags('b', 'k', undefined, [
        { key: 'x', value: 'a' },
        { key: 'y', value: 'b' },
      ]);
      assert.equal(r1.status, 'ok');
      assert.ok(r1.status === 'ok');
      assert.equal(r1.version.versionId, v2.versionId);
      assert.equal(r1.version.tagCount, 2);
      assert.deepEqual((await store.getTags('b', 'k'))?.tags, [
        { key: 'x', value: 'a' },
        { key: 'y', value: 'b' },
      ]);
      assert.equal((await store.getVersion('b', 'k'))?.tagCount, 2);
      assert.deepEqual((await store.getTags('b', 'k', v1.versionId))?.tags, [{ key: 'v', value: '1' }]);

      const r2 = await store.replaceTags('b', 'k', v1.versionId, []);
      assert.ok(r2.status === 'ok');
      assert.equal(r2.version.tagCount, 0);
      assert.deepEqual((await store.getTags('b', 'k', v1.versionId))?.tags, []);
      assert.equal((await store.getVersion('b', 'k', v1.versionId))?.tagCount, 0);

      assert.deepEqual(await store.replaceTags('b', 'k', 'missing', []), { status: 'missing' });
      assert.deepEqual(await store.replaceTags('b', 'nokey', undefined, []), { status: 'missing' });
    });

    test('replaceTags refuses a delete marker and changes nothing', async (store) => {
      await store.createBucket(bucketOf('b', undefined, 'Enabled'));
      const v = await store.putVersion(newVersion('b', 'k', { tags: [{ key: 'keep', value: '1' }] }), { replaceNull: false });
      const marker = await store.putVersion(deleteMarker('b', 'k'), { replaceNull: false });
      const latest = await store.replaceTags('b', 'k', undefined, [{ key: 'new', value: '1' }]);
      assert.equal(latest.status, 'delete-marker');
      assert.ok(latest.status === 'delete-marker');
      assert.equal(latest.version.versionId, marker.versionId);
      const byId = await store.replaceTags('b', 'k', marker.versionId, [{ key: 'new', value: '1' }]);
      assert.equal(byId.status, 'delete-marker');
      assert.deepEqual((await store.getTags('b', 'k', marker.versionId))?.tags, []);
      assert.deepEqual((await store.getTags('b', 'k', v.versionId))?.tags, [{ key: 'keep', value: '1' }]);
    });

    test('replaceTags is atomic: a failing replacement keeps the old tag set', async (store) => {
      await store.createBucket(bucketOf('b'));
      await store.putVersion(newVersion('b', 'k', { versionId: NULL_VERSION_ID, tags: [{ key: 'keep', value: '1' }] }), {
        replaceNull: true,
      });
      // Duplicate keys violate the one-value-per-key rule the store enforces; the write must fail as a whole.
      await assert.rejects(
        store.replaceTags('b', 'k', undefined, [
          { key: 'dup', value: '1' },
          { key: 'dup', value: '2' },
        ]),
      );
      assert.deepEqual((await store.getTags('b', 'k'))?.tags, [{ key: 'keep', value: '1' }]);
      assert.equal((await store.getVersion('b', 'k'))?.tagCount, 1);
    });

    test('replaced null version takes its tags with it', async (store) => {
      await store.createBucket(bucketOf('b', undefined, 'Suspended'));
      await store.putVersion(newVersion('b', 'k', { versionId: NULL_VERSION_ID, tags: [{ key: 'a', value: '1' }] }), {
        replaceNull: true,
      });
      await store.putVersion(newVersion('b', 'k', { versionId: NULL_VERSION_ID }), { replaceNull: true });
      const got = await store.getTags('b', 'k', NULL_VERSION_ID);
      assert.deepEqual(got?.tags, []);
      assert.equal(got?.version.tagCount, 0);
    });
  });
}
