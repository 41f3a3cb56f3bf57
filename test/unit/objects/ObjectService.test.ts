import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import type { Bucket, VersioningState } from '../../../src/core/buckets/Bucket.js';
import { storeRoles, type CoreDeps } from '../../../src/core/CoreDeps.js';
import { INLINE_OBJECT_MAX } from '../../../src/core/objects/inlineObjects.js';
import { KeyedMutex } from '../../../src/core/objects/KeyedMutex.js';
import { ObjectService, type ObjectAttributes, type VerifiedPayload } from '../../../src/core/objects/ObjectService.js';
import type { NewObjectVersion, ObjectVersion } from '../../../src/core/objects/ObjectVersion.js';
import { S3Error } from '../../../src/errors/S3Error.js';
import type { BlobStore } from '../../../src/core/ports/BlobStore.js';
import type { MetadataStore } from '../../../src/core/ports/MetadataStore.js';

/** In-memory blob store recording staged/published state. */
class MemoryBlobs {
  readonly staged = new Map<string, Buffer>();
  readonly published = new Map<string, Buffer>();
  private next = 0;
  async write(source: Readable): Promise<{ blobId: string; size: number }> {
    const chunks: Buffer[] = [];
    for await (const c of source) chunks.push(c as Buffer);
    const id = `blob${++this.next}`;
    const data = Buffer.concat(chunks);
    this.staged.set(id, data);
    return { blobId: id, size: data.length };
  }
  copy(blobId: string): Promise<{ blobId: string; size: number }> {
    const data = this.published.get(blobId) ?? this.staged.get(blobId);
    if (data === undefined) return Promise.reject(new Error('missing blob'));
    const id = `blob${++this.next}`;
    this.staged.set(id, Buffer.from(data));
    return Promise.resolve({ blobId: id, size: data.length });
  }
  publish(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const d = this.staged.get(id);
      if (d !== undefined) {
        this.published.set(id, d);
        this.staged.delete(id);
      }
    }
    return Promise.resolve();
  }
  read(blobId: string, range?: { start: number; end: number }): Readable {
    const data = this.published.get(blobId) ?? this.staged.get(blobId) ?? Buffer.alloc(0);
    return Readable.from([range === undefined ? data : data.subarray(range.start, range.end + 1)]);
  }
  delete(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      this.staged.delete(id);
      this.published.delete(id);
    }
    return Promise.resolve();
  }
}

/** Just the version operations ObjectService uses. */
class MemoryMetadata {
  versions: ObjectVersion[] = [];
  readonly inline = new Map<string, Buffer>();
  failNextPut = false;
  /** The bucket was deleted: writes fail as a store's foreign key would fail them, and getBucket finds nothing. */
  bucketGone = false;
  private seq = 0;
  getBucket(name: string): Promise<{ name: string } | undefined> {
    return Promise.resolve(this.bucketGone ? undefined : { name });
  }
  readInlineBlob(blobId: string): Promise<Buffer | undefined> {
    return Promise.resolve(this.inline.get(blobId));
  }
  getVersion(bucket: string, key: string, versionId?: string): Promise<ObjectVersion | undefined> {
    const all = this.versions.filter((v) => v.bucket === bucket && v.key === key);
    return Promise.resolve(versionId === undefined ? all.find((v) => v.isLatest) : all.find((v) => v.versionId === versionId));
  }
  putVersion(v: NewObjectVersion, options: { replaceNull: boolean }): Promise<ObjectVersion> {
    if (this.failNextPut) {
      this.failNextPut = false;
      return Promise.reject(new Error('disk full'));
    }
    if (this.bucketGone) return Promise.reject(new Error('FOREIGN KEY constraint failed'));
    if (options.replaceNull) this.versions = this.versions.filter((x) => !(x.bucket === v.bucket && x.key === v.key && x.versionId === 'null'));
    this.versions = this.versions.map((x) => (x.bucket === v.bucket && x.key === v.key ? { ...x, isLatest: false } : x));
    const { tags, inlineData, ...rest } = v;
    for (const [id, data] of inlineData ?? []) this.inline.set(id, data);
    const stored: ObjectVersion = { ...rest, seq: ++this.seq, isLatest: true, tagCount: tags.length };
    this.versions.push(stored);
    return Promise.resolve(stored);
  }
  deleteVersion(bucket: string, key: string, versionId: string): Promise<ObjectVersion | undefined> {
    const found = this.versions.find((v) => v.bucket === bucket && v.key === key && v.versionId === versionId);
    if (found === undefined) return Promise.resolve(undefined);
    this.versions = this.versions.filter((v) => v !== found);
    const rest = this.versions.filter((v) => v.bucket === bucket && v.key === key);
    const newest = rest.reduce<ObjectVersion | undefined>((a, b) => (a === undefined || b.seq > a.seq ? b : a), undefined);
    this.versions = this.versions.map((v) => (v === newest ? { ...v, isLatest: true } : v));
    return Promise.resolve(found);
  }
}

