import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listObjectsPage, type ObjectListingPage } from '../../../src/core/objects/listing/listObjectsPage.js';
import { FakeListingSource } from './fakeListingSource.js';
import { prng, referenceObjects, type RefEntry } from './reference.js';

function source(keys: readonly string[]): FakeListingSource {
  return new FakeListingSource(keys.map((key) => ({ key })));
}

function keysOf(page: ObjectListingPage): string[] {
  return page.objects.map((o) => o.key);
}

async function list(src: FakeListingSource, prefix: string, delimiter: string | undefined, after: string | undefined, maxKeys: number) {
  return listObjectsPage(src, 'b', { prefix, delimiter, after, maxKeys });
}

/** Entries of a page in listing order (objects and common prefixes merged, as they interleave by key). */
function entries(page: ObjectListingPage): RefEntry[] {
  const all: RefEntry[] = [
    ...page.objects.map((o) => ({ kind: 'key' as const, key: o.key })),
    ...page.commonPrefixes.map((p) => ({ kind: 'prefix' as const, prefix: p })),
  ];
  const at = (e: RefEntry) => (e.kind === 'key' ? e.key : e.prefix);
  return all.sort((a, b) => Buffer.compare(Buffer.from(at(a)), Buffer.from(at(b))));
}

describe('listObjectsPage (s3-tests cases)', () => {
  it('rolls keys up by the delimiter', async () => {
    const page = await list(source(['foo/bar', 'foo/bar/xyzzy', 'quux/thud', 'asdf']), '', '/', undefined, 1000);
    assert.deepEqual(keysOf(page), ['asdf']);
    assert.deepEqual(page.commonPrefixes, ['foo/', 'quux/']);
    assert.equal(page.isTruncated, false);
  });

  it('pages through a delimiter listing with markers, never repeating a common prefix', async () => {
    const src = source(['asdf', 'boo/bar', 'boo/baz/xyzzy', 'cquux/thud', 'cquux/bla']);
    let page = await list(src, '', '/', undefined, 1);
    assert.deepEqual([keysOf(page), page.commonPrefixes, page.isTruncated, page.last], [['asdf'], [], true, 'asdf']);
    page = await list(src, '', '/', 'asdf', 1);
    assert.deepEqual([keysOf(page), page.commonPrefixes, page.isTruncated, page.last], [[], ['boo/'], true, 'boo/']);
    page = await list(src, '', '/', 'boo/', 1);
    assert.deepEqual([keysOf(page), page.commonPrefixes, page.isTruncated], [[], ['cquux/'], false]);

    page = await list(src, '', '/', undefined, 2);
    assert.deepEqual([keysOf(page), page.commonPrefixes, page.isTruncated, page.last], [['asdf'], ['boo/'], true, 'boo/']);
    page = await list(src, '', '/', 'boo/', 2);
    assert.deepEqual([keysOf(page), page.commonPrefixes, page.isTruncated], [[], ['cquux/'], false]);

    page = await list(src, 'boo/', '/', undefined, 1);
    assert.deepEqual([keysOf(page), page.commonPrefixes, page.isTruncated, page.last], [['boo/bar'], [], true, 'boo/bar']);
    page = await list(src, 'boo/', '/', 'boo/bar', 1);
    assert.deepEqual([keysOf(page), page.commonPrefixes, page.isTruncated], [[], ['boo/baz/'], false]);
  });

  it('takes any string as delimiter, including several characters', async () => {
    let page = await list(source(['bar', 'baz', 'cab', 'foo']), '', 'a', undefined, 1000);
    assert.deepEqual([keysOf(page), page.commonPrefixes], [['foo'], ['ba', 'ca']]);
    page = await list(source(['b.a.r', 'c.d', 'x--y--z', 'x--w']), '', '--', undefined, 1000);
    assert.deepEqual([keysOf(page), page.commonPrefixes], [['b.a.r', 'c.d'], ['x--']]);
  });

  it('lists a key equal to the prefix ending in the delimiter as a key', async () => {
    const page = await list(source(['asdf/']), 'asdf/', '/', undefined, 1000);
    assert.deepEqual([keysOf(page), page.commonPrefixes], [['asdf/'], []]);
  });

  it('passes over a large common prefix cheaply and lists what follows', async () => {
    const keys = ['0/', ...Array.from({ length: 999 }, (_, i) => `0/${1000 + i}`), '1999', '1999#', '1999+', '2000'];
    const src = source(keys);
    const page = await list(src, '', '/', undefined, 1000);
    assert.deepEqual(keysOf(page), ['1999', '1999#', '1999+', '2000']);
    assert.deepEqual(page.commonPrefixes, ['0/']);
    assert.ok(src.rowsRead < 100, `read ${src.rowsRead} rows`);
  });

  it('answers max-keys 0 with an empty page that is not truncated', async () => {
    const src = source(['bar', 'baz']);
    const page = await list(src, '', undefined, undefined, 0);
    assert.deepEqual([keysOf(page), page.isTruncated], [[], false]);
    assert.equal(src.queries, 0);
  });

  it('starts after a marker that is not a key, and after the last key', async () => {
    const src = source(['bar', 'baz', 'foo', 'quxx']);
    assert.deepEqual(keysOf(await list(src, '', undefined, 'blah', 1000)), ['foo', 'quxx']);
    const after = await list(src, '', undefined, 'zzz', 1000);
    assert.deepEqual([keysOf(after), after.isTruncated], [[], false]);
    assert.deepEqual(keysOf(await list(src, '', undefined, '\n', 1000)), ['bar', 'baz', 'foo', 'quxx']);
  });

  it('is truncated only when another entry follows', async () => {
    const src = source(['a', 'b']);
    assert.equal((await list(src, '', undefined, undefined, 2)).isTruncated, false);
    assert.equal((await list(src, '', undefined, undefined, 1)).isTruncated, true);
    const rolled = source(['a/1', 'a/2', 'b/1']);
    assert.equal((await list(rolled, '', '/', undefined, 2)).isTruncated, false);
    assert.equal((await list(rolled, '', '/', undefined, 1)).isTruncated, true);
  });

  it('hides keys whose latest version is a delete marker', async () => {
    const src = new FakeListingSource([{ key: 'a' }, { key: 'b' }, { key: 'b', deleteMarker: true }, { key: 'c/x' }, { key: 'c/x', deleteMarker: true }]);
    const page = await list(src, '', '/', undefined, 1000);
    assert.deepEqual([keysOf(page), page.commonPrefixes], [['a'], []]);
  });

  it('orders keys by UTF-8 bytes, not UTF-16 code units', async () => {
    // U+FF5E (3 UTF-8 bytes) sorts before U+1F600 (4 bytes) in UTF-8, after it in UTF-16
    const page = await list(source(['\u{1F600}', '\uFF5E', 'a//b', '../x']), '', undefined, undefined, 1000);
    assert.deepEqual(keysOf(page), ['../x', 'a//b', '\uFF5E', '\u{1F600}']);
  });
});

