import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from '../../src/storage/metadata/sqlite/SqliteDatabase.js';
import { SqliteMetadataStore } from '../../src/storage/metadata/sqlite/SqliteMetadataStore.js';
import { SqliteChangeFeed } from '../../src/storage/metadata/sqlite/changes/SqliteChangeFeed.js';
import { changeFeedContract } from './changeFeedContract.js';

changeFeedContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-changes-'));
  const database = await SqliteDatabase.open(dir);
  const metadata = new SqliteMetadataStore(database, true);
  return {
    metadata,
    feed: new SqliteChangeFeed(database),
    async close() {
      await metadata.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
