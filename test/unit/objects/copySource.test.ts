import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObjectVersion } from '../../../src/core/objects/ObjectVersion.js';
import { checkCopySourceConditions, parseCopySource } from '../../../src/s3/operations/object/copySource.js';

const VID = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';

describe('parseCopySource', () => {
  const TABLE: ReadonlyArray<[string, { bucket: string; key: string; versionId?: string }]> = [
    ['bucket/key', { bucket: 'bucket', key: 'key' }],
    ['/bucket/key', { bucket: 'bucket', key: 'key' }],
    ['bucket/dir/sub/file.txt', { bucket: 'bucket', key: 'dir/sub/file.txt' }],
    ['bucket/a//b', { bucket: 'bucket', key: 'a//b' }],
    ['bucket/..%2F..%2Fetc%2Fpasswd', { bucket: 'bucket', key: '../../etc/passwd' }],
    ['bucket/../../etc/passwd', { bucket: 'bucket', key: '../../etc/passwd' }],
    ['bucket/%E4%B8%AD%E6%96%87%20x', { bucket: 'bucket', key: '中文 x' }],
    ['bucket/a+b', { bucket: 'bucket', key: 'a+b' }],
    ['bucket/what%3Fnot', { bucket: 'bucket', key: 'what?not' }],
    ['bucket/dir/', { bucket: 'bucket', key: 'dir/' }],
    [`bucket/key?versionId=${VID}`, { bucket: 'bucket', key: 'key', versionId: VID }],
    [`/bucket/key%3Fx?versionId=${VID}`, { bucket: 'bucket', key: 'key?x', versionId: VID }],
    ['bucket/key?versionId=null', { bucket: 'bucket', key: 'key', versionId: 'null' }],
    ['bucket/key?other=1', { bucket: 'bucket', key: 'key' }],
  ];
  for (const [value, expected] of TABLE) {
    it(`${value} → ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(parseCopySource(value), expected);
    });
  }
  const BAD: ReadonlyArray<[string, string]> = [
    ['', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey'],
    ['bucket', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey'],
    ['bucket/', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey'],
    ['/bucket', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey'],
    ['/', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey'],
    ['//key', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey'],
    ['bucket/%E4%B8', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey'],
    ['bucket/key?versionId=', 'Version id cannot be the empty string'],
    ['bucket/key?versionId=abc', 'Invalid version id specified'],
  ];
  for (const [value, message] of BAD) {
    it(`${JSON.stringify(value)} → InvalidArgument`, () => {
      assert.throws(() => parseCopySource(value), (err: unknown) => {
        const e = err as { code: string; status: number; message: string; details: Record<string, string> };
        assert.equal(e.code, 'InvalidArgument');
        assert.equal(e.status, 400);
        assert.equal(e.message, message);
        assert.equal(e.details.ArgumentName, 'x-amz-copy-source');
        return true;
      });
    });
  }
});

describe('checkCopySourceConditions', () => {
  const source = { etag: 'abc', lastModified: new Date('2024-05-01T12:00:00Z') } as ObjectVersion;
  const now = new Date('2024-06-01T00:00:00Z');
  const fails = (headers: Record<string, string>, condition: string): void => {
    assert.throws(() => checkCopySourceConditions(source, headers, now), (err: unknown) => {
      const e = err as { code: string; status: number; details: Record<string, string> };
      assert.equal(e.code, 'PreconditionFailed');
      assert.equal(e.status, 412);
      assert.equal(e.details.Condition, condition);
      return true;
    });
  };
  it('passes without conditions and with holding ones', () => {
    checkCopySourceConditions(source, {}, now);
    checkCopySourceConditions(source, { 'x-amz-copy-source-if-match': '"abc"' }, now);
    checkCopySourceConditions(source, { 'x-amz-copy-source-if-none-match': '"zzz"' }, now);
    checkCopySourceConditions(source, { 'x-amz-copy-source-if-modified-since': 'Tue, 30 Apr 2024 00:00:00 GMT' }, now);
    checkCopySourceConditions(source, { 'x-amz-copy-source-if-unmodified-since': 'Thu, 02 May 2024 00:00:00 GMT' }, now);
  });
  it('if-match true + if-unmodified-since false copies (AWS)', () => {
    checkCopySourceConditions(
      source,
      { 'x-amz-copy-source-if-match': '"abc"', 'x-amz-copy-source-if-unmodified-since': 'Tue, 30 Apr 2024 00:00:00 GMT' },
      now,
    );
  });
  it('if-none-match false + if-modified-since true → 412 (AWS)', () => {
    fails(
      { 'x-amz-copy-source-if-none-match': '"abc"', 'x-amz-copy-source-if-modified-since': 'Tue, 30 Apr 2024 00:00:00 GMT' },
      'x-amz-copy-source-If-None-Match',
    );
  });
  it('each failing header → 412 naming it', () => {
    fails({ 'x-amz-copy-source-if-match': '"zzz"' }, 'x-amz-copy-source-If-Match');
    fails({ 'x-amz-copy-source-if-none-match': '*' }, 'x-amz-copy-source-If-None-Match');
    fails({ 'x-amz-copy-source-if-unmodified-since': 'Tue, 30 Apr 2024 00:00:00 GMT' }, 'x-amz-copy-source-If-Unmodified-Since');
    fails({ 'x-amz-copy-source-if-modified-since': 'Thu, 02 May 2024 00:00:00 GMT' }, 'x-amz-copy-source-If-Modified-Since');
  });
});
