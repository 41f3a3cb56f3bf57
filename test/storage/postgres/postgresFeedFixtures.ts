import { PostgresDatabase } from '../../../src/storage/metadata/postgres/PostgresDatabase.js';
import { PostgresMetadataStore } from '../../../src/storage/metadata/postgres/PostgresMetadataStore.js';
import { PostgresChangeFeed } from '../../../src/storage/metadata/postgres/changes/PostgresChangeFeed.js';
import { createTestDatabase } from '../../support/postgresCluster.js';

/** A fresh database with the metadata store, the change feed and `make`'s store on one pool (as the composition root builds them). */
export async function openPostgres<T>(
  make: (database: PostgresDatabase) => T,
): Promise<{ metadata: PostgresMetadataStore; feed: PostgresChangeFeed; store: T; close(): Promise<void> }> {
  const created = await createTestDatabase();
  let database: PostgresDatabase;
  try {
    database = await PostgresDatabase.open(created.url, { max: 4 });
  } catch (error) {
    await created.dispose();
    throw error;
  }
  return {
    metadata: new PostgresMetadataStore(database),
    feed: new PostgresChangeFeed(database),
    store: make(database),
    async close() {
      await database.close();
      await created.dispose();
    },
  };
}
