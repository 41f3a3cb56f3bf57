import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listVersionsPage, type VersionListingPage } from '../../../src/core/objects/listing/listVersionsPage.js';
import { versionMarkerPosition } from '../../../src/core/objects/listing/versionMarker.js';
import { S3Error } from '../../../src/errors/S3Error.js';
import { FakeListingSource, type FakeWrite } from './fakeListingSource.js';
import { prng, referenceVersions, type RefEntry } from './reference.js';

async function page(
  src: FakeListingSource,
  opts: { prefix?: string; delimiter?: string; keyMarker?: string; versionIdMarker?: string; maxKeys?: number } = {},
): Promise<VersionListingPage> {
  const after = await versionMarkerPosition(src, 'b', opts.keyMarker, opts.versionIdMarker);
  return listVersionsPage(src, 'b', { prefix: opts.prefix ?? '', delimiter: opts.delimiter, after, maxKeys: opts.maxKeys ?? 1000 });
}

/** A well-formed (32-character) version id that reads as its short name. */
const id = (name: string) => name.padEnd(32, '_');

const show = (p: VersionListingPage) => p.versions.map((v) => `${v.key}@${v.versionId.replace(/_+$/, '')}${v.isDeleteMarker ? '(DM)' : ''}${v.isLatest ? '*' : ''}`);

describe('listVersionsPage', () => {
  const writes: FakeWrite[] = [
    { key: 'a', versionId: id('a1') },
    { key: 'a', versionId: id('a2') },
    { key: 'b', versionId: id('b1') },
    { key: 'a', versionId: id('a3'), deleteMarker: true },
    { key: 'c/1', versionId: id('c1') },
    { key: 'c/2', versionId: id('c2') },
    { key: 'd', versionId: id('d1'), deleteMarker: true },
  ];

  it('lists versions and delete markers by key, newest first, with IsLatest', async () => {
    const p = await page(new FakeListingSource(writes));
    assert.deepEqual(show(p), ['a@a3(DM)*', 'a@a2', 'a@a1', 'b@b1*', 'c/1@c1*', 'c/2@c2*', 'd@d1(DM)*']);
    assert.equal(p.isTruncated, false);
  });

  it('rolls up by delimiter and counts a common prefix once', async () => {
    const p = await page(new FakeListingSource(writes), { delimiter: '/', maxKeys: 5 });
    assert.deepEqual(show(p), ['a@a3(DM)*', 'a@a2', 'a@a1', 'b@b1*']);
    assert.deepEqual(p.commonPrefixes, ['c/']);
    assert.equal(p.isTruncated, true);
    assert.deepEqual(p.last, { key: 'c/' });
    const next = await page(new FakeListingSource(writes), { delimiter: '/', keyMarker: 'c/' });
    assert.deepEqual(show(next), ['d@d1(DM)*']);
    assert.deepEqual(next.commonPrefixes, []);
  });

  it('continues inside a key stack from key-marker + version-id-marker', async () => {
    const src = new FakeListingSource(writes);
    const first = await page(src, { maxKeys: 2 });
    assert.deepEqual(show(first), ['a@a3(DM)*', 'a@a2']);
    assert.deepEqual(first.last, { key: 'a', versionId: id('a2') });
    const second = await page(src, { keyMarker: 'a', versionIdMarker: id('a2'), maxKeys: 2 });
    assert.deepEqual(show(second), ['a@a1', 'b@b1*']);
    const third = await page(src, { keyMarker: 'b', versionIdMarker: id('b1'), maxKeys: 2 });
    assert.deepEqual(show(third), ['c/1@c1*', 'c/2@c2*']);
    assert.equal(third.isTruncated, true);
  });

  it('skips every version of key-marker when no version-id-marker is given', async () => {
    assert.deepEqual(show(await page(new FakeListingSource(writes), { keyMarker: 'a' })).slice(0, 1), ['b@b1*']);
  });

  it('resumes at the newest remaining version when the marker version was deleted', async () => {
    const src = new FakeListingSource(writes);
    // the marker names a version that no longer exists (well-formed, unknown)
    const p = await page(src, { keyMarker: 'a', versionIdMarker: 'x'.repeat(32), maxKeys: 1 });
    assert.deepEqual(show(p), ['a@a3(DM)*']);
  });

  it('refuses a version-id-marker without key-marker, and a malformed one', async () => {
    const src = new FakeListingSource(writes);
    await assert.rejects(page(src, { versionIdMarker: 'null' }), (e: unknown) => e instanceof S3Error && e.code === 'InvalidArgument');
    await assert.rejects(page(src, { keyMarker: 'a', versionIdMarker: 'bad id' }), (e: unknown) => e instanceof S3Error && e.code === 'InvalidArgument');
  });

  it('answers max-keys 0 with an empty page that is not truncated', async () => {
    const p = await page(new FakeListingSource(writes), { maxKeys: 0 });
    assert.deepEqual([p.versions.length, p.isTruncated], [0, false]);
  });

  it('passes over a common prefix holding many versions with few rows read', async () => {
    const many: FakeWrite[] = [{ key: 'a' }];
    for (let i = 0; i < 5000; i++) many.push({ key: `big/${i}` }, { key: `big/${i}` });
    many.push({ key: 'z' });
    const src = new FakeListingSource(many);
    const p = await page(src, { delimiter: '/' });
    assert.deepEqual(p.versions.map((v) => v.key), ['a', 'z']);
    assert.deepEqual(p.commonPrefixes, ['big/']);
    assert.ok(src.rowsRead < 100, `read ${src.rowsRead} rows`);
  });
});

