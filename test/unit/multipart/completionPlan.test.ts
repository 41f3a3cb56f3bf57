import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { planCompletion, type RequestedPart } from '../../../src/core/objects/multipart/completionPlan.js';
import { MIN_PART_SIZE } from '../../../src/core/objects/multipart/limits.js';
import { multipartEtag } from '../../../src/core/objects/multipart/multipartEtag.js';
import type { MultipartUpload, UploadPart } from '../../../src/core/objects/MultipartUpload.js';
import { S3Error } from '../../../src/errors/S3Error.js';

const MIB = 1024 * 1024;

function upload(extra: Partial<MultipartUpload> = {}): MultipartUpload {
  return {
    uploadId: 'U1',
    bucket: 'b',
    key: 'k',
    initiated: new Date(0),
    ownerAccountId: '111111111111',
    initiatorArn: 'arn:aws:iam::111111111111:root',
    storageClass: 'STANDARD',
    contentHeaders: {},
    userMetadata: {},
    tags: [],
    ...extra,
  };
}

function part(partNumber: number, size: number, checksum?: string): UploadPart {
  return {
    uploadId: 'U1',
    partNumber,
    size,
    etag: createHash('md5').update(`part-${partNumber}-${size}`).digest('hex'),
    lastModified: new Date(0),
    segment: { blobId: `blob-${partNumber}`, size },
    ...(checksum !== undefined ? { checksum } : {}),
  };
}

function stored(...parts: UploadPart[]): Map<number, UploadPart> {
  return new Map(parts.map((p) => [p.partNumber, p]));
}

function req(p: UploadPart, extra: Partial<RequestedPart> = {}): RequestedPart {
  return { partNumber: p.partNumber, etag: `"${p.etag}"`, checksums: {}, ...extra };
}

function s3Error(code: string, check?: (e: S3Error) => void): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof S3Error, `expected S3Error, got ${String(err)}`);
    assert.equal(err.code, code);
    check?.(err);
    return true;
  };
}

