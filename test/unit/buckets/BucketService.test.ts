import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bucket, VersioningState } from '../../../src/core/buckets/Bucket.js';
import { BucketService } from '../../../src/core/buckets/BucketService.js';
import { storeRoles, type CoreDeps } from '../../../src/core/CoreDeps.js';
import type { Tag } from '../../../src/core/tags/Tag.js';
import { S3Error } from '../../../src/errors/S3Error.js';
import type { MetadataStore } from '../../../src/core/ports/MetadataStore.js';

/** The bucket half of a MetadataStore, in memory. */
class FakeBuckets {
  readonly buckets = new Map<string, Bucket>();
  readonly tags = new Map<string, readonly Tag[]>();
  readonly nonEmpty = new Set<string>();
  createBucket(b: Bucket): Promise<'created' | 'exists'> {
    if (this.buckets.has(b.name)) return Promise.resolve('exists');
    this.buckets.set(b.name, b);
    return Promise.resolve('created');
  }
  getBucket(name: string): Promise<Bucket | undefined> {
    return Promise.resolve(this.buckets.get(name));
  }
  listBuckets(owner?: string): Promise<Bucket[]> {
    return Promise.resolve([...this.buckets.values()].filter((b) => owner === undefined || b.ownerAccountId === owner).sort((a, b) => (a.name < b.name ? -1 : 1)));
  }
  setBucketVersioning(name: string, state: VersioningState): Promise<'ok' | 'missing'> {
    const b = this.buckets.get(name);
    if (!b) return Promise.resolve('missing');
    this.buckets.set(name, { ...b, versioning: state });
    return Promise.resolve('ok');
  }
  deleteBucket(name: string): Promise<'deleted' | 'missing' | 'not-empty'> {
    if (!this.buckets.has(name)) return Promise.resolve('missing');
    if (this.nonEmpty.has(name)) return Promise.resolve('not-empty');
    this.buckets.delete(name);
    return Promise.resolve('deleted');
  }
  setBucketTags(name: string, tags: readonly Tag[] | undefined): Promise<'ok' | 'missing'> {
    if (tags === undefined) this.tags.delete(name);
    else this.tags.set(name, tags);
    return Promise.resolve('ok');
  }
}

const NOW = new Date('2024-01-02T03:04:05.678Z');

function service(region = 'us-east-1'): { svc: BucketService; store: FakeBuckets } {
  const store = new FakeBuckets();
  const deps = {
    ...storeRoles(store as unknown as MetadataStore),
    blobs: undefined as never,
    settings: { region },
    clock: () => NOW,
  } satisfies CoreDeps;
  return { svc: new BucketService(deps), store };
}

const code = (c: string, status?: number) => (e: unknown) => e instanceof S3Error && e.code === c && (status === undefined || e.status === status);

