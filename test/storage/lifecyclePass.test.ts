import { SqliteDatabase } from '../../src/storage/metadata/sqlite/SqliteDatabase.js';
import { SqliteMetadataStore } from '../../src/storage/metadata/sqlite/SqliteMetadataStore.js';
import { SqliteLifecycleStore } from '../../src/storage/metadata/sqlite/lifecycle/SqliteLifecycleStore.js';
import { lifecyclePassContract } from './lifecyclePassContract.js';

lifecyclePassContract('SQLite', async (dir) => {
  const database = await SqliteDatabase.open(dir);
  const metadata = new SqliteMetadataStore(database, true);
  return { metadata, lifecycle: new SqliteLifecycleStore(database), close: () => metadata.close() };
});
