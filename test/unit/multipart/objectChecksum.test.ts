import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { combineCrc } from '../../../src/core/checksums/combineCrc.js';
import { compositeChecksum } from '../../../src/core/checksums/compositeChecksum.js';
import { checksumOf } from '../../../src/core/checksums/createHasher.js';

/** The object checksums CompleteMultipartUpload derives from part checksums (helpers in src/s3/checksums). */
describe('multipart object checksums', () => {
  it('COMPOSITE SHA256 matches a value observed on AWS S3 (3 parts)', async () => {
    // UploadPart responses and the CompleteMultipartUpload result of a real S3 upload (floci-io/floci#3083).
    const parts = [
      'lcKa6Boe7a167tUCN5C4OaFygGSYD8MBnBARTrdL+1w=',
      'gHjhbUT4oo2tSCtSZJdlKi+jeNXJT+VImqdPXsXvkOc=',
      '4l9PQ3zOPZ0oGFvknFX+J4zZwE4WMzO+l3r8XrbWOeM=',
    ];
    assert.equal(await compositeChecksum('SHA256', parts), 'rVWtNbadtsaKXJAcgWPWjifHzJaXde/iV4jaJAOdivc=-3');
  });

  for (const alg of ['CRC32', 'CRC32C', 'CRC64NVME'] as const) {
    it(`FULL_OBJECT ${alg}: combining part CRCs gives the CRC of the whole`, async () => {
      const a = Buffer.from('the first part '.repeat(1000));
      const b = Buffer.from('and the second');
      const c = Buffer.alloc(0);
      const combined = combineCrc(alg, [
        { checksum: await checksumOf(alg, a), size: a.length },
        { checksum: await checksumOf(alg, b), size: b.length },
        { checksum: await checksumOf(alg, c), size: 0 },
      ]);
      assert.equal(combined, await checksumOf(alg, Buffer.concat([a, b, c])));
    });
  }
});
