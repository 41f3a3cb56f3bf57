import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import type { Bucket } from '../../../src/core/buckets/Bucket.js';
import { storeRoles, type CoreDeps } from '../../../src/core/CoreDeps.js';
import { MultipartService, type PartBody } from '../../../src/core/objects/MultipartService.js';
import type { MultipartUpload } from '../../../src/core/objects/MultipartUpload.js';
import { concatSegments } from '../../../src/core/objects/segmentStream.js';
import { segmentReads } from '../../../src/core/objects/segments.js';
import { S3Error } from '../../../src/errors/S3Error.js';
import { checksumOf } from '../../../src/core/checksums/createHasher.js';
import { FsBlobStore } from '../../../src/storage/blobs/fs/FsBlobStore.js';
import { SqliteMetadataStore } from '../../../src/storage/metadata/sqlite/SqliteMetadataStore.js';

const MIB = 1024 * 1024;
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

function body(data: Buffer, checksum?: { algorithm: 'CRC32' | 'SHA256'; value: string }): PartBody {
  return {
    stream: Readable.from([data]),
    digests: () => ({ size: data.length, md5Hex: md5(data), ...(checksum !== undefined ? { checksum } : {}) }),
  };
}

const isCode = (code: string) => (err: unknown) => err instanceof S3Error && err.code === code;

