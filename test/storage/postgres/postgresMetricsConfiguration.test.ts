import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PostgresDatabase } from '../../../src/storage/metadata/postgres/PostgresDatabase.js';
import { PostgresMetadataStore } from '../../../src/storage/metadata/postgres/PostgresMetadataStore.js';
import { PostgresMetricsConfigurationStore } from '../../../src/storage/metadata/postgres/metrics/PostgresMetricsConfigurationStore.js';
import { createTestDatabase } from '../../support/postgresCluster.js';
import { metricsConfigurationStoreContract, type MetricsConfigurationFixture } from '../metricsConfigurationContract.js';
import { bucketOf } from '../metadata/contractKit.js';

async function openPostgres(): Promise<MetricsConfigurationFixture> {
  const database = await createTestDatabase();
  const db = await PostgresDatabase.open(database.url);
  return {
    metadata: new PostgresMetadataStore(db),
    store: new PostgresMetricsConfigurationStore(db),
    async close() {
      await db.close();
      await database.dispose();
    },
  };
}

metricsConfigurationStoreContract('PostgreSQL', openPostgres);

void it('PostgreSQL: two nodes adding configurations at once keep the per-bucket limit', async () => {
  const database = await createTestDatabase();
  const [dbA, dbB] = [await PostgresDatabase.open(database.url), await PostgresDatabase.open(database.url)];
  try {
    await new PostgresMetadataStore(dbA).createBucket(bucketOf('b'));
    const nodes = [new PostgresMetricsConfigurationStore(dbA), new PostgresMetricsConfigurationStore(dbB)];
    const outcomes = await Promise.all(Array.from({ length: 60 }, (_, i) => nodes[i % 2]!.putMetricsConfiguration('b', { id: `c${i}` }, 25)));
    assert.equal(outcomes.filter((o) => o === 'ok').length, 25);
    assert.equal(outcomes.filter((o) => o === 'too-many').length, 35);
    assert.equal((await nodes[1]!.listMetricsConfigurations('b', undefined, 100)).length, 25);
  } finally {
    await dbA.close();
    await dbB.close();
    await database.dispose();
  }
});
