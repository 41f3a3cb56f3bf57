import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { AclGrant } from '../../src/core/access/AccessControlList.js';
import type { VersioningState } from '../../src/core/buckets/Bucket.js';
import type { MultipartUpload, UploadPart } from '../../src/core/objects/MultipartUpload.js';
import { NULL_VERSION_ID, type NewObjectVersion, type ObjectVersion } from '../../src/core/objects/ObjectVersion.js';
import type { Tag } from '../../src/core/tags/Tag.js';
import type { MetadataStore } from '../../src/core/ports/MetadataStore.js';

/** One store under test, fresh and empty. */
export interface MetadataFixture {
  readonly store: MetadataStore;
  /** Close the store and open it again over the same data (omit when the backend cannot). */
  reopen?(): Promise<MetadataStore>;
  /** Close whatever is open and remove the data. */
  dispose(): Promise<void>;
}

export interface MetadataContractTarget {
  create(): Promise<MetadataFixture>;
  /** Set to a reason to skip the whole suite (e.g. "no PostgreSQL configured"). */
  readonly skip?: string;
}

/**
 * The behaviour every MetadataStore backend must have. Call it from a `*.test.ts` file:
 *   runMetadataContract('sqlite', { create: async () => … });
 */
export function runMetadataContract(name: string, target: MetadataContractTarget): void {
  const test = (title: string, body: (store: MetadataStore, fixture: MetadataFixture) => Promise<void>): void => {
    void it(title, async () => {
      const fixture = await target.create();
      try {
        await body(fixture.store, fixture);
      } finally {
        await fixture.dispose();
      }
    });
  };

  void describe(`MetadataStore contract: ${name}`, { skip: target.skip ?? false }, () => {
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

    void describe('access control: multipart uploads', () => {
      test('an upload remembers its ACL until it is completed or aborted', async (store) => {
        const grants: AclGrant[] = [{ grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'READ' }];
        await store.createBucket(bucketOf('b'));
        assert.equal(await store.setUploadAcl('nope', grants), 'no-upload');
        await store.createUpload(upload('b', 'k', 'u1'));
        assert.equal(await store.getUploadAcl('u1'), undefined);
        assert.equal(await store.setUploadAcl('u1', grants), 'ok');
        assert.deepEqual(await store.getUploadAcl('u1'), grants);
        assert.equal(await store.abortUpload('u1'), true);
        assert.equal(await store.getUploadAcl('u1'), undefined);
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
  });
}

// ---- builders ----

export function blobId(): string {
  return randomBytes(16).toString('hex');
}

function account(id: string) {
  return { id, canonicalId: id.repeat(6).slice(0, 64).padEnd(64, '0'), displayName: `acct-${id}`, createdAt: new Date(1_700_000_000_000) };
}

function bucketOf(name: string, owner = '111111111111', versioning: VersioningState = 'Unversioned') {
  return { name, ownerAccountId: owner, region: 'us-east-1', createdAt: new Date(1_700_000_000_000), versioning };
}

type VersionOverrides = Partial<Omit<NewObjectVersion, 'bucket' | 'key'>>;

export function newVersion(bucket: string, key: string, overrides: VersionOverrides = {}): NewObjectVersion {
  const size = overrides.size ?? 10;
  return {
    bucket,
    key,
    versionId: randomBytes(24).toString('base64url'),
    isDeleteMarker: false,
    lastModified: new Date(1_700_000_000_000),
    ownerAccountId: '111111111111',
    size,
    etag: randomBytes(16).toString('hex'),
    storageClass: 'STANDARD',
    contentHeaders: {},
    userMetadata: {},
    segments: [{ blobId: blobId(), size }],
    tags: [],
    ...overrides,
  };
}

function deleteMarker(bucket: string, key: string, versionId?: string): NewObjectVersion {
  return newVersion(bucket, key, {
    isDeleteMarker: true,
    size: 0,
    etag: '',
    segments: [],
    ...(versionId === undefined ? {} : { versionId }),
  });
}

function upload(bucket: string, key: string, uploadId: string): MultipartUpload {
  return {
    uploadId,
    bucket,
    key,
    initiated: new Date(1_700_000_000_000),
    ownerAccountId: '111111111111',
    initiatorArn: 'arn:aws:iam::111111111111:root',
    storageClass: 'STANDARD',
    contentHeaders: {},
    userMetadata: {},
    tags: [] as Tag[],
  };
}

function part(uploadId: string, partNumber: number, overrides: Partial<UploadPart> = {}): UploadPart {
  const size = 5 * 1024 * 1024 + partNumber;
  return {
    uploadId,
    partNumber,
    size,
    etag: randomBytes(16).toString('hex'),
    lastModified: new Date(1_700_000_000_000),
    segment: { blobId: blobId(), size },
    ...overrides,
  };
}

/** A version whose one segment is stored inline with it. */
export function inlineVersion(bucket: string, key: string, data: Buffer, overrides: VersionOverrides = {}): NewObjectVersion {
  const id = 'in' + randomBytes(15).toString('hex');
  return newVersion(bucket, key, {
    size: data.length,
    segments: [{ blobId: id, size: data.length, inline: true }],
    inlineData: new Map([[id, data]]),
    ...overrides,
  });
}

function blobIdsOf(version: NewObjectVersion): string[] {
  return version.segments.map((s) => s.blobId).sort();
}

/** Everything in the outbox, forgotten afterwards; sorted. */
async function drainReleased(store: MetadataStore): Promise<string[]> {
  const ids = await store.takeReleasedBlobs(10_000);
  await store.forgetReleasedBlobs(ids);
  return ids.sort();
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
