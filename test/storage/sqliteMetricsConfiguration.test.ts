import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from '../../src/storage/metadata/sqlite/SqliteDatabase.js';
import { SqliteMetadataStore } from '../../src/storage/metadata/sqlite/SqliteMetadataStore.js';
import { SqliteMetricsConfigurationStore } from '../../src/storage/metadata/sqlite/metrics/SqliteMetricsConfigurationStore.js';
import { metricsConfigurationStoreContract, type MetricsConfigurationFixture } from './metricsConfigurationContract.js';

async function openSqlite(): Promise<MetricsConfigurationFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-metrics-'));
  const database = await SqliteDatabase.open(dir);
  const metadata = new SqliteMetadataStore(database, true);
  return {
    metadata,
    store: new SqliteMetricsConfigurationStore(database),
    async close() {
      await metadata.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

metricsConfigurationStoreContract('SQLite', openSqlite);
