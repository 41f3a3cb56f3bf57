import type { AuditConfigurationStore } from '../core/ports/AuditConfigurationStore.js';
import type { ChangeFeed } from '../core/ports/ChangeFeed.js';
import type { IamStore } from '../core/ports/IamStore.js';
import type { JobStore } from '../core/ports/JobStore.js';
import type { LifecycleStore } from '../core/ports/LifecycleStore.js';
import type { MetadataStore } from '../core/ports/MetadataStore.js';
import type { MetricsConfigurationStore } from '../core/ports/MetricsConfigurationStore.js';
import type { NotificationStore } from '../core/ports/NotificationStore.js';
import type { ReplicationStore } from '../core/ports/ReplicationStore.js';
import type { StorageStatsStore } from '../core/ports/StorageStatsStore.js';
import type { StorageTelemetry } from '../core/ports/StorageTelemetry.js';
import type { WorkLeases } from '../core/ports/WorkLeases.js';

/**
 * Every store port of one metadata backend, opened together on one database: SQLite in the data dir (the default,
 * storage/metadata/sqlite/openSqliteBackend) or PostgreSQL at TESSERA_METADATA_URL
 * (storage/metadata/postgres/openPostgresBackend; docs/scale-out.md). The composition root picks one
 * (openMetadataBackend) and hands each service and module the ports it uses; nothing else knows which it is.
 */
export interface MetadataBackend {
  /** Which database: for logs and the bench's labels only — no code path may branch on it. */
  readonly kind: 'sqlite' | 'postgres';
  /** Whether other processes (other Tessera nodes) may write the same metadata and blobs at the same time. */
  readonly shared: boolean;
  /** Accounts, buckets, versions and tags, uploads, the blob ledger, access control (with the backend's read caches). */
  readonly metadata: MetadataStore;
  readonly iam: IamStore;
  readonly jobs: JobStore;
  readonly lifecycle: LifecycleStore;
  readonly replication: ReplicationStore;
  readonly changeFeed: ChangeFeed;
  readonly notifications: NotificationStore;
  readonly metricsConfigurations: MetricsConfigurationStore;
  readonly auditConfigurations: AuditConfigurationStore;
  readonly stats: StorageStatsStore;
  /** Which node runs each one-at-a-time worker (always this one on SQLite). */
  readonly leases: WorkLeases;
  /** Report commit sizes and sync latency to `telemetry` (the metrics) from now on. */
  reportTo(telemetry: StorageTelemetry): void;
  /** Wait for queued writes to be durable, then close. Idempotent. */
  close(): Promise<void>;
}
