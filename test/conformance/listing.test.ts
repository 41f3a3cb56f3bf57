import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  paginateListObjectsV2,
  type ListObjectsV2CommandInput,
} from '@aws-sdk/client-s3';
import { bucketName } from '../support/names.js';
import { rejects, withQuery, type Stackable } from '../support/sdk.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

/** Keep a copy of the raw response body (read inside the deserializer, which then parses the copy). */
function capturingBody<C>(command: C): { command: C; body: () => string } {
  let text = '';
  (command as unknown as Stackable).middlewareStack.add(
    (next: (a: unknown) => Promise<{ response: { body: Readable } }>) => async (args: unknown) => {
      const result = await next(args);
      const chunks: Buffer[] = [];
      for await (const chunk of result.response.body) chunks.push(Buffer.from(chunk as Uint8Array));
      const raw = Buffer.concat(chunks);
      text = raw.toString('utf8');
      result.response.body = Readable.from([raw]);
      return result;
    },
    { step: 'deserialize', priority: 'low' },
  );
  return { command, body: () => text };
}

describe('object listings (AWS SDK v3)', () => {
  let server: TestServer;
  let s3: S3Client;

  async function bucketWith(keys: readonly string[], versioning?: 'Enabled'): Promise<string> {
    const name = bucketName('list');
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    if (versioning) await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: versioning } }));
    const queue = [...keys];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
          await s3.send(new PutObjectCommand({ Bucket: name, Key: key, Body: key }));
        }
      }),
    );
    return name;
  }

  const keysOf = (out: { Contents?: { Key?: string | undefined }[] | undefined }) => (out.Contents ?? []).map((c) => c.Key);
  const prefixesOf = (out: { CommonPrefixes?: { Prefix?: string | undefined }[] | undefined }) => (out.CommonPrefixes ?? []).map((c) => c.Prefix);

  before(async () => {
    server = await startTestServer();
    s3 = server.s3;
  });
  after(async () => {
    await server.stop();
  });

  describe('ListObjects (v1)', () => {
    it('rolls up by delimiter and pages with NextMarker, never repeating a common prefix', async () => {
      const bucket = await bucketWith(['asdf', 'boo/bar', 'boo/baz/xyzzy', 'cquux/thud', 'cquux/bla']);
      const page = (Marker: string, MaxKeys: number, Prefix = '') => s3.send(new ListObjectsCommand({ Bucket: bucket, Delimiter: '/', Marker, MaxKeys, Prefix }));
      let out = await page('', 1);
      assert.deepEqual([keysOf(out), prefixesOf(out), out.IsTruncated, out.NextMarker], [['asdf'], [], true, 'asdf']);
      out = await page('asdf', 1);
      assert.deepEqual([keysOf(out), prefixesOf(out), out.IsTruncated, out.NextMarker], [[], ['boo/'], true, 'boo/']);
      out = await page('boo/', 1);
      assert.deepEqual([keysOf(out), prefixesOf(out), out.IsTruncated, out.NextMarker], [[], ['cquux/'], false, undefined]);
      out = await page('', 2, 'boo/');
      assert.deepEqual([keysOf(out), prefixesOf(out), out.IsTruncated, out.Prefix], [['boo/bar'], ['boo/baz/'], false, 'boo/']);
    });

    it('echoes Marker and MaxKeys, gives no NextMarker without a delimiter, shows Owner', async () => {
      const bucket = await bucketWith(['bar', 'baz', 'foo', 'quxx']);
      const all = await s3.send(new ListObjectsCommand({ Bucket: bucket }));
      assert.deepEqual(keysOf(all), ['bar', 'baz', 'foo', 'quxx']);
      assert.equal(all.Marker, '');
      assert.equal(all.MaxKeys, 1000);
      assert.equal(all.Delimiter, undefined);
      const root = server.server.identity.rootAccount;
      assert.deepEqual(all.Contents?.[0]?.Owner, { ID: root.canonicalId, DisplayName: root.displayName });
      const first = await s3.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: 2 }));
      assert.deepEqual([keysOf(first), first.IsTruncated, first.NextMarker], [['bar', 'baz'], true, undefined]);
      const rest = await s3.send(new ListObjectsCommand({ Bucket: bucket, Marker: 'baz', MaxKeys: 2 }));
      assert.deepEqual([keysOf(rest), rest.IsTruncated, rest.Marker], [['foo', 'quxx'], false, 'baz']);
      const blah = await s3.send(new ListObjectsCommand({ Bucket: bucket, Marker: 'blah' }));
      assert.deepEqual(keysOf(blah), ['foo', 'quxx']);
      const none = await s3.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: 0 }));
      assert.deepEqual([keysOf(none), none.IsTruncated], [[], false]);
      const big = await s3.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: 5000 }));
      assert.equal(big.MaxKeys, 5000);
      const empty = await s3.send(new ListObjectsCommand({ Bucket: bucket, Delimiter: '' }));
      assert.equal(empty.Delimiter, undefined);
    });

    it('refuses a bad max-keys or encoding-type with InvalidArgument, and a missing bucket with NoSuchBucket', async () => {
      const bucket = await bucketWith([]);
      await rejects(s3.send(withQuery(new ListObjectsCommand({ Bucket: bucket }), { 'max-keys': 'blah' })), 400, 'InvalidArgument');
      await rejects(s3.send(withQuery(new ListObjectsCommand({ Bucket: bucket }), { 'max-keys': '-1' })), 400, 'InvalidArgument');
      await rejects(s3.send(withQuery(new ListObjectsCommand({ Bucket: bucket }), { 'encoding-type': 'zip' })), 400, 'InvalidArgument');
      await rejects(s3.send(new ListObjectsCommand({ Bucket: bucketName('missing') })), 404, 'NoSuchBucket');
    });

    it('URL-encodes keys, prefixes and markers with encoding-type=url', async () => {
      const bucket = await bucketWith(['foo+1/bar', 'foo/bar/xyzzy', 'quux ab/thud', 'asdf+b']);
      const out = await s3.send(new ListObjectsCommand({ Bucket: bucket, Delimiter: '/', EncodingType: 'url' }));
      assert.equal(out.EncodingType, 'url');
      assert.equal(out.Delimiter, '/');
      assert.deepEqual(keysOf(out), ['asdf%2Bb']);
      assert.deepEqual(prefixesOf(out), ['foo%2B1/', 'foo/', 'quux%20ab/']);
      const paged = await s3.send(new ListObjectsCommand({ Bucket: bucket, Delimiter: '/', EncodingType: 'url', MaxKeys: 2, Marker: 'a b' }));
      assert.equal(paged.Marker, 'a%20b');
      assert.deepEqual([keysOf(paged), prefixesOf(paged), paged.NextMarker], [['asdf%2Bb'], ['foo%2B1/'], 'foo%2B1/']);
    });
  });

  describe('ListObjectsV2', () => {
    it('pages through every key with paginateListObjectsV2', async () => {
      const keys = Array.from({ length: 23 }, (_, i) => `k/${String(i).padStart(3, '0')}`);
      const bucket = await bucketWith(keys);
      const seen: string[] = [];
      let pages = 0;
      for await (const page of paginateListObjectsV2({ client: s3, pageSize: 4 }, { Bucket: bucket })) {
        pages += 1;
        assert.equal(page.KeyCount, (page.Contents ?? []).length);
        seen.push(...(page.Contents ?? []).map((c) => c.Key ?? ''));
      }
      assert.deepEqual(seen, keys);
      assert.equal(pages, 6);
    });

    it('pages a delimiter listing with continuation tokens, counting common prefixes in KeyCount', async () => {
      const bucket = await bucketWith(['asdf', 'boo/bar', 'boo/baz/xyzzy', 'cquux/thud', 'cquux/bla']);
      const input: ListObjectsV2CommandInput = { Bucket: bucket, Delimiter: '/', MaxKeys: 2 };
      const first = await s3.send(new ListObjectsV2Command(input));
      assert.deepEqual([keysOf(first), prefixesOf(first), first.KeyCount, first.IsTruncated], [['asdf'], ['boo/'], 2, true]);
      assert.ok(first.NextContinuationToken);
      const second = await s3.send(new ListObjectsV2Command({ ...input, ContinuationToken: first.NextContinuationToken }));
      assert.deepEqual([keysOf(second), prefixesOf(second), second.KeyCount, second.IsTruncated], [[], ['cquux/'], 1, false]);
      assert.equal(second.ContinuationToken, first.NextContinuationToken);
      assert.equal(second.NextContinuationToken, undefined);
      const prefixes: string[] = [];
      for await (const page of paginateListObjectsV2({ client: s3, pageSize: 1 }, { Bucket: bucket, Delimiter: '/' })) {
        prefixes.push(...prefixesOf(page).map(String), ...keysOf(page).map(String));
      }
      assert.deepEqual(prefixes, ['asdf', 'boo/', 'cquux/']);
    });

    it('starts after start-after, lets a continuation token win, and refuses a forged token', async () => {
      const bucket = await bucketWith(['bar', 'baz', 'foo', 'quxx']);
      const first = await s3.send(new ListObjectsV2Command({ Bucket: bucket, StartAfter: 'bar', MaxKeys: 1 }));
      assert.deepEqual([keysOf(first), first.StartAfter], [['baz'], 'bar']);
      const rest = await s3.send(new ListObjectsV2Command({ Bucket: bucket, StartAfter: 'bar', ContinuationToken: first.NextContinuationToken }));
      assert.deepEqual([keysOf(rest), rest.StartAfter, rest.IsTruncated], [['foo', 'quxx'], 'bar', false]);
      const emptyToken = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: '' }));
      assert.deepEqual(keysOf(emptyToken), ['bar', 'baz', 'foo', 'quxx']);
      await rejects(s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: 'not-a-token' })), 400, 'InvalidArgument');
      const zero = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 0 }));
      assert.deepEqual([keysOf(zero), zero.IsTruncated, zero.KeyCount], [[], false, 0]);
    });

    it('shows Owner only with fetch-owner, quoted ETags, sizes, storage class and checksum algorithm', async () => {
      const bucket = await bucketWith([]);
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'sum', Body: 'hello', ChecksumAlgorithm: 'SHA256' }));
      const plain = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      const entry = plain.Contents?.[0];
      assert.equal(entry?.Owner, undefined);
      assert.equal(entry?.ETag, put.ETag);
      assert.equal(entry?.Size, 5);
      assert.equal(entry?.StorageClass, 'STANDARD');
      assert.deepEqual(entry?.ChecksumAlgorithm, ['SHA256']);
      assert.ok(entry?.LastModified instanceof Date);
      const owned = await s3.send(new ListObjectsV2Command({ Bucket: bucket, FetchOwner: true }));
      assert.equal(owned.Contents?.[0]?.Owner?.ID, server.server.identity.rootAccount.canonicalId);
    });

    it('lists arbitrary keys exactly, in UTF-8 byte order', async () => {
      const long = 'L'.repeat(1020) + '\u{1F600}';
      const keys = ['a//b', '../x', './y', '\uFF5E', '\u{1F600}', 'sp ace', 'pl+us', 'pct%20', 'q?x=1', 'h#x', long];
      const bucket = await bucketWith(keys);
      const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      const expected = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      assert.deepEqual(keysOf(out), expected);
      const slash = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/', Prefix: 'a/' }));
      assert.deepEqual(prefixesOf(slash), ['a//']);
      const encoded = await s3.send(new ListObjectsV2Command({ Bucket: bucket, EncodingType: 'url', Prefix: 'pct' }));
      assert.deepEqual(keysOf(encoded), ['pct%2520']);
    });

    it('rolls up a big common prefix and pages past 1000 keys', async () => {
      const bucket = await bucketWith(['top-a', 'top-z']);
      // 1100 empty objects written straight to the store (PutObject for each would only slow the test down)
      const metadata = server.server.metadata;
      const owner = server.server.identity.rootAccount.id;
      await Promise.all(
        Array.from({ length: 1100 }, (_, i) =>
          metadata.putVersion(
            {
              bucket,
              key: `big/${String(i).padStart(5, '0')}`,
              versionId: 'null',
              isDeleteMarker: false,
              lastModified: new Date(),
              ownerAccountId: owner,
              size: 0,
              etag: 'd41d8cd98f00b204e9800998ecf8427e',
              storageClass: 'STANDARD',
              contentHeaders: {},
              userMetadata: {},
              segments: [],
              tags: [],
            },
            { replaceNull: true },
          ),
        ),
      );
      const rolled = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' }));
      assert.deepEqual([keysOf(rolled), prefixesOf(rolled), rolled.IsTruncated], [['top-a', 'top-z'], ['big/'], false]);
      const sizes: number[] = [];
      for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: 'big/' })) sizes.push(page.KeyCount ?? -1);
      assert.deepEqual(sizes, [1000, 100]);
    });
  });

  describe('ListObjectVersions', () => {
    it('lists versions and delete markers newest first, interleaved in key order', async () => {
      const bucket = await bucketWith([], 'Enabled');
      const v1 = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a', Body: '1' }));
      const v2 = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a', Body: '22' }));
      const dm = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'a' }));
      const b1 = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'b', Body: '333' }));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'c/1', Body: 'x' }));

      const { command, body } = capturingBody(new ListObjectVersionsCommand({ Bucket: bucket }));
      const out = await s3.send(command);
      assert.deepEqual(
        out.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest, v.Size]),
        [
          ['a', v2.VersionId, false, 2],
          ['a', v1.VersionId, false, 1],
          ['b', b1.VersionId, true, 3],
          ['c/1', out.Versions?.[3]?.VersionId, true, 1],
        ],
      );
      assert.deepEqual(out.DeleteMarkers?.map((d) => [d.Key, d.VersionId, d.IsLatest]), [['a', dm.VersionId, true]]);
      assert.equal(out.DeleteMarkers?.[0]?.Owner?.ID, server.server.identity.rootAccount.canonicalId);
      // on the wire the delete marker comes first: it is the newest entry of key a
      const order = [...body().matchAll(/<(Version|DeleteMarker)>/g)].map((m) => m[1]);
      assert.deepEqual(order, ['DeleteMarker', 'Version', 'Version', 'Version', 'Version']);

      const current = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      assert.deepEqual(keysOf(current), ['b', 'c/1']);
      const rolled = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Delimiter: '/' }));
      assert.deepEqual(prefixesOf(rolled), ['c/']);
      assert.equal(rolled.Versions?.length, 3);
    });

    it('pages with key-marker / version-id-marker one entry at a time', async () => {
      const bucket = await bucketWith([], 'Enabled');
      for (const key of ['x', 'y', 'x', 'z', 'y']) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'z' }));
      const all = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
      const expected = [...(all.Versions ?? []), ...(all.DeleteMarkers ?? [])]
        .map((v) => `${v.Key}@${v.VersionId}`)
        .sort((p, q) => (p.split('@')[0] ?? '').localeCompare(q.split('@')[0] ?? ''));
      const seen: string[] = [];
      let KeyMarker: string | undefined;
      let VersionIdMarker: string | undefined;
      for (let i = 0; i < 20; i++) {
        const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1, KeyMarker, VersionIdMarker }));
        const entries = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])];
        assert.equal(entries.length, 1);
        seen.push(`${entries[0]?.Key}@${entries[0]?.VersionId}`);
        if (!page.IsTruncated) break;
        assert.equal(page.NextKeyMarker, entries[0]?.Key);
        assert.equal(page.NextVersionIdMarker, entries[0]?.VersionId);
        KeyMarker = page.NextKeyMarker;
        VersionIdMarker = page.NextVersionIdMarker;
      }
      assert.equal(seen.length, 6);
      assert.deepEqual([...seen].sort(), [...expected].sort());
      // key order, newest first within a key: the same order as one full listing
      const full = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
      const { command, body } = capturingBody(new ListObjectVersionsCommand({ Bucket: bucket }));
      await s3.send(command);
      const wire = [...body().matchAll(/<Key>([^<]*)<\/Key><VersionId>([^<]*)<\/VersionId>/g)].map((m) => `${m[1]}@${m[2]}`);
      assert.deepEqual(seen, wire);
      assert.equal(full.IsTruncated, false);
    });

    it('refuses a version-id-marker without key-marker', async () => {
      const bucket = await bucketWith([]);
      await rejects(s3.send(new ListObjectVersionsCommand({ Bucket: bucket, VersionIdMarker: 'null' })), 400, 'InvalidArgument');
    });

    it('shows null versions of an unversioned bucket', async () => {
      const bucket = await bucketWith(['k']);
      const out = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, EncodingType: 'url' }));
      assert.deepEqual(out.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest]), [['k', 'null', true]]);
      assert.equal(out.EncodingType, 'url');
    });
  });
});
