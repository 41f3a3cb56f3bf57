import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bucket } from '../../../src/core/buckets/Bucket.js';
import type { MetricsConfiguration } from '../../../src/core/metrics/MetricsConfiguration.js';
import { MetricsConfigurationService } from '../../../src/core/metrics/MetricsConfigurationService.js';
import type { MetricsConfigurationStore } from '../../../src/core/ports/MetricsConfigurationStore.js';
import { S3Error } from '../../../src/errors/S3Error.js';

/** An in-memory store that counts its calls (the SQLite one runs the contract suite in test/storage). */
class MemoryStore implements MetricsConfigurationStore {
  readonly buckets = new Map<string, Map<string, MetricsConfiguration>>();
  calls = 0;
  failNext = false;

  bucket(name: string): Map<string, MetricsConfiguration> | undefined {
    return this.buckets.get(name);
  }
  putMetricsConfiguration(bucket: string, configuration: MetricsConfiguration, limit: number): Promise<'ok' | 'missing' | 'too-many'> {
    this.calls++;
    const b = this.bucket(bucket);
    if (b === undefined) return Promise.resolve('missing');
    if (!b.has(configuration.id) && b.size >= limit) return Promise.resolve('too-many');
    b.set(configuration.id, configuration);
    return Promise.resolve('ok');
  }
  getMetricsConfiguration(bucket: string, id: string): Promise<MetricsConfiguration | undefined> {
    this.calls++;
    return Promise.resolve(this.bucket(bucket)?.get(id));
  }
  deleteMetricsConfiguration(bucket: string, id: string): Promise<boolean> {
    this.calls++;
    return Promise.resolve(this.bucket(bucket)?.delete(id) ?? false);
  }
  listMetricsConfigurations(bucket: string, after: string | undefined, limit: number): Promise<MetricsConfiguration[]> {
    this.calls++;
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('disk on fire'));
    }
    const all = [...(this.bucket(bucket)?.values() ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return Promise.resolve(all.filter((c) => after === undefined || c.id > after).slice(0, limit));
  }
}

function bucketNamed(name: string, createdAt = 1_700_000_000_000): Bucket {
  return { name, ownerAccountId: '111111111111', region: 'us-east-1', createdAt: new Date(createdAt), versioning: 'Unversioned' };
}

function setup(): { store: MemoryStore; service: MetricsConfigurationService; b: Bucket } {
  const store = new MemoryStore();
  store.buckets.set('b', new Map());
  return { store, service: new MetricsConfigurationService({ store }), b: bucketNamed('b') };
}

async function rejectsWith(call: Promise<unknown>, code: string): Promise<S3Error> {
  let caught: unknown;
  await call.catch((e: unknown) => {
    caught = e;
  });
  assert.ok(caught instanceof S3Error, `expected an S3Error, got ${String(caught)}`);
  assert.equal(caught.code, code);
  return caught;
}

