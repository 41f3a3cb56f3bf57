import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from '../../src/storage/metadata/sqlite/SqliteDatabase.js';
import { SqliteMetadataStore } from '../../src/storage/metadata/sqlite/SqliteMetadataStore.js';
import { SqliteLifecycleStore } from '../../src/storage/metadata/sqlite/lifecycle/SqliteLifecycleStore.js';
import { lifecycleStoreContract } from './lifecycleContract.js';

lifecycleStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-lifecycle-'));
  const database = await SqliteDatabase.open(dir);
  const metadata = new SqliteMetadataStore(database, true);
  return {
    metadata,
    lifecycle: new SqliteLifecycleStore(database),
    async close() {
      await metadata.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