describe('listObjectsPage on a big bucket', () => {
  it('reads a bounded number of rows however many keys a common prefix holds', async () => {
    const keys: string[] = ['top-1', 'top-2'];
    for (const dir of ['a', 'b', 'c', 'd']) for (let i = 0; i < 20000; i++) keys.push(`${dir}/${String(i).padStart(6, '0')}`);
    keys.push('z-last');
    const src = source(keys);
    const page = await list(src, '', '/', undefined, 1000);
    assert.deepEqual(page.commonPrefixes, ['a/', 'b/', 'c/', 'd/']);
    assert.deepEqual(keysOf(page), ['top-1', 'top-2', 'z-last']);
    assert.ok(src.rowsRead < 200, `read ${src.rowsRead} rows`);
    assert.ok(src.queries < 20, `${src.queries} queries`);
  });

  it('reads max-keys + 1 rows when nothing rolls up', async () => {
    const src = source(Array.from({ length: 5000 }, (_, i) => `k${String(i).padStart(5, '0')}`));
    const page = await list(src, '', undefined, undefined, 1000);
    assert.equal(page.objects.length, 1000);
    assert.equal(page.isTruncated, true);
    assert.equal(src.rowsRead, 1001);
    assert.equal(src.queries, 1);
  });
});

describe('listObjectsPage paginates like the reference listing', () => {
  const alphabet = ['a', 'b', '/', '.', '-', ' ', '+', 'é', '日', '\u{1F600}', '\uFF5E'];
  const delimiters = [undefined, '/', 'a', '日', '/a'];
  const prefixes = ['', 'a', 'a/', 'b', '日'];
  for (let seed = 1; seed <= 40; seed++) {
    it(`random case ${seed}`, async () => {
      const rand = prng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
      const keys = new Set<string>();
      const n = 1 + Math.floor(rand() * 120);
      while (keys.size < n) {
        let k = '';
        const len = 1 + Math.floor(rand() * 6);
        for (let i = 0; i < len; i++) k += pick(alphabet);
        keys.add(k);
      }
      const src = source([...keys]);
      const prefix = pick(prefixes);
      const delimiter = pick(delimiters);
      const maxKeys = 1 + Math.floor(rand() * 7);
      const expected = referenceObjects([...keys], prefix, delimiter, undefined);
      const got: RefEntry[] = [];
      let after: string | undefined;
      for (let pages = 0; ; pages++) {
        assert.ok(pages <= expected.length + 1, 'too many pages');
        const page = await list(src, prefix, delimiter, after, maxKeys);
        got.push(...entries(page));
        assert.ok(page.objects.length + page.commonPrefixes.length <= maxKeys);
        if (!page.isTruncated) break;
        assert.equal(page.objects.length + page.commonPrefixes.length, maxKeys);
        after = page.last;
      }
      assert.deepEqual(got, expected);
    });
  }
});