describe('planCompletion', () => {
  const p1 = part(1, 5 * MIB);
  const p2 = part(2, 6 * MIB);
  const p3 = part(3, 10);

  it('plans the listed parts in order with the multipart ETag, size and part sizes', () => {
    const plan = planCompletion(upload(), [req(p1), req(p2), req(p3)], stored(p1, p2, p3));
    assert.deepEqual(plan.parts.map((p) => p.partNumber), [1, 2, 3]);
    assert.equal(plan.size, 11 * MIB + 10);
    assert.deepEqual(plan.partSizes, [5 * MIB, 6 * MIB, 10]);
    assert.equal(plan.etag, multipartEtag([p1.etag, p2.etag, p3.etag]));
    assert.match(plan.etag, /^[0-9a-f]{32}-3$/);
  });

  it('may skip part numbers and leave uploaded parts out', () => {
    const plan = planCompletion(upload(), [req(p1), req(p3)], stored(p1, p2, p3));
    assert.deepEqual(plan.parts.map((p) => p.segment.blobId), ['blob-1', 'blob-3']);
  });

  it('accepts ETags without quotes and in upper case', () => {
    const plan = planCompletion(upload(), [req(p1, { etag: p1.etag.toUpperCase() })], stored(p1));
    assert.equal(plan.parts.length, 1);
  });

  it('a single small part is fine (the last part has no minimum)', () => {
    const tiny = part(1, 1);
    assert.equal(planCompletion(upload(), [req(tiny)], stored(tiny)).size, 1);
  });

  it('no parts → MalformedXML', () => {
    assert.throws(() => planCompletion(upload(), [], stored(p1)), s3Error('MalformedXML'));
  });

  it('descending or repeated part numbers → InvalidPartOrder', () => {
    assert.throws(() => planCompletion(upload(), [req(p2), req(p1)], stored(p1, p2)), s3Error('InvalidPartOrder', (e) => {
      assert.equal(e.details.PartNumber, '1');
      assert.equal(e.details.UploadId, 'U1');
    }));
    assert.throws(() => planCompletion(upload(), [req(p1), req(p1)], stored(p1)), s3Error('InvalidPartOrder'));
  });

  it('a part that was not uploaded → InvalidPart with UploadId, PartNumber and ETag', () => {
    assert.throws(
      () => planCompletion(upload(), [req(p1), { partNumber: 7, etag: '"abc"', checksums: {} }], stored(p1)),
      s3Error('InvalidPart', (e) => assert.deepEqual(e.details, { UploadId: 'U1', PartNumber: '7', ETag: 'abc' })),
    );
  });

  it('an ETag that does not match → InvalidPart', () => {
    assert.throws(() => planCompletion(upload(), [req(p1, { etag: '"0123"' })], stored(p1)), s3Error('InvalidPart'));
  });

  it('a part other than the last below 5 MiB → EntityTooSmall with AWS details', () => {
    const small = part(1, MIN_PART_SIZE - 1);
    assert.throws(() => planCompletion(upload(), [req(small), req(p2)], stored(small, p2)), s3Error('EntityTooSmall', (e) => {
      assert.equal(e.message, 'Your proposed upload is smaller than the minimum allowed size');
      assert.deepEqual(e.details, {
        ProposedSize: String(MIN_PART_SIZE - 1),
        MinSizeAllowed: String(MIN_PART_SIZE),
        PartNumber: '1',
        ETag: small.etag,
      });
    }));
  });

  it('exactly 5 MiB is enough', () => {
    const exact = part(1, MIN_PART_SIZE);
    assert.equal(planCompletion(upload(), [req(exact), req(p3)], stored(exact, p3)).parts.length, 2);
  });

  describe('checksums', () => {
    const c1 = part(1, 5 * MIB, 'AAAAAQ==');
    const c2 = part(2, 3, 'AAAAAg==');
    const composite = upload({ checksumAlgorithm: 'CRC32', checksumType: 'COMPOSITE' });
    const full = upload({ checksumAlgorithm: 'CRC32', checksumType: 'FULL_OBJECT' });

    it('COMPOSITE: every listed part must carry its checksum', () => {
      assert.throws(() => planCompletion(composite, [req(c1, { checksums: { CRC32: 'AAAAAQ==' } }), req(c2)], stored(c1, c2)), s3Error('InvalidRequest', (e) => {
        assert.equal(
          e.message,
          'The upload was created using a crc32 checksum. The complete request must include the checksum for each part. It was missing for part 2 in the request.',
        );
      }));
    });

    it('a listed checksum that differs from the stored one → InvalidPart', () => {
      assert.throws(() => planCompletion(composite, [req(c1, { checksums: { CRC32: 'AAAAAg==' } })], stored(c1)), s3Error('InvalidPart'));
      assert.throws(() => planCompletion(full, [req(c1, { checksums: { CRC32: 'AAAAAg==' } })], stored(c1)), s3Error('InvalidPart'));
    });

    it('matching checksums pass', () => {
      const plan = planCompletion(
        composite,
        [req(c1, { checksums: { CRC32: 'AAAAAQ==' } }), req(c2, { checksums: { CRC32: 'AAAAAg==' } })],
        stored(c1, c2),
      );
      assert.equal(plan.parts.length, 2);
    });

    it('FULL_OBJECT: part checksums are optional', () => {
      assert.equal(planCompletion(full, [req(c1), req(c2)], stored(c1, c2)).parts.length, 2);
    });

    it('an upload without an algorithm ignores listed checksums', () => {
      assert.equal(planCompletion(upload(), [req(p1, { checksums: { SHA256: 'whatever' } })], stored(p1)).parts.length, 1);
    });
  });
});

describe('planCompletion: which problem wins', () => {
  const small = part(1, 10);
  const big = part(2, 6 * MIB);

  it('order before existence and size', () => {
    assert.throws(
      () => planCompletion(upload(), [req(big), req(small), { partNumber: 9, etag: 'x', checksums: {} }], stored(small, big)),
      s3Error('InvalidPartOrder'),
    );
  });

  it('existence before size', () => {
    assert.throws(
      () => planCompletion(upload(), [req(small), req(big), { partNumber: 9, etag: 'x', checksums: {} }], stored(small, big)),
      s3Error('InvalidPart', (e) => assert.equal(e.details.PartNumber, '9')),
    );
  });
});