function setup(): { service: ObjectService; blobs: MemoryBlobs; metadata: MemoryMetadata } {
  const blobs = new MemoryBlobs();
  const metadata = new MemoryMetadata();
  let t = Date.UTC(2024, 0, 1);
  const deps: CoreDeps = {
    blobs: blobs as unknown as BlobStore,
    ...storeRoles(metadata as unknown as MetadataStore),
    settings: { region: 'us-east-1' },
    clock: () => new Date((t += 1000)),
  };
  return { service: new ObjectService(deps), blobs, metadata };
}

const bucketOf = (versioning: VersioningState): Bucket => ({
  name: 'b',
  ownerAccountId: '000000000000',
  region: 'us-east-1',
  createdAt: new Date(0),
  versioning,
});

const attributes: ObjectAttributes = { storageClass: 'STANDARD', contentHeaders: { contentType: 'text/plain' }, userMetadata: {}, tags: [] };

function payload(data: string | Buffer, fail?: Error): VerifiedPayload {
  const stream = new Readable({
    read() {
      this.push(Buffer.from(data));
      if (fail !== undefined) this.destroy(fail);
      else this.push(null);
    },
  });
  return { stream, digests: () => ({ size: Buffer.byteLength(data), md5Hex: 'md5', checksum: { algorithm: 'CRC32', value: 'crc' } }) };
}

