import type { Logger } from 'pino';
import type { ReplicationService } from '../core/replication/ReplicationService.js';

export interface ReplicationWorkerOptions {
  readonly replication: ReplicationService;
  readonly log: Logger;
  /** How often the change feeds are looked at (default 100 ms: an empty look is one indexed read per bucket). */
  readonly intervalMs?: number;
  /** Changes delivered per bucket per round. */
  readonly batch?: number;
}

/**
 * Delivers the changes of replicated buckets (ReplicationService.deliver), bucket by bucket, in rounds. Its cursor is
 * in the store, moved in the same transaction as what each delivery records, so a crash at any point repeats at most
 * the delivery in flight — which the destination takes once (the replica keeps the source's version id).
 */
export class ReplicationWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: ReplicationWorkerOptions) {}

  start(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = setInterval(() => this.kick(), this.options.intervalMs ?? 100);
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
    const { replication, log } = this.options;
    try {
      for (const bucket of await replication.replicatedBuckets()) {
        if (this.stopped) return;
        try {
          // keep going while a bucket has full batches waiting
          while (!this.stopped && (await replication.deliver(bucket, this.options.batch ?? 100)) === (this.options.batch ?? 100));
        } catch (err) {
          log.error({ err, bucket }, 'replication round failed');
        }
      }
    } catch (err) {
      log.error({ err }, 'replication round failed');
    }
  }
}
