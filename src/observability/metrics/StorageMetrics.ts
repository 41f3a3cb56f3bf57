import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ChangeFeed } from '../../core/ports/ChangeFeed.js';
import type { BucketStats, TagStats } from '../../core/ports/StorageStatsStore.js';
import type { JobStatusSummary } from '../../core/ports/JobStore.js';
import type { StorageTelemetry } from '../../core/ports/StorageTelemetry.js';
import { LATENCY_BUCKETS } from './latencyBuckets.js';

/** Where the scrape reads what it reports: each source is a small table or a counter, never a scan of objects. */
export interface StorageSources {
  readonly buckets: () => Promise<readonly BucketStats[]>;
  readonly tags: () => Promise<readonly TagStats[]>;
  readonly jobs: () => Promise<readonly JobStatusSummary[]>;
  /** The change feed, for the replication and notification backlogs of the buckets each consumer follows. */
  readonly feed: Pick<ChangeFeed, 'followed' | 'backlog'>;
  readonly lifecycleBuckets: () => Promise<readonly string[]>;
  /** The newest lifecycle pass of a bucket (running or finished), if any. */
  readonly lastPass: (bucket: string) => Promise<{ readonly startedAt: Date; readonly finishedAt?: Date | undefined } | undefined>;
}

const FEED_CONSUMERS = ['replication', 'notifications'] as const;

/**
 * Storage figures (docs/metrics.md): objects, versions and bytes per bucket; objects and bytes per value of the
 * tracked tag keys; batch jobs by status and their tasks; the replication and notification backlogs; the buckets
 * with lifecycle rules; and the metadata group commit's batch sizes and WAL fsync latency (`telemetry`).
 */
export class StorageMetrics {
  /** Give this to the metadata store: it reports every group commit and fsync here. */
  readonly telemetry: StorageTelemetry;
  /** What several families of one scrape share, read once (cleared by `beginScrape`). */
  private scrape: { backlogs?: Promise<BacklogRow[]>; passes?: Promise<PassRow[]> } = {};

  /** Forget what the last scrape read (called before each scrape). */
  beginScrape(): void {
    this.scrape = {};
  }

