import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { AuditConfiguration } from '../../src/core/audit/AuditConfiguration.js';
import type { AuditConfigurationStore } from '../../src/core/ports/AuditConfigurationStore.js';
import type { MetadataStore } from '../../src/core/ports/MetadataStore.js';
import { bucketOf } from './metadata/contractKit.js';

export interface AuditConfigurationFixture {
  readonly metadata: MetadataStore;
  readonly store: AuditConfigurationStore;
  close(): Promise<void>;
}

const FILTERED: AuditConfiguration = { filter: { prefix: 'logs/', tags: [{ key: 'env', value: 'prod' }] }, includeObjectTags: true };
const PLAIN: AuditConfiguration = { includeObjectTags: false };

/** The AuditConfigurationStore contract: every backend runs it (test/storage/sqliteAuditConfiguration.test.ts for SQLite). */
export function auditConfigurationStoreContract(name: string, open: () => Promise<AuditConfigurationFixture>): void {
  const test = (title: string, body: (f: AuditConfigurationFixture) => Promise<void>): void => {
    void it(`${name}: ${title}`, async () => {
      const f = await open();
      try {
        await body(f);
      } finally {
        await f.close();
      }
    });
  };

  test('stores one configuration per bucket, gives it back as stored, and replaces it', async ({ metadata, store }) => {
    await metadata.createBucket(bucketOf('b'));
    await metadata.createBucket(bucketOf('c'));
    assert.equal(await store.getAudit('b'), undefined);
    assert.equal(await store.putAudit('b', FILTERED), 'ok');
    assert.deepEqual(await store.getAudit('b'), FILTERED);
    assert.equal(await store.getAudit('c'), undefined, 'one bucket only');
    assert.equal(await store.putAudit('b', PLAIN), 'ok');
    assert.deepEqual(await store.getAudit('b'), PLAIN);
  });

  test('a bucket that does not exist gets nothing', async ({ store }) => {
    assert.equal(await store.putAudit('nope', PLAIN), 'missing');
    assert.equal(await store.getAudit('nope'), undefined);
  });

  test('delete says whether there was one', async ({ metadata, store }) => {
    await metadata.createBucket(bucketOf('b'));
    assert.equal(await store.deleteAudit('b'), false);
    await store.putAudit('b', FILTERED);
    assert.equal(await store.deleteAudit('b'), true);
    assert.equal(await store.deleteAudit('b'), false);
    assert.equal(await store.getAudit('b'), undefined);
  });

  test('the configuration goes with its bucket; a bucket created again under the name has none', async ({ metadata, store }) => {
    await metadata.createBucket(bucketOf('b'));
    await store.putAudit('b', FILTERED);
    assert.equal(await metadata.deleteBucket('b'), 'deleted');
    assert.equal(await store.getAudit('b'), undefined);
    await metadata.createBucket(bucketOf('b'));
    assert.equal(await store.getAudit('b'), undefined);
  });
}
