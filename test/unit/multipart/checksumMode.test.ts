import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveChecksumMode } from '../../../src/core/objects/multipart/checksumMode.js';
import { S3Error } from '../../../src/errors/S3Error.js';

describe('resolveChecksumMode', () => {
  it('no algorithm, no type → no checksum', () => assert.equal(resolveChecksumMode(undefined, undefined), undefined));

  it('defaults: COMPOSITE for CRC32/CRC32C/SHA1/SHA256, FULL_OBJECT for CRC64NVME', () => {
    assert.deepEqual(resolveChecksumMode('CRC32', undefined), { algorithm: 'CRC32', type: 'COMPOSITE' });
    assert.deepEqual(resolveChecksumMode('CRC32C', undefined), { algorithm: 'CRC32C', type: 'COMPOSITE' });
    assert.deepEqual(resolveChecksumMode('SHA1', undefined), { algorithm: 'SHA1', type: 'COMPOSITE' });
    assert.deepEqual(resolveChecksumMode('SHA256', undefined), { algorithm: 'SHA256', type: 'COMPOSITE' });
    assert.deepEqual(resolveChecksumMode('CRC64NVME', undefined), { algorithm: 'CRC64NVME', type: 'FULL_OBJECT' });
  });

  it('FULL_OBJECT for the CRCs', () => {
    for (const alg of ['CRC32', 'CRC32C', 'CRC64NVME'] as const) {
      assert.deepEqual(resolveChecksumMode(alg, 'FULL_OBJECT'), { algorithm: alg, type: 'FULL_OBJECT' });
    }
  });

  it('refuses combinations AWS refuses, with its messages', () => {
    const invalid = (message: string) => (err: unknown) => err instanceof S3Error && err.code === 'InvalidRequest' && err.message === message;
    assert.throws(() => resolveChecksumMode('SHA256', 'FULL_OBJECT'), invalid('The FULL_OBJECT checksum type cannot be used with the sha256 checksum algorithm.'));
    assert.throws(() => resolveChecksumMode('SHA1', 'FULL_OBJECT'), invalid('The FULL_OBJECT checksum type cannot be used with the sha1 checksum algorithm.'));
    assert.throws(() => resolveChecksumMode('CRC64NVME', 'COMPOSITE'), invalid('The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.'));
    assert.throws(() => resolveChecksumMode(undefined, 'COMPOSITE'), invalid('The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.'));
  });
});
