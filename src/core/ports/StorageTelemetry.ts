/** What a store reports of its own work, for the metrics (docs/metrics.md). Calls must be cheap and never throw. */
export interface StorageTelemetry {
  /** A metadata transaction committed, carrying this many writes (the group commit's batch). */
  committed(writes: number): void;
  /** A durability sync of the metadata (the WAL fsync that acknowledges a group of writes) took this long. */
  synced(seconds: number): void;
}
