import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from '../../src/storage/metadata/sqlite/SqliteDatabase.js';
import { SqliteMetadataStore } from '../../src/storage/metadata/sqlite/SqliteMetadataStore.js';
import { SqliteJobStore } from '../../src/storage/metadata/sqlite/jobs/SqliteJobStore.js';
import { jobStoreContract } from './jobContract.js';

jobStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-jobstore-'));
  const database = await SqliteDatabase.open(dir);
  const metadata = new SqliteMetadataStore(database, true);
  return {
    store: new SqliteJobStore(database),
    async close() {
      await metadata.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
