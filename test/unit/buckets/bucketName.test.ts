import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bucketNameProblem, validateBucketName } from '../../../src/core/buckets/bucketName.js';
import { S3Error } from '../../../src/errors/S3Error.js';

describe('bucket names', () => {
  const good = ['abc', 'my-bucket', 'aaa.111', 'aaa-111', '0bucket', 'a'.repeat(63), 'docexamplebucket1', 'log-delivery-march-2020', 'my.example.s3.bucket', '1.2.3', '1.2.3.4.5', 'xn-a', 'a-s3alias-b'];
  const bad = [
    'a',
    'aa',
    'a'.repeat(64),
    'My-Bucket',
    'foo_bar',
    '_bucket',
    '-bucket',
    'bucket-',
    '.bucket',
    'bucket.',
    'foo..bar',
    'foo.-bar',
    'foo-.bar',
    '192.168.5.123',
    'xn--bucket',
    'sthree-bucket',
    'sthree-configurator',
    'amzn-s3-demo-bucket',
    'bucket-s3alias',
    'bucket--ol-s3',
    'bucket.mrap',
    'bucket--x-s3',
    'bucket--table-s3',
    'buck et',
    'bücket',
    '',
  ];
  for (const name of good) it(`accepts ${name.length > 20 ? name.slice(0, 20) + '…' : name}`, () => assert.equal(bucketNameProblem(name), undefined));
  for (const name of bad) {
    it(`refuses ${JSON.stringify(name.length > 20 ? name.slice(0, 20) + '…' : name)}`, () => {
      assert.notEqual(bucketNameProblem(name), undefined);
      assert.throws(
        () => validateBucketName(name),
        (e: unknown) => e instanceof S3Error && e.code === 'InvalidBucketName' && e.status === 400 && e.details['BucketName'] === name,
      );
    });
  }
});
