import { Worker } from 'node:worker_threads';
import { CHECKPOINT_SLOTS, CheckpointSlot, type CheckpointThreadData } from './walCheckpointShared.js';

/** Most checkpoints a second the thread runs (each fsyncs the WAL and the database file). */
const DEFAULT_INTERVAL_MS = 100;

/**
 * Checkpoints the metadata file's WAL on a thread of its own (walCheckpointThread.ts), so the main thread never does
 * it. Left to SQLite, the connection whose COMMIT takes the WAL past 1,000 pages copies them into the database file
 * and fsyncs it inside that COMMIT: a batch job unit paid 25-30 ms for it every other unit, and any request could
 * meet such a pause. The main connection keeps a much higher auto-checkpoint threshold as a backstop
 * (openDatabase), reached only if this thread falls far behind.
 *
 * Nothing about durability changes: a transaction is durable once its WAL frames are fsync'd (GroupCommit), and a
 * checkpoint only copies committed frames; SQLite's locks let it run beside the writer and the readers.
 */
export class WalCheckpointer {
  private readonly state = new Int32Array(new SharedArrayBuffer(CHECKPOINT_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  private readonly thread: Worker;
  private readonly exited: Promise<void>;

  constructor(path: string, intervalMs = DEFAULT_INTERVAL_MS) {
    const data: CheckpointThreadData = { path, state: this.state.buffer, intervalMs };
    this.thread = new Worker(new URL('./walCheckpointThread.js', import.meta.url), { workerData: data });
    this.thread.unref(); // never what keeps the process alive
    this.exited = new Promise((resolve) => this.thread.once('exit', () => resolve()));
    // a thread that fails leaves checkpoints to the main connection's backstop
    this.thread.on('error', () => undefined);
  }

  /** The main connection committed: wake the thread (cheap: two atomic operations). */
  committed(): void {
    Atomics.add(this.state, CheckpointSlot.Commits, 1);
    Atomics.notify(this.state, CheckpointSlot.Commits);
  }

  /** Checkpoints run and failed so far (tests, metrics). */
  get stats(): { readonly checkpoints: number; readonly failures: number } {
    return { checkpoints: Atomics.load(this.state, CheckpointSlot.Checkpoints), failures: Atomics.load(this.state, CheckpointSlot.Failures) };
  }

  /** Stop the thread and wait until its connection is closed (before the main connection closes, which checkpoints). */
  async close(): Promise<void> {
    Atomics.store(this.state, CheckpointSlot.Stop, 1);
    Atomics.notify(this.state, CheckpointSlot.Stop);
    Atomics.notify(this.state, CheckpointSlot.Commits);
    this.thread.ref(); // its exit is what this waits for
    await this.exited;
  }
}