describe('ObjectService writes', () => {
  it('stores a small payload inline with its version: no blob file', async () => {
    const { service, blobs, metadata } = setup();
    const v = await service.putObject({ bucket: bucketOf('Unversioned'), key: 'k', ownerAccountId: 'a', attributes, payload: payload('hello') });
    assert.equal(v.versionId, 'null');
    assert.equal(v.size, 5);
    assert.equal(v.etag, 'md5');
    assert.deepEqual(v.checksum, { algorithm: 'CRC32', value: 'crc', type: 'FULL_OBJECT' });
    assert.equal(blobs.staged.size + blobs.published.size, 0);
    assert.equal(v.segments.length, 1);
    assert.equal(v.segments[0]?.inline, true);
    assert.equal(metadata.inline.get(v.segments[0]?.blobId ?? '')?.toString(), 'hello');
    assert.equal(await text(service.openContent(v)), 'hello');
    assert.equal(await text(service.openContent(v, { start: 1, end: 3 })), 'ell');
    assert.equal((await service.inlineContent(v, { start: 1, end: 3 }))?.toString(), 'ell');
  });

  it('stages, commits, then publishes a payload above the inline limit', async () => {
    const { service, blobs, metadata } = setup();
    const data = Buffer.alloc(INLINE_OBJECT_MAX + 1, 'x');
    data.write('hello');
    const v = await service.putObject({ bucket: bucketOf('Unversioned'), key: 'k', ownerAccountId: 'a', attributes, payload: payload(data) });
    assert.equal(v.versionId, 'null');
    assert.equal(v.size, INLINE_OBJECT_MAX + 1);
    assert.equal(v.segments[0]?.inline, undefined);
    assert.equal(blobs.staged.size, 0);
    assert.equal(blobs.published.size, 1);
    assert.equal(metadata.versions.length, 1);
    assert.equal(await service.inlineContent(v), undefined);
    assert.equal(await text(service.openContent(v, { start: 1, end: 3 })), 'ell');
  });

  it('spills a payload of undeclared length to a file once it passes the inline limit', async () => {
    const { service, blobs } = setup();
    const chunk = Buffer.alloc(16 * 1024, 'y');
    const count = INLINE_OBJECT_MAX / chunk.length + 2;
    let sent = 0;
    const stream = new Readable({
      read() {
        this.push(sent++ < count ? chunk : null);
      },
    });
    const size = chunk.length * count;
    const v = await service.putObject({
      bucket: bucketOf('Unversioned'),
      key: 'k',
      ownerAccountId: 'a',
      attributes,
      payload: { stream, digests: () => ({ size, md5Hex: 'md5' }) },
    });
    assert.equal(v.size, size);
    assert.equal(v.segments[0]?.inline, undefined);
    assert.equal(blobs.published.get(v.segments[0]?.blobId ?? '')?.length, size);
  });

  it('copies a small object inline', async () => {
    const { service, blobs } = setup();
    const bucket = bucketOf('Unversioned');
    const source = await service.putObject({ bucket, key: 'src', ownerAccountId: 'a', attributes, payload: payload('copy me') });
    const copy = await service.copyObject({ source, bucket, key: 'dst', ownerAccountId: 'a', attributes });
    assert.equal(copy.segments[0]?.inline, true);
    assert.notEqual(copy.segments[0]?.blobId, source.segments[0]?.blobId);
    assert.equal(await text(service.openContent(copy)), 'copy me');
    assert.equal(blobs.published.size, 0);
  });

  it('a body that fails verification stores nothing', async () => {
    const { service, blobs, metadata } = setup();
    await assert.rejects(
      service.putObject({ bucket: bucketOf('Enabled'), key: 'k', ownerAccountId: 'a', attributes, payload: payload('x', new S3Error('BadDigest')) }),
      { code: 'BadDigest' },
    );
    assert.equal(blobs.staged.size + blobs.published.size, 0);
    assert.equal(metadata.versions.length, 0);
  });

  it('a failed commit deletes the staged blob (and an inline payload leaves nothing)', async () => {
    const { service, blobs, metadata } = setup();
    for (const data of [Buffer.alloc(INLINE_OBJECT_MAX + 1, 'd'), Buffer.from('data')]) {
      metadata.failNextPut = true;
      await assert.rejects(service.putObject({ bucket: bucketOf('Enabled'), key: 'k', ownerAccountId: 'a', attributes, payload: payload(data) }), /disk full/);
      assert.equal(blobs.staged.size + blobs.published.size, 0);
      assert.equal(metadata.inline.size, 0);
    }
  });

  it('a write losing a race with DeleteBucket answers NoSuchBucket, not the store\'s error; other failures stay as they are', async () => {
    const { service, blobs, metadata } = setup();
    metadata.bucketGone = true;
    for (const data of [Buffer.alloc(INLINE_OBJECT_MAX + 1, 'd'), Buffer.from('data')]) {
      await assert.rejects(service.putObject({ bucket: bucketOf('Enabled'), key: 'k', ownerAccountId: 'a', attributes, payload: payload(data) }), {
        code: 'NoSuchBucket',
      });
      assert.equal(blobs.staged.size + blobs.published.size, 0, 'the staged blob is deleted');
    }
    await assert.rejects(service.deleteObject(bucketOf('Enabled'), 'k', undefined, 'a'), { code: 'NoSuchBucket' }, 'a delete marker too');
    metadata.bucketGone = false;
    metadata.failNextPut = true;
    await assert.rejects(service.putObject({ bucket: bucketOf('Enabled'), key: 'k', ownerAccountId: 'a', attributes, payload: payload('x') }), /disk full/);
  });

  it('a body above the limit fails with EntityTooLarge and stores nothing', async () => {
    const { service, blobs } = setup();
    await assert.rejects(
      service.putObject({ bucket: bucketOf('Unversioned'), key: 'k', ownerAccountId: 'a', attributes, payload: payload('123456'), maxSize: 5 }),
      { code: 'EntityTooLarge' },
    );
    assert.equal(blobs.staged.size + blobs.published.size, 0);
  });

  it('conditional writes: If-None-Match * and If-Match', async () => {
    const { service } = setup();
    const bucket = bucketOf('Unversioned');
    await assert.rejects(
      service.putObject({ bucket, key: 'k', ownerAccountId: 'a', attributes, payload: payload('x'), precondition: { ifMatch: '"md5"' } }),
      { code: 'NoSuchKey' },
    );
    await service.putObject({ bucket, key: 'k', ownerAccountId: 'a', attributes, payload: payload('x'), precondition: { ifNoneMatch: '*' } });
    await assert.rejects(
      service.putObject({ bucket, key: 'k', ownerAccountId: 'a', attributes, payload: payload('y'), precondition: { ifNoneMatch: '*' } }),
      { code: 'PreconditionFailed' },
    );
    await assert.rejects(
      service.putObject({ bucket, key: 'k', ownerAccountId: 'a', attributes, payload: payload('y'), precondition: { ifMatch: '"other"' } }),
      { code: 'PreconditionFailed' },
    );
    await service.putObject({ bucket, key: 'k', ownerAccountId: 'a', attributes, payload: payload('y'), precondition: { ifMatch: '"md5"' } });
  });

  it('concurrent If-None-Match * writes: exactly one wins', async () => {
    const { service } = setup();
    const bucket = bucketOf('Enabled');
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) =>
        service.putObject({ bucket, key: 'lock', ownerAccountId: 'a', attributes, payload: payload(String(i)), precondition: { ifNoneMatch: '*' } }),
      ),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  });

  it('copies every segment of a multipart source, keeping its ETag and parts', async () => {
    const { service, blobs } = setup();
    blobs.published.set('p1', Buffer.from('aaaaa'));
    blobs.published.set('p2', Buffer.from('bbb'));
    const source: ObjectVersion = {
      bucket: 'b', key: 'src', versionId: 'null', seq: 1, isLatest: true, isDeleteMarker: false, lastModified: new Date(0),
      ownerAccountId: 'a', size: 8, etag: 'abc-2', storageClass: 'STANDARD', contentHeaders: {}, userMetadata: {},
      segments: [{ blobId: 'p1', size: 5 }, { blobId: 'p2', size: 3 }], partSizes: [5, 3], tagCount: 0,
    };
    const copy = await service.copyObject({ source, bucket: bucketOf('Unversioned'), key: 'dst', ownerAccountId: 'a', attributes });
    assert.equal(copy.etag, 'abc-2');
    assert.deepEqual(copy.partSizes, [5, 3]);
    assert.equal(copy.segments.length, 2);
    assert.notEqual(copy.segments[0]?.blobId, 'p1');
    assert.equal(await text(service.openContent(copy)), 'aaaaabbb');
    assert.equal(await text(service.openContent(copy, { start: 3, end: 6 })), 'aabb');
    assert.equal(blobs.staged.size, 0);
  });
});

