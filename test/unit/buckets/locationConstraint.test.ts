import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bucketRegionFor } from '../../../src/core/buckets/locationConstraint.js';
import { S3Error } from '../../../src/errors/S3Error.js';

const code = (c: string) => (e: unknown) => e instanceof S3Error && e.code === c && e.status === 400;

describe('location constraint', () => {
  it('us-east-1 takes no constraint and refuses us-east-1 spelled out', () => {
    assert.equal(bucketRegionFor(undefined, 'us-east-1'), 'us-east-1');
    assert.throws(() => bucketRegionFor('us-east-1', 'us-east-1'), code('InvalidLocationConstraint'));
    assert.throws(() => bucketRegionFor('', 'us-east-1'), code('InvalidLocationConstraint'));
  });
  it('another region needs its own name as constraint', () => {
    assert.equal(bucketRegionFor('eu-west-2', 'eu-west-2'), 'eu-west-2');
    assert.throws(() => bucketRegionFor(undefined, 'eu-west-2'), code('IllegalLocationConstraintException'));
    assert.throws(() => bucketRegionFor('us-west-2', 'eu-west-2'), code('IllegalLocationConstraintException'));
  });
  it('accepts EU for eu-west-1 and refuses what is not a region name', () => {
    assert.equal(bucketRegionFor('EU', 'eu-west-1'), 'eu-west-1');
    assert.throws(() => bucketRegionFor('Mars Base', 'us-east-1'), code('InvalidLocationConstraint'));
    assert.throws(() => bucketRegionFor('ap-southeast-4', 'us-east-1'), code('IllegalLocationConstraintException'));
  });
});
