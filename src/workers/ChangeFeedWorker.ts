import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { Logger } from 'pino';

/** A consumer of buckets' change feeds (bucket replication, event notifications). */
export interface ChangeConsumer {
  /** The buckets it follows. */
  followedBuckets(): Promise<string[]>;
  /** Handle the bucket's next changes in order, at most `limit`; how many were handled (fewer: caught up or waiting). */
  deliver(bucket: string, limit: number): Promise<number>;
}

export interface ChangeFeedWorkerOptions {
  readonly consumer: ChangeConsumer;
  readonly log: Logger;
  /** How often the feeds are looked at (default 20 ms: an empty look is one indexed read per bucket). */
  readonly intervalMs?: number;
  /** Changes handled per bucket per call. */
  readonly batch?: number;
  /**
   * Above this event-loop utilization (0..1) since the last round, the server is busy serving requests: a round then
   * handles one small batch per bucket (`busyBatch`) and yields, so background delivery takes the spare time and
   * requests keep theirs (default 0.5).
   */
  readonly busyUtilization?: number;
  readonly busyBatch?: number;
  /**
   * Whether this node may deliver now (WorkLeases.hold for the consumer): with several nodes on one database only
   * the lease holder delivers, so a change goes out once. Undefined: always.
   */
  readonly lease?: () => Promise<boolean>;
}

/**
 * Runs a change consumer in rounds, bucket by bucket. The consumer's cursor is in the store, moved in the same
 * transaction as what each delivery records, so a crash at any point repeats at most the delivery in flight (which
 * replication's destination takes once, and which notifications promise at least once).
 */
export class ChangeFeedWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private lastUtilization: EventLoopUtilization = performance.eventLoopUtilization();

  constructor(private readonly options: ChangeFeedWorkerOptions) {}

  start(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = setInterval(() => this.kick(), this.options.intervalMs ?? 20);
    this.timer.unref();
    this.kick();
  }

  kick(): void {
    if (this.stopped || this.running !== undefined) return;
    this.running = this.round().finally(() => {
      this.running = undefined;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async round(): Promise<void> {
    const { consumer, log } = this.options;
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, this.lastUtilization).utilization > (this.options.busyUtilization ?? 0.5);
    this.lastUtilization = now;
    const batch = busy ? (this.options.busyBatch ?? 8) : (this.options.batch ?? 100);
    try {
      if (this.options.lease !== undefined && !(await this.options.lease())) return;
      for (const bucket of await consumer.followedBuckets()) {
        if (this.stopped) return;
        try {
          // idle: keep going while a bucket has full batches waiting; busy: one small batch, then yield
          while (!this.stopped && (await consumer.deliver(bucket, batch)) === batch && !busy);
        } catch (err) {
          log.error({ err, bucket }, 'change delivery failed');
        }
      }
    } catch (err) {
      log.error({ err }, 'change delivery round failed');
    }
  }
}
