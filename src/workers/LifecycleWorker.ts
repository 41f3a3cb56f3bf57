import type { Logger } from 'pino';
import type { LifecycleService } from '../core/lifecycle/LifecycleService.js';
import { nextRoundAt } from '../core/lifecycle/lifecycleDays.js';

export interface LifecycleWorkerOptions {
  readonly lifecycle: LifecycleService;
  readonly log: Logger;
  /** Whether this node runs the scheduled rounds (WorkLeases.hold): one node of several does. Undefined: always. */
  readonly lease?: () => Promise<boolean>;
}

/**
 * Runs lifecycle passes over every bucket with a configuration: on start (finishing passes a crash interrupted) and
 * then just after every lifecycle midnight (of a real day, midnight UTC; or of TESSERA_LIFECYCLE_DAY_SECONDS), when
 * actions fall due (nextRoundAt). A round still running at a midnight is followed by another at once. The service
 * runs one pass at a time, so these rounds and on-demand passes (`tessera lifecycle run`) queue behind each other.
 */
export class LifecycleWorker {
  private timer: NodeJS.Timeout | undefined;
  private round_: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: LifecycleWorkerOptions) {}

  start(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.schedule();
    void this.round('start');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.round_;
  }

  /** The next scheduled round, just after the next midnight. */
  private schedule(): void {
    if (this.stopped) return;
    const now = Date.now();
    this.timer = setTimeout(() => {
      const running = this.round_;
      void (running === undefined ? this.round('schedule') : running.then(() => (this.stopped ? undefined : this.round('schedule'))));
      this.schedule();
    }, nextRoundAt(now, this.options.lifecycle.dayMs) - now);
    this.timer.unref();
  }

  /** A pass over every bucket with a configuration (a round still running is not started twice). */
  round(trigger: string): Promise<void> {
    this.round_ ??= this.runRound(trigger).finally(() => {
      this.round_ = undefined;
    });
    return this.round_;
  }

  private async runRound(trigger: string): Promise<void> {
    const lifecycle = this.options.lifecycle;
    try {
      if (this.options.lease !== undefined && !(await this.options.lease())) return;
      for (const bucket of await lifecycle.configuredBuckets()) {
        if (this.stopped) return;
        try {
          const pass = await lifecycle.runPass(bucket, { trigger });
          if (pass !== undefined && Object.keys(pass.tally).length > 0) {
            this.options.log.info({ bucket, pass: pass.id, tally: pass.tally, stale: pass.stale }, 'lifecycle pass');
          }
        } catch (err) {
          this.options.log.error({ err, bucket }, 'lifecycle pass failed');
        }
      }
    } catch (err) {
      this.options.log.error({ err }, 'lifecycle round failed');
    }
  }
}
