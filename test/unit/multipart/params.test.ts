import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3Error } from '../../../src/errors/S3Error.js';
import { parseCopySourceRange } from '../../../src/s3/operations/multipart/copySourceRange.js';
import { parseListInteger, parsePartNumber } from '../../../src/s3/operations/multipart/params.js';

const isError = (code: string, message?: string) => (err: unknown) =>
  err instanceof S3Error && err.code === code && (message === undefined || err.message === message);

describe('parsePartNumber', () => {
  it('accepts 1 … 10000', () => {
    assert.equal(parsePartNumber('1'), 1);
    assert.equal(parsePartNumber('10000'), 10000);
  });
  for (const raw of ['0', '10001', '-1', '1.5', 'abc', '', ' 1', '99999999999', undefined]) {
    it(`refuses ${JSON.stringify(raw)}`, () => {
      assert.throws(() => parsePartNumber(raw), isError('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive'));
    });
  }
});

describe('parseListInteger', () => {
  it('absent → fallback; digits → number', () => {
    assert.equal(parseListInteger(undefined, 'max-parts', 1000), 1000);
    assert.equal(parseListInteger('0', 'max-parts', 1000), 0);
    assert.equal(parseListInteger('5000', 'max-parts', 1000), 5000);
  });
  it('negative / not an integer → InvalidArgument', () => {
    assert.throws(() => parseListInteger('-1', 'max-parts', 1000), isError('InvalidArgument', 'Argument max-parts must be an integer between 0 and 2147483647'));
    assert.throws(() => parseListInteger('x', 'max-uploads', 1000), isError('InvalidArgument', 'Provided max-uploads not an integer or within integer range'));
    assert.throws(() => parseListInteger('2147483648', 'max-uploads', 1000), isError('InvalidArgument'));
  });
});

describe('parseCopySourceRange', () => {
  it('absent → whole source', () => assert.deepEqual(parseCopySourceRange(undefined, 10), { start: 0, end: 9 }));
  it('bytes=a-b within the source', () => {
    assert.deepEqual(parseCopySourceRange('bytes=0-0', 10), { start: 0, end: 0 });
    assert.deepEqual(parseCopySourceRange('bytes=2-9', 10), { start: 2, end: 9 });
  });
  const form = 'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy';
  for (const raw of ['0-2', 'bytes=0', 'bytes=0-', 'bytes=-3', 'bytes=a-b', 'bytes=0-2,3-5', 'bytes=5-2', 'items=0-1']) {
    it(`refuses the form ${raw}`, () => assert.throws(() => parseCopySourceRange(raw, 10), isError('InvalidArgument', form)));
  }
  it('a range past the source → InvalidArgument naming the size', () => {
    assert.throws(() => parseCopySourceRange('bytes=0-10', 10), isError('InvalidArgument', 'Range specified is not valid for source object of size: 10'));
    assert.throws(() => parseCopySourceRange('bytes=10-10', 10), isError('InvalidArgument'));
  });
});
