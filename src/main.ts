import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import type { TesseraConfig } from './config/config.js';
import { resolveRootCredentials } from './config/rootCredentials.js';
import { storeRoles, type CoreDeps } from './core/CoreDeps.js';
import type { MetadataStore } from './core/ports/MetadataStore.js';
import { IdentityService } from './core/identity/IdentityService.js';
import { createServices, type Services } from './core/Services.js';
import type { Worker } from './ApiModule.js';
import { createControlModule } from './control/ControlModule.js';
import type { RoleDirectory } from './core/identity/RoleDirectory.js';
import { createHttpServer } from './http/server.js';
import { browserFront } from './http/browser/browserFront.js';
import { createIamModule } from './iam/IamModule.js';
import { authenticate } from './s3/auth/authenticate.js';
import { s3Operations } from './s3/operations/registry.js';
import { serveS3 } from './s3/pipeline.js';
import { createAuthorizer } from './s3/policy/createS3Authorizer.js';
import { renderError } from './s3/xml/shapes/Error.js';
import { FsBlobStore } from './storage/blobs/fs/FsBlobStore.js';
import { openBlobStore } from './storage/blobs/openBlobStore.js';
import { TieredBlobStore } from './storage/blobs/tiered/TieredBlobStore.js';
import { DAY_MS } from './core/lifecycle/lifecycleDays.js';
import { LifecycleWorker } from './workers/LifecycleWorker.js';
import { ChangeFeedWorker } from './workers/ChangeFeedWorker.js';
import { FileRemoteDirectory } from './storage/remotes/FileRemoteDirectory.js';
import { RemoteTargets } from './remote/RemoteTargets.js';
import { WebhookSink } from './remote/WebhookSink.js';
import { FileEventTargetDirectory } from './storage/targets/FileEventTargetDirectory.js';
import { join } from 'node:path';
import { observeAll } from './http/RequestObserver.js';
import { ObjectTagLookup } from './observability/objectTags.js';
import { MetricsExporter, METRICS_PATH, METRICS_PATH_ON_S3_PORT } from './observability/metrics/MetricsExporter.js';
import { AuditLog } from './observability/audit/AuditLog.js';
import { openAuditSink } from './observability/audit/AuditSink.js';
import { fileURLToPath } from 'node:url';
import { recoverStorage } from './storage/recovery.js';
import { openMetadataBackend } from './storage/openMetadataBackend.js';
import { BlobReaper } from './workers/BlobReaper.js';

/** The built console (Vite's output): dist/console, beside dist/src. */
const CONSOLE_DIR = fileURLToPath(new URL('../console/', import.meta.url));