describe('BucketService.create', () => {
  it('creates an unversioned bucket in the server region, owned by the caller', async () => {
    const { svc, store } = service();
    const { bucket, created } = await svc.create({ name: 'abc', ownerAccountId: '1', locationConstraint: undefined });
    assert.equal(created, true);
    assert.deepEqual(store.buckets.get('abc'), { name: 'abc', ownerAccountId: '1', region: 'us-east-1', createdAt: NOW, versioning: 'Unversioned' });
    assert.equal(bucket.region, 'us-east-1');
  });

  it('refuses bad names before anything else', async () => {
    const { svc, store } = service();
    await assert.rejects(svc.create({ name: 'Bad_Name', ownerAccountId: '1', locationConstraint: 'nowhere' }), code('InvalidBucketName', 400));
    assert.equal(store.buckets.size, 0);
  });

  it('answers 200 (nothing changed) to the owner re-creating in us-east-1, BucketAlreadyOwnedByYou elsewhere', async () => {
    const east = service('us-east-1');
    await east.svc.create({ name: 'abc', ownerAccountId: '1', locationConstraint: undefined });
    const again = await east.svc.create({ name: 'abc', ownerAccountId: '1', locationConstraint: undefined });
    assert.equal(again.created, false);
    const west = service('eu-west-2');
    await west.svc.create({ name: 'abc', ownerAccountId: '1', locationConstraint: 'eu-west-2' });
    await assert.rejects(west.svc.create({ name: 'abc', ownerAccountId: '1', locationConstraint: 'eu-west-2' }), code('BucketAlreadyOwnedByYou', 409));
  });

  it('answers BucketAlreadyExists to another account', async () => {
    const { svc } = service();
    await svc.create({ name: 'abc', ownerAccountId: '1', locationConstraint: undefined });
    await assert.rejects(svc.create({ name: 'abc', ownerAccountId: '2', locationConstraint: undefined }), code('BucketAlreadyExists', 409));
  });

  it('checks the location constraint against the region', async () => {
    const { svc } = service('eu-west-2');
    await assert.rejects(svc.create({ name: 'abc', ownerAccountId: '1', locationConstraint: undefined }), code('IllegalLocationConstraintException'));
    await assert.rejects(svc.create({ name: 'abc', ownerAccountId: '1', locationConstraint: 'us-west-1' }), code('IllegalLocationConstraintException'));
  });

  it('stores initial tags, after validating them', async () => {
    const { svc, store } = service();
    await svc.create({ name: 'abc', ownerAccountId: '1', locationConstraint: undefined, tags: [{ key: 'b', value: '2' }, { key: 'a', value: '1' }] });
    assert.deepEqual(store.tags.get('abc'), [{ key: 'a', value: '1' }, { key: 'b', value: '2' }]);
    await assert.rejects(
      svc.create({ name: 'abd', ownerAccountId: '1', locationConstraint: undefined, tags: [{ key: 'aws:x', value: '' }] }),
      code('InvalidTag'),
    );
    assert.equal(store.buckets.has('abd'), false);
  });
});

describe('BucketService.delete / setVersioning / listOwned', () => {
  it('maps store answers to NoSuchBucket and BucketNotEmpty', async () => {
    const { svc, store } = service();
    await assert.rejects(svc.delete('nope'), code('NoSuchBucket', 404));
    await svc.create({ name: 'abc', ownerAccountId: '1', locationConstraint: undefined });
    store.nonEmpty.add('abc');
    await assert.rejects(svc.delete('abc'), code('BucketNotEmpty', 409));
    store.nonEmpty.delete('abc');
    await svc.delete('abc');
    assert.equal(store.buckets.size, 0);
  });

  it('sets versioning', async () => {
    const { svc, store } = service();
    await svc.create({ name: 'abc', ownerAccountId: '1', locationConstraint: undefined });
    await svc.setVersioning('abc', 'Suspended');
    assert.equal(store.buckets.get('abc')?.versioning, 'Suspended');
    await svc.setVersioning('abc', 'Enabled');
    assert.equal(store.buckets.get('abc')?.versioning, 'Enabled');
    await assert.rejects(svc.setVersioning('nope', 'Enabled'), code('NoSuchBucket'));
  });

  it("lists only the account's buckets, by prefix, after a position, a page at a time", async () => {
    const { svc } = service();
    for (const name of ['b-2', 'a-1', 'b-1', 'c-1']) await svc.create({ name, ownerAccountId: '1', locationConstraint: undefined });
    await svc.create({ name: 'b-0', ownerAccountId: '2', locationConstraint: undefined });
    const names = (p: { buckets: readonly Bucket[] }) => p.buckets.map((b) => b.name);
    assert.deepEqual(names(await svc.listOwned('1', { limit: 10 })), ['a-1', 'b-1', 'b-2', 'c-1']);
    const first = await svc.listOwned('1', { limit: 2 });
    assert.deepEqual([names(first), first.isTruncated], [['a-1', 'b-1'], true]);
    const rest = await svc.listOwned('1', { limit: 2, after: 'b-1' });
    assert.deepEqual([names(rest), rest.isTruncated], [['b-2', 'c-1'], false]);
    assert.deepEqual(names(await svc.listOwned('1', { limit: 10, prefix: 'b-' })), ['b-1', 'b-2']);
    assert.deepEqual(names(await svc.listOwned('1', { limit: 10, region: 'eu-west-1' })), []);
  });
});
