import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bucketFromHost } from '../../src/http/parseRequest.js';

describe('virtual-host addressing', () => {
  const cases: ReadonlyArray<[string | undefined, string | undefined, string | undefined]> = [
    ['mybucket.s3.local:9000', 's3.local', 'mybucket'],
    ['my.dotted.bucket.s3.local', 's3.local', 'my.dotted.bucket'],
    ['MyBucket.S3.Local', 's3.local', 'mybucket'],
    ['s3.local:9000', 's3.local', undefined],
    ['127.0.0.1:9000', 's3.local', undefined],
    ['mybucket.s3.local', undefined, undefined],
    [undefined, 's3.local', undefined],
    ['[::1]:9000', 's3.local', undefined],
  ];
  for (const [host, domain, expected] of cases) {
    it(`${String(host)} with domain ${String(domain)} → ${String(expected)}`, () => {
      assert.equal(bucketFromHost(host, domain), expected);
    });
  }
});