  constructor(registry: Registry, sources: StorageSources) {
    const registers = [registry];
    const bucketGauge = (name: string, help: string, pick: (f: BucketStats) => number): Gauge<'bucket'> =>
      new Gauge({
        name: `tessera_bucket_${name}`,
        help,
        labelNames: ['bucket'],
        registers,
        async collect() {
          this.reset();
          for (const f of await sources.buckets()) this.set({ bucket: f.bucket }, pick(f));
        },
      });
    bucketGauge('objects', 'Current objects (latest versions that are not delete markers).', (f) => f.objects);
    bucketGauge('object_bytes', 'Bytes of the current objects.', (f) => f.objectBytes);
    bucketGauge('versions', 'Object versions, current and noncurrent (delete markers apart).', (f) => f.versions);
    bucketGauge('version_bytes', 'Bytes of every object version.', (f) => f.versionBytes);
    bucketGauge('delete_markers', 'Delete markers.', (f) => f.deleteMarkers);
    const tagGauge = (name: string, help: string, pick: (f: TagStats) => number): Gauge<'bucket' | 'tag_key' | 'tag_value'> =>
      new Gauge({
        name: `tessera_tag_${name}`,
        help,
        labelNames: ['bucket', 'tag_key', 'tag_value'],
        registers,
        async collect() {
          this.reset();
          for (const f of await sources.tags()) this.set({ bucket: f.bucket, tag_key: f.key, tag_value: f.value }, pick(f));
        },
      });
    tagGauge('objects', 'Current objects carrying a value of a tag key listed in TESSERA_METRICS_TAG_KEYS.', (f) => f.objects);
    tagGauge('bytes', 'Bytes of the current objects carrying a value of a tag key listed in TESSERA_METRICS_TAG_KEYS.', (f) => f.bytes);
    const jobGauge = (name: string, help: string, pick: (s: JobStatusSummary) => number): Gauge<'status'> =>
      new Gauge({
        name: `tessera_batch_${name}`,
        help,
        labelNames: ['status'],
        registers,
        async collect() {
          this.reset();
          for (const s of await sources.jobs()) this.set({ status: s.status }, pick(s));
        },
      });
    jobGauge('jobs', 'Batch Operations jobs by status.', (s) => s.jobs);
    jobGauge('tasks_succeeded', 'Tasks succeeded by the jobs in each status.', (s) => s.tasksSucceeded);
    jobGauge('tasks_failed', 'Tasks failed by the jobs in each status.', (s) => s.tasksFailed);
    // both backlog families come from one read per scrape
    const backlogs = (): Promise<BacklogRow[]> => (this.scrape.backlogs ??= readBacklogs(sources.feed));
    new Gauge({
      name: 'tessera_change_backlog',
      help: 'Changes a consumer of the change feed (replication, notifications) has yet to handle, by bucket.',
      labelNames: ['consumer', 'bucket'],
      registers,
      async collect() {
        this.reset();
        for (const r of await backlogs()) this.set({ consumer: r.consumer, bucket: r.bucket }, r.count);
      },
    });
    new Gauge({
      name: 'tessera_change_backlog_oldest_seconds',
      help: 'Age of the oldest change a consumer has yet to handle, by bucket (0 when none).',
      labelNames: ['consumer', 'bucket'],
      registers,
      async collect() {
        this.reset();
        for (const r of await backlogs()) this.set({ consumer: r.consumer, bucket: r.bucket }, r.oldestSeconds);
      },
    });
    // the lifecycle families come from one read per scrape too
    const passRows = (): Promise<PassRow[]> => (this.scrape.passes ??= readPasses(sources));
    new Gauge({
      name: 'tessera_lifecycle_buckets',
      help: 'Buckets with lifecycle rules (each gets a pass a day).',
      registers,
      async collect() {
        this.set((await passRows()).length);
      },
    });
    new Gauge({
      name: 'tessera_lifecycle_pass_running',
      help: 'Whether a lifecycle pass over the bucket is under way (1) or not (0): the lifecycle backlog.',
      labelNames: ['bucket'],
      registers,
      async collect() {
        this.reset();
        for (const r of await passRows()) this.set({ bucket: r.bucket }, r.running ? 1 : 0);
      },
    });
    new Gauge({
      name: 'tessera_lifecycle_last_pass_age_seconds',
      help: 'Time since the bucket\'s newest lifecycle pass started (absent before its first pass).',
      labelNames: ['bucket'],
      registers,
      async collect() {
        this.reset();
        for (const r of await passRows()) if (r.ageSeconds !== undefined) this.set({ bucket: r.bucket }, r.ageSeconds);
      },
    });
    const batchSize = new Histogram({
      name: 'tessera_metadata_commit_writes',
      help: 'Writes per metadata transaction (the group commit\'s batch size).',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000],
      registers,
    });
    const fsyncs = new Histogram({
      name: 'tessera_metadata_fsync_seconds',
      help: 'Latency of the WAL fsync that makes a group of metadata writes durable.',
      buckets: [...LATENCY_BUCKETS],
      registers,
    });
    const commits = new Counter({ name: 'tessera_metadata_commits_total', help: 'Metadata transactions committed.', registers });
    this.telemetry = {
      committed(writes) {
        commits.inc();
        batchSize.observe(writes);
      },
      synced(seconds) {
        fsyncs.observe(seconds);
      },
    };
  }
}

interface BacklogRow {
  readonly consumer: string;
  readonly bucket: string;
  readonly count: number;
  readonly oldestSeconds: number;
}

async function readBacklogs(feed: StorageSources['feed']): Promise<BacklogRow[]> {
  const rows: BacklogRow[] = [];
  for (const consumer of FEED_CONSUMERS) {
    for (const bucket of await feed.followed(consumer)) {
      const b = await feed.backlog(consumer, bucket);
      rows.push({ consumer, bucket, count: b.count, oldestSeconds: b.oldest === undefined ? 0 : Math.max(0, (Date.now() - b.oldest.getTime()) / 1000) });
    }
  }
  return rows;
}

interface PassRow {
  readonly bucket: string;
  readonly running: boolean;
  readonly ageSeconds: number | undefined;
}

async function readPasses(sources: StorageSources): Promise<PassRow[]> {
  const rows: PassRow[] = [];
  for (const bucket of await sources.lifecycleBuckets()) {
    const pass = await sources.lastPass(bucket);
    rows.push({
      bucket,
      running: pass !== undefined && pass.finishedAt === undefined,
      ageSeconds: pass === undefined ? undefined : Math.max(0, (Date.now() - pass.startedAt.getTime()) / 1000),
    });
  }
  return rows;
}
