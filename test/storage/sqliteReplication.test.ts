import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from '../../src/storage/metadata/sqlite/SqliteDatabase.js';
import { SqliteMetadataStore } from '../../src/storage/metadata/sqlite/SqliteMetadataStore.js';
import { SqliteChangeFeed } from '../../src/storage/metadata/sqlite/changes/SqliteChangeFeed.js';
import { SqliteNotificationStore } from '../../src/storage/metadata/sqlite/notifications/SqliteNotificationStore.js';
import { SqliteReplicationStore } from '../../src/storage/metadata/sqlite/replication/SqliteReplicationStore.js';
import { notificationStoreContract } from './notificationContract.js';
import { replicationStoreContract } from './replicationContract.js';

async function openSqlite<T>(make: (database: SqliteDatabase) => T): Promise<{ metadata: SqliteMetadataStore; feed: SqliteChangeFeed; store: T; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-feeds-'));
  const database = await SqliteDatabase.open(dir);
  const metadata = new SqliteMetadataStore(database, true);
  return {
    metadata,
    feed: new SqliteChangeFeed(database),
    store: make(database),
    async close() {
      await metadata.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

replicationStoreContract('SQLite', () => openSqlite((d) => new SqliteReplicationStore(d)));
notificationStoreContract('SQLite', () => openSqlite((d) => new SqliteNotificationStore(d)));