describe('MetricsConfigurationService', () => {
  it('put, get, replace, delete', async () => {
    const { service, b } = setup();
    assert.deepEqual(await service.put(b, 'm', { id: 'm' }), { id: 'm' });
    assert.deepEqual(await service.get(b, 'm'), { id: 'm' });
    await service.put(b, 'm', { id: 'm', filter: { prefix: 'p/', tags: [] } });
    assert.deepEqual(await service.get(b, 'm'), { id: 'm', filter: { prefix: 'p/', tags: [] } });
    await service.delete(b, 'm');
    await rejectsWith(service.get(b, 'm'), 'NoSuchConfiguration');
    await rejectsWith(service.delete(b, 'm'), 'NoSuchConfiguration');
  });

  it('checks the id of get and delete before the store', async () => {
    const { store, service, b } = setup();
    await rejectsWith(service.get(b, undefined), 'InvalidArgument');
    await rejectsWith(service.delete(b, 'bad id'), 'InvalidArgument');
    assert.equal(store.calls, 0);
  });

  it('TooManyConfigurations for the 1,001st id; an existing one is still replaced', async () => {
    const { service, b } = setup();
    for (let i = 0; i < 1000; i++) await service.put(b, `c${i}`, { id: `c${i}` });
    await rejectsWith(service.put(b, 'one-more', { id: 'one-more' }), 'TooManyConfigurations');
    await service.put(b, 'c7', { id: 'c7', filter: { prefix: 'x', tags: [] } });
  });

  it('NoSuchBucket when the bucket went away meanwhile', async () => {
    const { service } = setup();
    await rejectsWith(service.put(bucketNamed('gone'), 'm', { id: 'm' }), 'NoSuchBucket');
  });

  it('lists pages of 100 in id order with an opaque token, to the end', async () => {
    const { service, b } = setup();
    const ids = Array.from({ length: 250 }, (_, i) => `id-${String(i).padStart(3, '0')}`);
    for (const id of [...ids].reverse()) await service.put(b, id, { id });
    const seen: string[] = [];
    let token: string | undefined;
    const pages: boolean[] = [];
    do {
      const page = await service.list(b, token);
      assert.equal(page.continuationToken, token);
      seen.push(...page.configurations.map((c) => c.id));
      pages.push(page.isTruncated);
      assert.equal(page.nextContinuationToken !== undefined, page.isTruncated);
      token = page.nextContinuationToken;
      if (token !== undefined) assert.ok(!token.includes('id-'), 'the token is opaque');
    } while (token !== undefined);
    assert.deepEqual(seen, ids);
    assert.deepEqual(pages, [true, true, false]);
  });

  it('exactly 100: one complete page; none: an empty complete page', async () => {
    const { service, b } = setup();
    assert.deepEqual(await service.list(b, undefined), { configurations: [], isTruncated: false });
    for (let i = 0; i < 100; i++) await service.put(b, `c${String(i).padStart(3, '0')}`, { id: `c${String(i).padStart(3, '0')}` });
    const page = await service.list(b, undefined);
    assert.equal(page.configurations.length, 100);
    assert.equal(page.isTruncated, false);
    assert.equal(page.nextContinuationToken, undefined);
  });

  it('a continuation token it did not make is InvalidArgument', async () => {
    const { service, b } = setup();
    for (const token of ['', 'not-base64!', Buffer.from('o1:abc').toString('base64'), Buffer.from('m1:bad id').toString('base64')]) {
      const error = await rejectsWith(service.list(b, token), 'InvalidArgument');
      assert.equal(error.details?.ArgumentName, 'continuation-token');
    }
  });

  describe('forBucket: the exporter’s per-request read', () => {
    it('a warm call does not touch the store', async () => {
      const { store, service, b } = setup();
      await service.put(b, 'm', { id: 'm' });
      assert.deepEqual(await service.forBucket(b), [{ id: 'm' }]);
      const before = store.calls;
      for (let i = 0; i < 100; i++) assert.deepEqual(await service.forBucket(b), [{ id: 'm' }]);
      assert.equal(store.calls, before);
    });

    it('calls side by side share one read', async () => {
      const { store, service, b } = setup();
      const before = store.calls;
      await Promise.all([service.forBucket(b), service.forBucket(b), service.forBucket(b)]);
      assert.equal(store.calls, before + 1);
    });

    it('every write through the service is seen by the next call', async () => {
      const { service, b } = setup();
      assert.deepEqual(await service.forBucket(b), []);
      await service.put(b, 'b', { id: 'b' });
      assert.deepEqual((await service.forBucket(b)).map((c) => c.id), ['b']);
      await service.put(b, 'a', { id: 'a', filter: { tags: [{ key: 'k', value: 'v' }] } });
      assert.deepEqual(await service.forBucket(b), [{ id: 'a', filter: { tags: [{ key: 'k', value: 'v' }] } }, { id: 'b' }]);
      await service.put(b, 'a', { id: 'a' });
      assert.deepEqual(await service.forBucket(b), [{ id: 'a' }, { id: 'b' }]);
      await service.delete(b, 'b');
      assert.deepEqual(await service.forBucket(b), [{ id: 'a' }]);
    });

    it('a refused write leaves the list as it was', async () => {
      const { service, b } = setup();
      await service.put(b, 'a', { id: 'a' });
      await service.forBucket(b);
      await rejectsWith(service.put(b, 'x', { id: 'y' }), 'MalformedXML');
      assert.deepEqual(await service.forBucket(b), [{ id: 'a' }]);
    });

    it('a bucket created again under the name is read afresh (its configurations went with the old one)', async () => {
      const { store, service, b } = setup();
      await service.put(b, 'a', { id: 'a' });
      assert.equal((await service.forBucket(b)).length, 1);
      store.buckets.set('b', new Map());
      assert.deepEqual(await service.forBucket(bucketNamed('b', 1_800_000_000_000)), []);
    });

    it('buckets are cached apart', async () => {
      const { store, service, b } = setup();
      store.buckets.set('c', new Map());
      const c = bucketNamed('c');
      await service.put(b, 'in-b', { id: 'in-b' });
      await service.put(c, 'in-c', { id: 'in-c' });
      assert.deepEqual((await service.forBucket(b)).map((x) => x.id), ['in-b']);
      assert.deepEqual((await service.forBucket(c)).map((x) => x.id), ['in-c']);
      await service.delete(c, 'in-c');
      assert.deepEqual((await service.forBucket(b)).map((x) => x.id), ['in-b']);
      assert.deepEqual(await service.forBucket(c), []);
    });

    it('a failed read is not kept', async () => {
      const { store, service, b } = setup();
      await service.put(b, 'a', { id: 'a' });
      store.failNext = true;
      await assert.rejects(service.forBucket(b), /disk on fire/);
      assert.deepEqual(await service.forBucket(b), [{ id: 'a' }]);
    });
  });
});
