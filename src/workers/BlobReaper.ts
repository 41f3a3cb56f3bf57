import type { BlobStore } from '../core/ports/BlobStore.js';
import type { BlobLedger } from '../core/ports/BlobLedger.js';
import type { StorageLog } from '../core/ports/StorageLog.js';

export interface BlobReaperOptions {
  readonly metadata: BlobLedger;
  readonly blobs: BlobStore;
  readonly log: StorageLog;
  /** Released blobs handled per unit of work. */
  readonly batchSize?: number;
  /** How often to look at the outbox even without a kick (default 1 s; an empty look is one indexed read). */
  readonly intervalMs?: number;
}

/**
 * Deletes the bytes of released blobs: takeReleasedBlobs → blobs.delete → forgetReleasedBlobs, in bounded batches.
 * Deleting before forgetting makes a kill -9 at any point harmless (the next round deletes again; missing files are
 * ignored). `kick()` after writes that release blobs; a periodic, unref'd timer catches the rest.
 */
export class BlobReaper {
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** Blobs deleted since start. */
  reaped = 0;

  constructor(private readonly options: BlobReaperOptions) {
    this.batchSize = options.batchSize ?? 256;
    this.intervalMs = options.intervalMs ?? 1_000;
  }

  start(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = setInterval(() => this.kick(), this.intervalMs);
    this.timer.unref();
    this.kick();
  }

  /** Drain soon. Kicks while a drain runs make it go round once more; they never pile up. */
  kick(): void {
    if (this.stopped) return;
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.running = this.drainLoop().finally(() => {
      this.running = undefined;
    });
  }

  /** Drain until the outbox is empty (or stop() is called); resolves with the number of blobs deleted. */
  async drain(): Promise<number> {
    const before = this.reaped;
    await this.settled();
    if (!this.stopped) {
      this.kick();
      await this.settled();
    }
    return this.reaped - before;
  }

  /** Stop the timer and wait for the batch in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.settled();
  }

  /** Resolves once no drain is running. */
  private async settled(): Promise<void> {
    for (let current = this.running; current !== undefined; current = this.running) await current;
  }

  private async drainLoop(): Promise<void> {
    do {
      this.again = false;
      try {
        while (!this.stopped && (await this.reapBatch()) === this.batchSize) {
          // a full batch: there may be more
        }
      } catch (error) {
        this.options.log.error({ err: error }, 'blob reaper batch failed; will retry');
        return;
      }
    } while (this.again && !this.stopped);
  }

  private async reapBatch(): Promise<number> {
    const { metadata, blobs } = this.options;
    const released = await metadata.takeReleasedBlobs(this.batchSize);
    if (released.length === 0) return 0;
    await blobs.delete(released);
    await metadata.forgetReleasedBlobs(released);
    this.reaped += released.length;
    return released.length;
  }
}
