import { PostgresDatabase } from '../../../src/storage/metadata/postgres/PostgresDatabase.js';
import { PostgresMetadataStore } from '../../../src/storage/metadata/postgres/PostgresMetadataStore.js';
import { PostgresAuditConfigurationStore } from '../../../src/storage/metadata/postgres/audit/PostgresAuditConfigurationStore.js';
import { createTestDatabase } from '../../support/postgresCluster.js';
import { auditConfigurationStoreContract, type AuditConfigurationFixture } from '../auditConfigurationContract.js';

async function openPostgres(): Promise<AuditConfigurationFixture> {
  const database = await createTestDatabase();
  const db = await PostgresDatabase.open(database.url);
  return {
    metadata: new PostgresMetadataStore(db),
    store: new PostgresAuditConfigurationStore(db),
    async close() {
      await db.close();
      await database.dispose();
    },
  };
}

auditConfigurationStoreContract('PostgreSQL', openPostgres);
