import type { MetadataBackend } from '../../MetadataBackend.js';
import { withReadCaches } from '../../cache/withReadCaches.js';
import { SqliteAuditConfigurationStore } from './audit/SqliteAuditConfigurationStore.js';
import { SqliteChangeFeed } from './changes/SqliteChangeFeed.js';
import { SqliteIamStore } from './iam/SqliteIamStore.js';
import { SqliteJobStore } from './jobs/SqliteJobStore.js';
import { SqliteLifecycleStore } from './lifecycle/SqliteLifecycleStore.js';
import { SqliteMetricsConfigurationStore } from './metrics/SqliteMetricsConfigurationStore.js';
import { SqliteNotificationStore } from './notifications/SqliteNotificationStore.js';
import { SqliteReplicationStore } from './replication/SqliteReplicationStore.js';
import { SqliteDatabase } from './SqliteDatabase.js';
import { SqliteMetadataStore } from './SqliteMetadataStore.js';
import { SqliteStorageStats } from './stats/SqliteStorageStats.js';
import { SINGLE_PROCESS_LEASES } from './SingleProcessLeases.js';

/**
 * The embedded default: every store on one SQLite file in the data dir (`metadata.sqlite`), sharing its one writer
 * and group commit, with the read caches in front of the hot reads (one process owns the file, so every write
 * passes the caches' write signal).
 */
export async function openSqliteBackend(dataDir: string): Promise<MetadataBackend> {
  const sqlite = await SqliteDatabase.open(dataDir);
  return {
    kind: 'sqlite',
    shared: false,
    metadata: withReadCaches(new SqliteMetadataStore(sqlite), sqlite.writeSignal),
    iam: new SqliteIamStore(sqlite),
    jobs: new SqliteJobStore(sqlite),
    lifecycle: new SqliteLifecycleStore(sqlite),
    replication: new SqliteReplicationStore(sqlite),
    changeFeed: new SqliteChangeFeed(sqlite),
    notifications: new SqliteNotificationStore(sqlite),
    metricsConfigurations: new SqliteMetricsConfigurationStore(sqlite),
    auditConfigurations: new SqliteAuditConfigurationStore(sqlite),
    stats: new SqliteStorageStats(sqlite),
    leases: SINGLE_PROCESS_LEASES,
    reportTo(telemetry) {
      sqlite.commits.telemetry = telemetry;
    },
    close: () => sqlite.close(),
  };
}
