/** What the main thread and the checkpoint thread (walCheckpointThread) share: slots of an Int32Array. */
export const CheckpointSlot = {
  /** Commits made by the main connection (the main thread adds one per commit and wakes the thread). */
  Commits: 0,
  /** Set to 1 by the main thread: the thread closes its connection and ends. */
  Stop: 1,
  /** Checkpoints the thread ran. */
  Checkpoints: 2,
  /** Checkpoints that failed (busy): the next commit asks again. */
  Failures: 3,
} as const;

export const CHECKPOINT_SLOTS = 4;

/** The checkpoint thread's workerData. */
export interface CheckpointThreadData {
  readonly path: string;
  readonly state: SharedArrayBuffer;
  readonly intervalMs: number;
}
