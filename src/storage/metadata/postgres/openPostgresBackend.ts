import type { MetadataBackend } from '../../MetadataBackend.js';
import { PostgresAuditConfigurationStore } from './audit/PostgresAuditConfigurationStore.js';
import { PostgresChangeFeed } from './changes/PostgresChangeFeed.js';
import { PostgresIamStore } from './iam/PostgresIamStore.js';
import { PostgresJobStore } from './jobs/PostgresJobStore.js';
import { PostgresWorkLeases } from './leases/PostgresWorkLeases.js';
import { PostgresLifecycleStore } from './lifecycle/PostgresLifecycleStore.js';
import { PostgresMetricsConfigurationStore } from './metrics/PostgresMetricsConfigurationStore.js';
import { PostgresNotificationStore } from './notifications/PostgresNotificationStore.js';
import { PostgresDatabase } from './PostgresDatabase.js';
import { PostgresMetadataStore } from './PostgresMetadataStore.js';
import { PostgresReplicationStore } from './replication/PostgresReplicationStore.js';
import { PostgresStorageStats } from './stats/PostgresStorageStats.js';

/** How often the storage figures' delta rows are folded into their totals (PostgresStorageStats.compact). */
const COMPACT_EVERY_MS = 10_000;

/**
 * Every store on one PostgreSQL database (TESSERA_METADATA_URL), which other Tessera nodes may share
 * (docs/scale-out.md): no read caches in front of data another node can change, worker leases in the database; a
 * conditional write's precondition is checked inside its own transaction (VersionWriteOptions.expect).
 */
export async function openPostgresBackend(url: string): Promise<MetadataBackend> {
  const database = await PostgresDatabase.open(url);
  const stats = new PostgresStorageStats(database);
  // storage figures are kept as delta rows: fold them into the totals now and then, whatever reads them
  const compaction = setInterval(() => void stats.compact().catch(() => undefined), COMPACT_EVERY_MS);
  compaction.unref();
  return {
    kind: 'postgres',
    shared: true,
    metadata: new PostgresMetadataStore(database),
    iam: new PostgresIamStore(database),
    jobs: new PostgresJobStore(database),
    lifecycle: new PostgresLifecycleStore(database),
    replication: new PostgresReplicationStore(database),
    changeFeed: new PostgresChangeFeed(database),
    notifications: new PostgresNotificationStore(database),
    metricsConfigurations: new PostgresMetricsConfigurationStore(database),
    auditConfigurations: new PostgresAuditConfigurationStore(database),
    stats,
    leases: new PostgresWorkLeases(database),
    reportTo(telemetry) {
      database.telemetry = telemetry;
    },
    async close() {
      clearInterval(compaction);
      await database.close();
    },
  };
}