describe('ObjectService deletes', () => {
  it('unversioned: removes the object', async () => {
    const { service, metadata } = setup();
    const bucket = bucketOf('Unversioned');
    await service.putObject({ bucket, key: 'k', ownerAccountId: 'a', attributes, payload: payload('x') });
    assert.deepEqual(await service.deleteObject(bucket, 'k', undefined, 'a'), { deleteMarker: false });
    assert.equal(metadata.versions.length, 0);
    assert.deepEqual(await service.deleteObject(bucket, 'missing', undefined, 'a'), { deleteMarker: false });
  });

  it('enabled: adds a delete marker with a fresh id; deleting it by id restores the object', async () => {
    const { service, metadata } = setup();
    const bucket = bucketOf('Enabled');
    const v = await service.putObject({ bucket, key: 'k', ownerAccountId: 'a', attributes, payload: payload('x') });
    const outcome = await service.deleteObject(bucket, 'k', undefined, 'a');
    assert.equal(outcome.deleteMarker, true);
    assert.match(outcome.versionId ?? '', /^[A-Za-z0-9_-]{32}$/);
    assert.notEqual(outcome.versionId, v.versionId);
    assert.equal((await metadata.getVersion('b', 'k'))?.isDeleteMarker, true);
    assert.deepEqual(await service.deleteObject(bucket, 'k', outcome.versionId, 'a'), { versionId: outcome.versionId, deleteMarker: true });
    assert.equal((await metadata.getVersion('b', 'k'))?.versionId, v.versionId);
    assert.deepEqual(await service.deleteObject(bucket, 'k', v.versionId, 'a'), { versionId: v.versionId, deleteMarker: false });
    assert.equal(metadata.versions.length, 0);
  });

  it('suspended: a null delete marker replaces the null version', async () => {
    const { service, metadata } = setup();
    const bucket = bucketOf('Suspended');
    await service.putObject({ bucket, key: 'k', ownerAccountId: 'a', attributes, payload: payload('x') });
    assert.deepEqual(await service.deleteObject(bucket, 'k', undefined, 'a'), { versionId: 'null', deleteMarker: true });
    assert.equal(metadata.versions.length, 1);
    assert.equal(metadata.versions[0]?.isDeleteMarker, true);
  });
});

describe('KeyedMutex', () => {
  it('runs sections of one key one at a time, in order, and forgets idle keys', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const section = (name: string, ms: number) => () =>
      new Promise<void>((resolve) => {
        log.push(`start ${name}`);
        setTimeout(() => {
          log.push(`end ${name}`);
          resolve();
        }, ms);
      });
    await Promise.all([mutex.run('k', section('a', 20)), mutex.run('k', section('b', 1)), mutex.run('other', section('c', 1))]);
    assert.deepEqual(log.filter((l) => !l.endsWith('c')), ['start a', 'end a', 'start b', 'end b']);
    assert.equal(mutex.size, 0);
  });
  it('releases the key when a section throws', async () => {
    const mutex = new KeyedMutex();
    await assert.rejects(mutex.run('k', () => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await mutex.run('k', () => Promise.resolve(7)), 7);
  });
});
