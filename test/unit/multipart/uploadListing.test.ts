import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listUploads, type FetchUploads, type UploadListing } from '../../../src/core/objects/multipart/uploadListing.js';
import type { MultipartUpload } from '../../../src/core/objects/MultipartUpload.js';
import { compareUtf8, listingLowerBound } from '../../../src/core/keys/keyOrder.js';

function upload(key: string, uploadId: string, t: number): MultipartUpload {
  return {
    uploadId,
    bucket: 'b',
    key,
    initiated: new Date(t),
    ownerAccountId: '1',
    initiatorArn: 'arn:aws:iam::111111111111:root',
    storageClass: 'STANDARD',
    contentHeaders: {},
    userMetadata: {},
    tags: [],
  };
}

/** An in-memory stand-in with the MetadataStore.listUploads contract; counts queries. */
function fakeStore(uploads: MultipartUpload[]): { fetch: FetchUploads; calls: number } {
  const sorted = [...uploads].sort(
    (a, b) => compareUtf8(a.key, b.key) || a.initiated.getTime() - b.initiated.getTime() || compareUtf8(a.uploadId, b.uploadId),
  );
  const state = { calls: 0, fetch: undefined as unknown as FetchUploads };
  state.fetch = (q) => {
    state.calls++;
    let rows = sorted.filter((u) => u.key.startsWith(q.prefix));
    if (q.keyMarker !== undefined && q.uploadIdMarker !== undefined) {
      const at = rows.findIndex((u) => u.key === q.keyMarker && u.uploadId === q.uploadIdMarker);
      if (at >= 0) rows = rows.slice(at + 1);
      else rows = rows.filter((u) => compareUtf8(u.key, q.keyMarker as string) >= 0);
    } else {
      const lower = listingLowerBound(q.prefix, q.keyMarker);
      rows = rows.filter((u) => (lower.inclusive ? compareUtf8(u.key, lower.value) >= 0 : compareUtf8(u.key, lower.value) > 0));
    }
    return Promise.resolve(rows.slice(0, q.limit));
  };
  return state;
}

const summary = (l: UploadListing) => ({
  uploads: l.uploads.map((u) => `${u.key}#${u.uploadId}`),
  prefixes: l.commonPrefixes,
  truncated: l.isTruncated,
  next: [l.nextKeyMarker, l.nextUploadIdMarker],
});

const data = [
  upload('a', 'a1', 1),
  upload('a', 'a2', 2),
  upload('b/1', 'b1', 3),
  upload('b/2', 'b2', 4),
  upload('b/3/x', 'b3', 5),
  upload('c', 'c1', 6),
  upload('d/1', 'd1', 7),
];

describe('listUploads', () => {
  it('lists by key then initiation time', async () => {
    const s = fakeStore(data);
    const l = await listUploads(s.fetch, { prefix: '', maxUploads: 1000 });
    assert.deepEqual(summary(l).uploads, ['a#a1', 'a#a2', 'b/1#b1', 'b/2#b2', 'b/3/x#b3', 'c#c1', 'd/1#d1']);
    assert.equal(l.isTruncated, false);
    assert.equal(l.nextKeyMarker, undefined);
  });

  it('pages with key-marker and upload-id-marker', async () => {
    const s = fakeStore(data);
    const first = await listUploads(s.fetch, { prefix: '', maxUploads: 1 });
    assert.deepEqual(summary(first), { uploads: ['a#a1'], prefixes: [], truncated: true, next: ['a', 'a1'] });
    const second = await listUploads(s.fetch, { prefix: '', keyMarker: 'a', uploadIdMarker: 'a1', maxUploads: 2 });
    assert.deepEqual(summary(second), { uploads: ['a#a2', 'b/1#b1'], prefixes: [], truncated: true, next: ['b/1', 'b1'] });
  });

  it('key-marker alone lists keys after it', async () => {
    const s = fakeStore(data);
    const l = await listUploads(s.fetch, { prefix: '', keyMarker: 'a', maxUploads: 1 });
    assert.deepEqual(summary(l).uploads, ['b/1#b1']);
  });

  it('rolls keys up into common prefixes, which count towards max-uploads', async () => {
    const s = fakeStore(data);
    const l = await listUploads(s.fetch, { prefix: '', delimiter: '/', maxUploads: 1000 });
    assert.deepEqual(summary(l), { uploads: ['a#a1', 'a#a2', 'c#c1'], prefixes: ['b/', 'd/'], truncated: false, next: [undefined, undefined] });

    const page = await listUploads(s.fetch, { prefix: '', delimiter: '/', maxUploads: 3 });
    assert.deepEqual(summary(page), { uploads: ['a#a1', 'a#a2'], prefixes: ['b/'], truncated: true, next: ['b/', undefined] });
    const rest = await listUploads(s.fetch, { prefix: '', delimiter: '/', keyMarker: 'b/', maxUploads: 3 });
    assert.deepEqual(summary(rest), { uploads: ['c#c1'], prefixes: ['d/'], truncated: false, next: [undefined, undefined] });
  });

  it('applies the delimiter after the prefix', async () => {
    const s = fakeStore(data);
    const l = await listUploads(s.fetch, { prefix: 'b/', delimiter: '/', maxUploads: 1000 });
    assert.deepEqual(summary(l), { uploads: ['b/1#b1', 'b/2#b2'], prefixes: ['b/3/'], truncated: false, next: [undefined, undefined] });
  });

  it('jumps over a rolled-up prefix instead of reading all its uploads', async () => {
    const many = Array.from({ length: 500 }, (_, i) => upload(`big/${String(i).padStart(4, '0')}`, `u${i}`, i));
    const s = fakeStore([...many, upload('z', 'z1', 1000)]);
    const l = await listUploads(s.fetch, { prefix: '', delimiter: '/', maxUploads: 10 });
    assert.deepEqual(summary(l), { uploads: ['z#z1'], prefixes: ['big/'], truncated: false, next: [undefined, undefined] });
    assert.ok(s.calls <= 3, `queries: ${s.calls}`);
  });

  it('max-uploads 0 lists nothing', async () => {
    const s = fakeStore(data);
    assert.deepEqual(summary(await listUploads(s.fetch, { prefix: '', maxUploads: 0 })), {
      uploads: [],
      prefixes: [],
      truncated: false,
      next: [undefined, undefined],
    });
  });

  it('is not truncated when the page ends exactly at the last upload', async () => {
    const s = fakeStore(data.slice(0, 2));
    const l = await listUploads(s.fetch, { prefix: '', maxUploads: 2 });
    assert.equal(l.isTruncated, false);
  });
});
