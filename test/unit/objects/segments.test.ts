import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { partCount, partRange, segmentReads } from '../../../src/core/objects/segments.js';

const SEGMENTS = [
  { blobId: 'a', size: 5 },
  { blobId: 'b', size: 3 },
  { blobId: 'c', size: 4 },
]; // bytes 0-4 | 5-7 | 8-11

describe('segmentReads', () => {
  it('whole object reads every segment whole', () => {
    assert.deepEqual(segmentReads(SEGMENTS, 0, 11), [
      { blobId: 'a', start: 0, end: 4 },
      { blobId: 'b', start: 0, end: 2 },
      { blobId: 'c', start: 0, end: 3 },
    ]);
  });
  it('a range inside one segment', () => {
    assert.deepEqual(segmentReads(SEGMENTS, 6, 6), [{ blobId: 'b', start: 1, end: 1 }]);
  });
  it('a range across segment boundaries', () => {
    assert.deepEqual(segmentReads(SEGMENTS, 4, 8), [
      { blobId: 'a', start: 4, end: 4 },
      { blobId: 'b', start: 0, end: 2 },
      { blobId: 'c', start: 0, end: 0 },
    ]);
  });
  it('exact segment boundaries', () => {
    assert.deepEqual(segmentReads(SEGMENTS, 5, 7), [{ blobId: 'b', start: 0, end: 2 }]);
    assert.deepEqual(segmentReads(SEGMENTS, 11, 11), [{ blobId: 'c', start: 3, end: 3 }]);
  });
  it('skips empty segments', () => {
    assert.deepEqual(segmentReads([{ blobId: 'e', size: 0 }, { blobId: 'f', size: 2 }], 0, 1), [{ blobId: 'f', start: 0, end: 1 }]);
  });
});

describe('partRange', () => {
  const multipart = { size: 12, partSizes: [5, 3, 4] };
  it('multipart parts', () => {
    assert.deepEqual(partRange(multipart, 1), { start: 0, end: 4 });
    assert.deepEqual(partRange(multipart, 2), { start: 5, end: 7 });
    assert.deepEqual(partRange(multipart, 3), { start: 8, end: 11 });
    assert.equal(partRange(multipart, 4), undefined);
    assert.equal(partRange(multipart, 0), undefined);
    assert.equal(partCount(multipart), 3);
  });
  it('a simple object is one part', () => {
    assert.deepEqual(partRange({ size: 10 }, 1), { start: 0, end: 9 });
    assert.equal(partRange({ size: 10 }, 2), undefined);
    assert.deepEqual(partRange({ size: 0 }, 1), { empty: true });
    assert.equal(partCount({}), 1);
  });
});
