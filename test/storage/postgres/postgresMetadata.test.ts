import { PostgresMetadataStore } from '../../../src/storage/metadata/postgres/PostgresMetadataStore.js';
import { createTestDatabase } from '../../support/postgresCluster.js';
import { runMetadataContract, type MetadataFixture } from '../metadataContract.js';

/**
 * A fresh database per fixture; `reopen` closes the store's pool and opens a new one on the same database.
 * `oneStatementWrites: false`: every PUT and tag write takes the transaction its one-statement form falls back to.
 */
async function postgresFixture(options: { oneStatementWrites?: boolean } = {}): Promise<MetadataFixture> {
  const database = await createTestDatabase();
  let current: PostgresMetadataStore;
  try {
    current = await PostgresMetadataStore.open(database.url, options);
  } catch (error) {
    await database.dispose();
    throw error;
  }
  return {
    store: current,
    async reopen() {
      await current.close();
      current = await PostgresMetadataStore.open(database.url, options);
      return current;
    },
    async dispose() {
      await current.close();
      await database.dispose();
    },
  };
}

runMetadataContract('postgres', { create: () => postgresFixture() });
runMetadataContract('postgres, every PUT and tag write in a transaction', { create: () => postgresFixture({ oneStatementWrites: false }) });