describe('listVersionsPage paginates like the reference listing', () => {
  const keys = ['a', 'a/b', 'a/c', 'b', 'b/x/y', 'é', 'é/1', '日/本'];
  const delimiters = [undefined, '/', 'b'];
  for (let seed = 1; seed <= 30; seed++) {
    it(`random case ${seed}`, async () => {
      const rand = prng(seed * 7919);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
      const src = new FakeListingSource();
      const count = 1 + Math.floor(rand() * 60);
      for (let i = 0; i < count; i++) src.write({ key: pick(keys), deleteMarker: rand() < 0.2, ...(rand() < 0.1 ? { versionId: 'null' } : {}) });
      const delimiter = pick(delimiters);
      const prefix = pick(['', 'a', 'b', 'é']);
      const maxKeys = 1 + Math.floor(rand() * 5);
      const everything = await listVersionsPage(src, 'b', { prefix: '', delimiter: undefined, after: undefined, maxKeys: 1000 });
      const expected = referenceVersions(everything.versions, prefix, delimiter);
      const got: RefEntry[] = [];
      let keyMarker: string | undefined;
      let versionIdMarker: string | undefined;
      for (let pages = 0; ; pages++) {
        assert.ok(pages <= expected.length + 1, 'too many pages');
        const p = await page(src, {
          prefix,
          ...(delimiter !== undefined ? { delimiter } : {}),
          ...(keyMarker !== undefined ? { keyMarker } : {}),
          ...(versionIdMarker !== undefined ? { versionIdMarker } : {}),
          maxKeys,
        });
        const pageEntries: RefEntry[] = [
          ...p.versions.map((v) => ({ kind: 'key' as const, key: v.key, versionId: v.versionId })),
          ...p.commonPrefixes.map((cp) => ({ kind: 'prefix' as const, prefix: cp })),
        ];
        const at = (e: RefEntry) => (e.kind === 'key' ? e.key : e.prefix);
        // a page's common prefixes interleave with its versions by key (stable: versions keep their order)
        pageEntries.sort((x, y) => Buffer.compare(Buffer.from(at(x)), Buffer.from(at(y))));
        got.push(...pageEntries);
        if (!p.isTruncated) break;
        keyMarker = p.last?.key;
        versionIdMarker = p.last?.versionId;
      }
      assert.deepEqual(got, expected);
    });
  }
});