export interface RunningTessera {
  /** http://host:port */
  readonly endpoint: string;
  readonly port: number;
  readonly rootCredentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** True when the root credentials were generated on this start (print them once). */
  readonly generatedCredentials: boolean;
  readonly services: Services;
  /** The metadata store behind the services, with its read caches (tests and benchmarks inspect it). */
  readonly metadata: MetadataStore;
  readonly identity: IdentityService;
  /** Where a scrape gets the metrics (http://host:port/path); undefined when TESSERA_METRICS=off. */
  readonly metricsUrl: string | undefined;
  /** Where the metadata is (TESSERA_METADATA_URL). */
  readonly metadataBackend: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

export interface StartOptions {
  readonly logger?: Logger;
  /** Fixed clock for tests. */
  readonly clock?: () => Date;
  /** The IAM roles batch jobs act as, instead of the IAM module's (tests). */
  readonly roles?: RoleDirectory;
}

/** A host as it goes in a URL (IPv6 in brackets). */
function hostOf(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The composition root: configuration → stores → recovery → services → HTTP server → workers. */
export async function startTessera(config: TesseraConfig, options: StartOptions = {}): Promise<RunningTessera> {
  const log = options.logger ?? pino({ level: config.logLevel });
  const clock = options.clock ?? (() => new Date());
  mkdirSync(config.dataDir, { recursive: true });
  const { credentials, generated } = resolveRootCredentials(config.dataDir, {
    accessKeyId: config.rootAccessKeyId,
    secretAccessKey: config.rootSecretAccessKey,
  });

  const backend = await openMetadataBackend(config);
  const metadata = backend.metadata;
  const blobs = new TieredBlobStore(
    await openBlobStore(config),
    await FsBlobStore.open({ dataDir: config.tierDir ?? join(config.dataDir, 'tier') }),
  );
  // other nodes may be writing right now: leave their staged blobs (younger than 15 minutes) alone
  await recoverStorage(metadata, blobs, log, backend.shared ? { stagedBefore: new Date(clock().getTime() - 15 * 60_000) } : {});

  const deps: CoreDeps = {
    ...storeRoles(metadata),
    blobs,
    settings: { region: config.region },
    clock,
  };
  const lifecycleStore = backend.lifecycle;
  const dayMs = config.lifecycleDaySeconds === undefined ? DAY_MS : config.lifecycleDaySeconds * 1000;
  const replication = {
    store: backend.replication,
    feed: backend.changeFeed,
    targets: new RemoteTargets(new FileRemoteDirectory(config.dataDir)),
  };
  const notifications = {
    store: backend.notifications,
    targets: new FileEventTargetDirectory(config.dataDir),
    sink: new WebhookSink(),
  };
  const services = createServices(deps, {
    lifecycle: { store: lifecycleStore, tiering: blobs, dayMs },
    replication,
    notifications,
    metrics: { store: backend.metricsConfigurations },
    audit: backend.auditConfigurations,
    stats: backend.stats,
  });
  await services.stats.setTrackedTagKeys(config.metricsTagKeys ?? []);
  const rootAccount = await IdentityService.ensureRootAccount(metadata, config.accountId, config.rootDisplayName, clock());
  const identity = new IdentityService(metadata, { account: rootAccount, credentials });
  const reaper = new BlobReaper({ metadata, blobs, log });
  reaper.start();

  const authSettings = { region: config.region, maxClockSkewMs: 15 * 60 * 1000 };
  const moduleDeps = { config, services, metadata, backend, identity, authenticate, authSettings, log, clock };
  const iamModule = createIamModule(moduleDeps);
  const controlModule = createControlModule(moduleDeps, options.roles ?? iamModule.roles, iamModule.identityPolicies);
  const authorizer = createAuthorizer({ metadata, log }, iamModule.identityPolicies);
  const lifecycle = new LifecycleWorker({
    lifecycle: services.lifecycle,
    log: log.child({ worker: 'lifecycle' }),
    lease: () => backend.leases.hold('lifecycle'),
  });
  const replicationWorker = new ChangeFeedWorker({
    consumer: services.replication,
    log: log.child({ worker: 'replication' }),
    lease: () => backend.leases.hold('replication'),
  });
  const notificationWorker = new ChangeFeedWorker({
    consumer: services.notifications,
    log: log.child({ worker: 'notifications' }),
    lease: () => backend.leases.hold('notifications'),
  });
  const workers: Worker[] = [...controlModule.workers, lifecycle, replicationWorker, notificationWorker];

  const tagLookup = new ObjectTagLookup(services.tags);
  const exporter =
    config.metrics === undefined
      ? undefined
      : new MetricsExporter({
          configurations: services.metrics,
          currentBucket: (name) => services.buckets.get(name),
          tags: tagLookup,
          storage: {
            buckets: () => services.stats.bucketStats(),
            tags: () => services.stats.trackedTagStats(),
            jobs: () => controlModule.jobSummary(),
            feed: replication.feed,
            lifecycleBuckets: () => lifecycleStore.bucketsWithLifecycle(),
            lastPass: async (bucket) => (await lifecycleStore.listPasses(bucket, 1))[0],
          },
          token: config.metrics.token,
        });
  if (exporter !== undefined) backend.reportTo(exporter.storage.telemetry);
  const metricsServer = config.metrics?.address === undefined ? undefined : await exporter?.listen(config.metrics.address.host, config.metrics.address.port);
  const audit =
    config.auditLog === undefined
      ? undefined
      : new AuditLog({ sink: await openAuditSink(config.auditLog), audit: services.audit, tags: tagLookup, region: config.region, log });
  const observer = observeAll([...(exporter === undefined ? [] : [exporter.observer]), ...(audit === undefined ? [] : [audit])]);
  const metricsOnS3Port = exporter !== undefined && metricsServer === undefined ? exporter : undefined;

  const server = createHttpServer(
    { domain: config.domain },
    {
      s3: (req, res) =>
        serveS3(req, res, {
          operations: s3Operations,
          services,
          authenticate,
          credentials: identity,
          authSettings,
          authorizer,
          log,
          clock,
          observer,
        }),
      's3-control': controlModule.control,
      iam: iamModule.iam,
      sts: iamModule.sts,
    },
    log,
    renderError,
    {
      observer,
      fronts: [
        browserFront({ console: config.console !== false, consoleDir: CONSOLE_DIR, domain: config.domain, renderError }),
        ...(metricsOnS3Port === undefined ? [] : [metricsOnS3Port.frontDoor(config.domain)]),
      ],
    },
  );
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(config.port, config.host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  for (const worker of workers) worker.start();
  const port = (server.address() as AddressInfo).port;
  const host = hostOf(config.host);

  return {
    endpoint: `http://${host}:${port}`,
    port,
    rootCredentials: credentials,
    generatedCredentials: generated,
    services,
    metadata,
    identity,
    metadataBackend: backend.kind,
    metricsUrl:
      exporter === undefined
        ? undefined
        : metricsServer === undefined
          ? `http://${host}:${port}${METRICS_PATH_ON_S3_PORT}`
          : `http://${hostOf(config.metrics?.address?.host ?? '')}:${(metricsServer.address() as AddressInfo).port}${METRICS_PATH}`,
    async close() {
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      if (metricsServer !== undefined) await new Promise<void>((done) => metricsServer.close(() => done()));
      metricsServer?.closeAllConnections();
      for (const worker of workers) await worker.stop();
      await audit?.close();
      await reaper.stop();
      await backend.leases.releaseAll();
      await backend.close();
      await blobs.close();
    },
  };
}
