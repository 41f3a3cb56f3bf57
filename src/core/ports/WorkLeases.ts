/**
 * Which node runs a background worker that must run on one node at a time (the change-feed consumers, scheduled
 * lifecycle rounds). With one process per database (SQLite) the answer is always yes; with several nodes on one
 * database (PostgreSQL) a lease row says who holds each worker until when: a node that stops renewing (killed,
 * partitioned) loses it after the TTL and another node takes over from the worker's durable cursor.
 */
export interface WorkLeases {
  /** True when this node holds the lease `name` now (taking it if free or expired, renewing it if held); false otherwise. */
  hold(name: string): Promise<boolean>;
  /** Give up every lease this node holds (a clean stop), so another node takes over at once. */
  releaseAll(): Promise<void>;
}
