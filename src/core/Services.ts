import type { CoreDeps } from './CoreDeps.js';
import { AccessService } from './access/AccessService.js';
import { BucketService } from './buckets/BucketService.js';
import { ObjectService } from './objects/ObjectService.js';
import { MultipartService } from './objects/MultipartService.js';
import { TagService } from './tags/TagService.js';
import { TaggedObjects } from './tags/TaggedObjects.js';
import { LifecycleService } from './lifecycle/LifecycleService.js';
import type { LifecycleStore } from './ports/LifecycleStore.js';
import type { BlobTiering } from './ports/BlobTiering.js';
import type { ChangeFeed } from './ports/ChangeFeed.js';
import type { ReplicationStore } from './ports/ReplicationStore.js';
import type { ReplicationTargets } from './ports/ReplicationTarget.js';
import { ReplicationService } from './replication/ReplicationService.js';
import { NotificationService } from './notifications/NotificationService.js';
import type { NotificationStore } from './ports/NotificationStore.js';
import { AuditConfigurationService } from './audit/AuditConfigurationService.js';
import type { AuditConfigurationStore } from './ports/AuditConfigurationStore.js';
import type { EventSink, EventTargetDirectory } from './ports/EventTargets.js';
import { MetricsConfigurationService } from './metrics/MetricsConfigurationService.js';
import type { MetricsConfigurationStore } from './ports/MetricsConfigurationStore.js';
import type { StorageStatsStore } from './ports/StorageStatsStore.js';
import { StorageStatsService } from './stats/StorageStatsService.js';

/** The domain services operations call. Built once in the composition root (src/main.ts). */
export interface Services {
  readonly buckets: BucketService;
  readonly objects: ObjectService;
  readonly multipart: MultipartService;
  readonly tags: TagService;
  /** The current objects carrying a tag, through the tag index (the console's tag filter). */
  readonly taggedObjects: TaggedObjects;
  readonly access: AccessService;
  readonly lifecycle: LifecycleService;
  readonly replication: ReplicationService;
  readonly notifications: NotificationService;
  /** Storage figures per bucket and per tracked tag value (`tessera stats`, the metrics exporter). */
  readonly stats: StorageStatsService;
  /** Bucket metrics configurations, and the per-request list the request-metrics exporter matches (docs/metrics.md). */
  readonly metrics: MetricsConfigurationService;
  /** Buckets' audit configurations (Tessera's own; docs/audit-log.md). */
  readonly audit: AuditConfigurationService;
}

/** The stores and adapters each feature adds to the core's dependencies. */
export interface FeatureDeps {
  readonly lifecycle: LifecycleDeps;
  readonly replication: ReplicationDeps;
  readonly notifications: NotificationDeps;
  readonly metrics: MetricsDeps;
  readonly audit: AuditConfigurationStore;
  readonly stats: StorageStatsStore;
}

/** What event notifications add: their store, the registered targets and the sink events go out through. */
export interface NotificationDeps {
  readonly store: NotificationStore;
  readonly targets: EventTargetDirectory;
  readonly sink: EventSink;
}

/** What bucket metrics configurations add: their store. */
export interface MetricsDeps {
  readonly store: MetricsConfigurationStore;
}

/** What bucket replication adds: its store, the change feed it consumes, and where replicas go. */
export interface ReplicationDeps {
  readonly store: ReplicationStore;
  readonly feed: ChangeFeed;
  readonly targets: ReplicationTargets;
}

/** What the lifecycle feature adds to the core's dependencies. */
export interface LifecycleDeps {
  readonly store: LifecycleStore;
  readonly tiering: BlobTiering;
  /** The length of a lifecycle day in milliseconds. */
  readonly dayMs: number;
}

export function createServices(deps: CoreDeps, features: FeatureDeps): Services {
  const { lifecycle, replication, notifications } = features;
  const objects = new ObjectService(deps);
  return {
    buckets: new BucketService(deps),
    objects,
    multipart: new MultipartService(deps),
    tags: new TagService(deps),
    taggedObjects: new TaggedObjects(lifecycle.store),
    access: new AccessService(deps),
    lifecycle: new LifecycleService({
      lifecycle: lifecycle.store,
      tiering: lifecycle.tiering,
      dayMs: lifecycle.dayMs,
      versions: deps.versions,
      buckets: deps.buckets,
      ledger: deps.ledger,
      blobs: deps.blobs,
      clock: deps.clock,
    }),
    replication: new ReplicationService({
      ...replication,
      versions: deps.versions,
      content: (version) => objects.openContent(version),
      clock: deps.clock,
    }),
    notifications: new NotificationService({
      ...notifications,
      feed: replication.feed,
      buckets: deps.buckets,
      region: deps.settings.region,
      clock: deps.clock,
    }),
    metrics: new MetricsConfigurationService(features.metrics),
    audit: new AuditConfigurationService(features.audit),
    stats: new StorageStatsService(features.stats),
  };
}
