import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from '../../src/storage/metadata/sqlite/SqliteDatabase.js';
import { SqliteMetadataStore } from '../../src/storage/metadata/sqlite/SqliteMetadataStore.js';
import { SqliteAuditConfigurationStore } from '../../src/storage/metadata/sqlite/audit/SqliteAuditConfigurationStore.js';
import { auditConfigurationStoreContract, type AuditConfigurationFixture } from './auditConfigurationContract.js';

async function openSqlite(): Promise<AuditConfigurationFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-audit-'));
  const database = await SqliteDatabase.open(dir);
  const metadata = new SqliteMetadataStore(database, true);
  return {
    metadata,
    store: new SqliteAuditConfigurationStore(database),
    async close() {
      await metadata.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

auditConfigurationStoreContract('SQLite', openSqlite);
