import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { MetricsConfiguration } from '../../src/core/metrics/MetricsConfiguration.js';
import type { MetadataStore } from '../../src/core/ports/MetadataStore.js';
import type { MetricsConfigurationStore } from '../../src/core/ports/MetricsConfigurationStore.js';
import { bucketOf } from './metadata/contractKit.js';

export interface MetricsConfigurationFixture {
  readonly metadata: MetadataStore;
  readonly store: MetricsConfigurationStore;
  close(): Promise<void>;
}

const EVERYTHING: MetricsConfiguration = { id: 'EntireBucket' };
const FILTERED: MetricsConfiguration = {
  id: 'docs.prod',
  filter: { prefix: 'docs/', tags: [{ key: 'env', value: 'prod' }, { key: 'team', value: '' }] },
};

/** The MetricsConfigurationStore contract: every backend runs it (test/storage/sqliteMetricsConfiguration.test.ts for SQLite). */
export function metricsConfigurationStoreContract(name: string, open: () => Promise<MetricsConfigurationFixture>): void {
  const test = (title: string, body: (f: MetricsConfigurationFixture) => Promise<void>): void => {
    void it(`${name}: ${title}`, async () => {
      const f = await open();
      try {
        await body(f);
      } finally {
        await f.close();
      }
    });
  };

  test('stores a configuration under its id, gives it back as stored, and replaces one of the same id', async ({ metadata, store }) => {
    await metadata.createBucket(bucketOf('b'));
    assert.equal(await store.putMetricsConfiguration('b', EVERYTHING, 1000), 'ok');
    assert.equal(await store.putMetricsConfiguration('b', FILTERED, 1000), 'ok');
    assert.deepEqual(await store.getMetricsConfiguration('b', 'EntireBucket'), EVERYTHING);
    assert.deepEqual(await store.getMetricsConfiguration('b', 'docs.prod'), FILTERED);
    const replaced: MetricsConfiguration = { id: 'docs.prod', filter: { tags: [], accessPointArn: 'arn:aws:s3:us-east-1:123456789012:accesspoint/ap-1' } };
    assert.equal(await store.putMetricsConfiguration('b', replaced, 1000), 'ok');
    assert.deepEqual(await store.getMetricsConfiguration('b', 'docs.prod'), replaced);
    assert.equal(await store.getMetricsConfiguration('b', 'nope'), undefined);
    assert.equal(await store.getMetricsConfiguration('other', 'docs.prod'), undefined);
  });

  test('a bucket that does not exist gets nothing', async ({ store }) => {
    assert.equal(await store.putMetricsConfiguration('nope', EVERYTHING, 1000), 'missing');
    assert.deepEqual(await store.listMetricsConfigurations('nope', undefined, 10), []);
  });

  test('delete says whether the configuration existed', async ({ metadata, store }) => {
    await metadata.createBucket(bucketOf('b'));
    await store.putMetricsConfiguration('b', EVERYTHING, 1000);
    assert.equal(await store.deleteMetricsConfiguration('b', 'EntireBucket'), true);
    assert.equal(await store.deleteMetricsConfiguration('b', 'EntireBucket'), false);
    assert.equal(await store.getMetricsConfiguration('b', 'EntireBucket'), undefined);
  });

  test('lists in binary id order, after a position, up to a limit, one bucket only', async ({ metadata, store }) => {
    await metadata.createBucket(bucketOf('b'));
    await metadata.createBucket(bucketOf('c'));
    for (const id of ['b', 'a', 'B', '_', '-', '.', 'a.1', '0']) await store.putMetricsConfiguration('b', { id }, 1000);
    await store.putMetricsConfiguration('c', { id: 'other' }, 1000);
    const ids = async (after: string | undefined, limit: number): Promise<string[]> =>
      (await store.listMetricsConfigurations('b', after, limit)).map((c) => c.id);
    assert.deepEqual(await ids(undefined, 100), ['-', '.', '0', 'B', '_', 'a', 'a.1', 'b']);
    assert.deepEqual(await ids(undefined, 3), ['-', '.', '0']);
    assert.deepEqual(await ids('0', 3), ['B', '_', 'a']);
    assert.deepEqual(await ids('a', 100), ['a.1', 'b']);
    assert.deepEqual(await ids('b', 100), []);
    assert.deepEqual(await ids('Z', 2), ['_', 'a'], 'a position need not be a stored id');
  });

  test('refuses a new id past the limit, in the same transaction, but still replaces an existing one', async ({ metadata, store }) => {
    await metadata.createBucket(bucketOf('b'));
    for (let i = 0; i < 5; i++) assert.equal(await store.putMetricsConfiguration('b', { id: `m${i}` }, 5), 'ok');
    assert.equal(await store.putMetricsConfiguration('b', { id: 'm5' }, 5), 'too-many');
    assert.equal(await store.getMetricsConfiguration('b', 'm5'), undefined);
    assert.equal(await store.putMetricsConfiguration('b', { id: 'm4', filter: { prefix: 'x', tags: [] } }, 5), 'ok');
    // side by side, new ids race for the last places: exactly the limit is kept
    await store.deleteMetricsConfiguration('b', 'm0');
    await store.deleteMetricsConfiguration('b', 'm1');
    const outcomes = await Promise.all(['n1', 'n2', 'n3', 'n4'].map((id) => store.putMetricsConfiguration('b', { id }, 5)));
    assert.deepEqual(outcomes.filter((o) => o === 'ok').length, 2);
    assert.equal((await store.listMetricsConfigurations('b', undefined, 100)).length, 5);
  });

  test('a bucket holds a thousand configurations, and the thousand-and-first is refused', async ({ metadata, store }) => {
    await metadata.createBucket(bucketOf('b'));
    const outcomes = await Promise.all(Array.from({ length: 1001 }, (_, i) => store.putMetricsConfiguration('b', { id: `c${String(i).padStart(4, '0')}` }, 1000)));
    assert.equal(outcomes.filter((o) => o === 'ok').length, 1000);
    // which one is refused is up to the backend (calls made at once need not be applied in call order)
    assert.equal(outcomes.filter((o) => o === 'too-many').length, 1);
    assert.equal((await store.listMetricsConfigurations('b', undefined, 2000)).length, 1000);
  });

  test('the configurations go with their bucket; a bucket created again under the name has none', async ({ metadata, store }) => {
    await metadata.createBucket(bucketOf('b'));
    await store.putMetricsConfiguration('b', EVERYTHING, 1000);
    await store.putMetricsConfiguration('b', FILTERED, 1000);
    assert.equal(await metadata.deleteBucket('b'), 'deleted');
    assert.equal(await store.getMetricsConfiguration('b', 'EntireBucket'), undefined);
    await metadata.createBucket(bucketOf('b'));
    assert.deepEqual(await store.listMetricsConfigurations('b', undefined, 10), []);
  });
}