describe('MultipartService (SQLite + filesystem stores)', () => {
  let dir: string;
  let deps: CoreDeps & { metadata: SqliteMetadataStore };
  let service: MultipartService;
  let bucket: Bucket;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-mpu-'));
    const metadata = await SqliteMetadataStore.open({ dataDir: dir });
    const blobs = await FsBlobStore.open({ dataDir: join(dir, 'blobs') });
    deps = { metadata, ...storeRoles(metadata), blobs, settings: { region: 'us-east-1' }, clock: () => new Date() };
    service = new MultipartService(deps);
    bucket = { name: 'mpu', ownerAccountId: '111111111111', region: 'us-east-1', createdAt: new Date(), versioning: 'Unversioned' };
    await metadata.createBucket(bucket);
  });

  after(async () => {
    await deps.metadata.close();
    await deps.blobs.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function create(key: string, extra: Partial<Parameters<MultipartService['create']>[0]> = {}): Promise<MultipartUpload> {
    return service.create({
      bucket: bucket.name,
      key,
      ownerAccountId: bucket.ownerAccountId,
      initiatorArn: 'arn:aws:iam::111111111111:root',
      storageClass: 'STANDARD',
      contentHeaders: { contentType: 'text/plain' },
      userMetadata: { color: 'blue' },
      tags: [{ key: 'team', value: 'data' }],
      ...extra,
    });
  }

  async function read(key: string): Promise<Buffer> {
    const v = await deps.metadata.getVersion(bucket.name, key);
    assert.ok(v);
    return buffer(concatSegments(deps, segmentReads(v.segments, 0, v.size - 1)));
  }

  it('completes into a version made of the part blobs, with metadata and tags from the upload', async () => {
    const upload = await create('obj');
    assert.match(upload.uploadId, /^[A-Za-z0-9_-]{64}$/);
    const a = Buffer.alloc(5 * MIB, 'a');
    const b = Buffer.from('tail');
    const p1 = await service.uploadPart(upload, 1, body(a));
    const p2 = await service.uploadPart(upload, 2, body(b));
    assert.equal(p1.part.etag, md5(a));
    const done = await service.complete(bucket, upload, [
      { partNumber: 1, etag: `"${p1.part.etag}"`, checksums: {} },
      { partNumber: 2, etag: p2.part.etag, checksums: {} },
    ]);
    const v = done.version;
    assert.equal(v.size, a.length + b.length);
    assert.match(v.etag, /-2$/);
    assert.deepEqual(v.segments.map((s) => s.blobId), [p1.part.segment.blobId, p2.part.segment.blobId]);
    assert.deepEqual(v.partSizes, [a.length, b.length]);
    assert.deepEqual(v.userMetadata, { color: 'blue' });
    assert.equal(v.contentHeaders.contentType, 'text/plain');
    assert.equal(v.versionId, 'null');
    const tags = await deps.metadata.getTags(bucket.name, 'obj');
    assert.deepEqual(tags?.tags, [{ key: 'team', value: 'data' }]);
    assert.ok((await read('obj')).equals(Buffer.concat([a, b])));
    // the upload is gone
    await assert.rejects(service.get(bucket.name, 'obj', upload.uploadId), isCode('NoSuchUpload'));
    await assert.rejects(service.complete(bucket, upload, [{ partNumber: 1, etag: p1.part.etag, checksums: {} }]), isCode('NoSuchUpload'));
  });

  it('a re-uploaded part replaces the earlier one; unlisted parts are released', async () => {
    const upload = await create('replace');
    const first = await service.uploadPart(upload, 1, body(Buffer.from('first')));
    const second = await service.uploadPart(upload, 1, body(Buffer.from('second')));
    const extra = await service.uploadPart(upload, 2, body(Buffer.from('unused')));
    const listing = await service.listParts(upload, { partNumberMarker: 0, maxParts: 1000 });
    assert.deepEqual(listing.parts.map((p) => [p.partNumber, p.etag]), [[1, md5(Buffer.from('second'))], [2, extra.part.etag]]);
    await assert.rejects(
      service.complete(bucket, upload, [{ partNumber: 1, etag: first.part.etag, checksums: {} }]),
      isCode('InvalidPart'),
    );
    await service.complete(bucket, upload, [{ partNumber: 1, etag: second.part.etag, checksums: {} }]);
    assert.equal((await read('replace')).toString(), 'second');
    const released = await deps.metadata.takeReleasedBlobs(100);
    assert.ok(released.includes(first.part.segment.blobId), 'replaced part released');
    assert.ok(released.includes(extra.part.segment.blobId), 'unlisted part released');
    assert.ok(!released.includes(second.part.segment.blobId), 'listed part kept');
  });

  it('lists parts in pages', async () => {
    const upload = await create('pages');
    for (const n of [3, 1, 2]) await service.uploadPart(upload, n, body(Buffer.from(`p${n}`)));
    const page1 = await service.listParts(upload, { partNumberMarker: 0, maxParts: 2 });
    assert.deepEqual(page1.parts.map((p) => p.partNumber), [1, 2]);
    assert.equal(page1.isTruncated, true);
    assert.equal(page1.nextPartNumberMarker, 2);
    const page2 = await service.listParts(upload, { partNumberMarker: 2, maxParts: 2 });
    assert.deepEqual(page2.parts.map((p) => p.partNumber), [3]);
    assert.equal(page2.isTruncated, false);
  });

  it('stores the part checksum in the upload algorithm and derives the COMPOSITE object checksum', async () => {
    const upload = await create('sum', { checksum: { algorithm: 'SHA256', type: 'COMPOSITE' } });
    const a = Buffer.alloc(5 * MIB, 1);
    const b = Buffer.from('b');
    const ca = await checksumOf('SHA256', a);
    const cb = await checksumOf('SHA256', b);
    const r1 = await service.uploadPart(upload, 1, body(a, { algorithm: 'SHA256', value: ca }));
    const r2 = await service.uploadPart(upload, 2, body(b, { algorithm: 'SHA256', value: cb }));
    assert.equal(r1.part.checksum, ca);
    const done = await service.complete(
      bucket,
      upload,
      [
        { partNumber: 1, etag: r1.part.etag, checksums: { SHA256: ca } },
        { partNumber: 2, etag: r2.part.etag, checksums: { SHA256: cb } },
      ],
      { checksum: { algorithm: 'SHA256', value: 'wrong' } },
    ).catch((e: unknown) => e);
    assert.ok(isCode('BadDigest')(done));
    const ok = await service.complete(bucket, upload, [
      { partNumber: 1, etag: r1.part.etag, checksums: { SHA256: ca } },
      { partNumber: 2, etag: r2.part.etag, checksums: { SHA256: cb } },
    ]);
    const raw = Buffer.concat([Buffer.from(ca, 'base64'), Buffer.from(cb, 'base64')]);
    assert.deepEqual(ok.checksum, {
      algorithm: 'SHA256',
      value: `${createHash('sha256').update(raw).digest('base64')}-2`,
      type: 'COMPOSITE',
    });
    assert.deepEqual(ok.version.checksum, ok.checksum);
  });

  it('derives a FULL_OBJECT CRC equal to the CRC of the whole object', async () => {
    const upload = await create('full', { checksum: { algorithm: 'CRC32', type: 'FULL_OBJECT' } });
    const a = Buffer.alloc(5 * MIB, 7);
    const b = Buffer.from('the end');
    const r1 = await service.uploadPart(upload, 1, body(a, { algorithm: 'CRC32', value: await checksumOf('CRC32', a) }));
    const r2 = await service.uploadPart(upload, 2, body(b, { algorithm: 'CRC32', value: await checksumOf('CRC32', b) }));
    const whole = await checksumOf('CRC32', Buffer.concat([a, b]));
    const done = await service.complete(
      bucket,
      upload,
      [
        { partNumber: 1, etag: r1.part.etag, checksums: {} },
        { partNumber: 2, etag: r2.part.etag, checksums: {} },
      ],
      { checksum: { algorithm: 'CRC32', value: whole }, checksumType: 'FULL_OBJECT', objectSize: a.length + b.length },
    );
    assert.deepEqual(done.checksum, { algorithm: 'CRC32', value: whole, type: 'FULL_OBJECT' });
  });

  it('checks x-amz-mp-object-size and x-amz-checksum-type', async () => {
    const upload = await create('expect');
    const r = await service.uploadPart(upload, 1, body(Buffer.from('abc')));
    const parts = [{ partNumber: 1, etag: r.part.etag, checksums: {} }];
    await assert.rejects(service.complete(bucket, upload, parts, { objectSize: 4 }), isCode('InvalidRequest'));
    await assert.rejects(service.complete(bucket, upload, parts, { checksumType: 'COMPOSITE' }), isCode('InvalidRequest'));
    await service.complete(bucket, upload, parts, { objectSize: 3 });
  });

  it('copies a part from a stream, computing MD5 and the upload checksum', async () => {
    const upload = await create('copy', { checksum: { algorithm: 'CRC32', type: 'COMPOSITE' } });
    const data = Buffer.from('copied bytes');
    const r = await service.copyPart(upload, 1, Readable.from([data.subarray(0, 4), data.subarray(4)]));
    assert.equal(r.part.etag, md5(data));
    assert.equal(r.part.size, data.length);
    assert.deepEqual(r.checksum, { algorithm: 'CRC32', value: await checksumOf('CRC32', data) });
  });

  it('a failed copy leaves no part', async () => {
    const upload = await create('copyfail');
    const failing = new Readable({
      read() {
        this.destroy(new Error('source broke'));
      },
    });
    await assert.rejects(service.copyPart(upload, 1, failing));
    assert.equal((await service.listParts(upload, { partNumberMarker: 0, maxParts: 10 })).parts.length, 0);
  });

  it('aborts an upload once', async () => {
    const upload = await create('abort');
    const r = await service.uploadPart(upload, 1, body(Buffer.from('x')));
    await service.abort(upload);
    await assert.rejects(service.abort(upload), isCode('NoSuchUpload'));
    await assert.rejects(service.uploadPart(upload, 2, body(Buffer.from('late'))), isCode('NoSuchUpload'));
    assert.ok((await deps.metadata.takeReleasedBlobs(100)).includes(r.part.segment.blobId));
  });

  it('versioned buckets get a fresh version id', async () => {
    const versioned: Bucket = { ...bucket, name: 'mpu-versioned', versioning: 'Enabled' };
    await deps.metadata.createBucket(versioned);
    const upload = await service.create({
      bucket: versioned.name,
      key: 'v',
      ownerAccountId: versioned.ownerAccountId,
      initiatorArn: 'arn:aws:iam::111111111111:root',
      storageClass: 'STANDARD',
      contentHeaders: {},
      userMetadata: {},
      tags: [],
    });
    const r = await service.uploadPart(upload, 1, body(Buffer.from('v1')));
    const done = await service.complete(versioned, upload, [{ partNumber: 1, etag: r.part.etag, checksums: {} }]);
    assert.match(done.version.versionId, /^[A-Za-z0-9_-]{32}$/);
  });
});
