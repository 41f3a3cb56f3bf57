import { randomUUID } from 'node:crypto';
import type { WorkLeases } from '../../../../core/ports/WorkLeases.js';
import type { PostgresDatabase } from '../PostgresDatabase.js';

/** Take the lease when free, expired or already ours; the row comes back only when we hold it afterwards. */
const HOLD = `
INSERT INTO worker_leases (name, holder, until_ms) VALUES ($1, $2, $3)
ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, until_ms = EXCLUDED.until_ms
  WHERE worker_leases.holder = EXCLUDED.holder OR worker_leases.until_ms < $4
RETURNING holder`;

/**
 * Worker leases in the `worker_leases` table (migration 005): one row per worker name, held by one node (a random id
 * per process) until a time. A holder renews when half the TTL has passed, so a busy worker asks the database about
 * twice per TTL, not on every round; a node refused asks again only after a quarter of the TTL (its workers poll
 * every few ms), so it takes over within 1¼ TTL of the holder's last renewal. Clocks of the nodes must agree to well
 * within the TTL (the lease compares this node's clock with the time another node wrote).
 */
export class PostgresWorkLeases implements WorkLeases {
  readonly holder = randomUUID();
  /** name → until when this node holds it (its own clock). */
  private readonly held = new Map<string, number>();
  /** name → when this node, refused, may ask again. */
  private readonly refused = new Map<string, number>();

  constructor(
    private readonly database: PostgresDatabase,
    private readonly ttlMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async hold(name: string): Promise<boolean> {
    const now = this.now();
    const until = this.held.get(name);
    if (until !== undefined && now < until - this.ttlMs / 2) return true;
    if (until === undefined && now < (this.refused.get(name) ?? 0)) return false;
    const taken = await this.database.query(HOLD, [name, this.holder, now + this.ttlMs, now], 'lease-hold');
    if (taken.rowCount === 1) {
      this.held.set(name, now + this.ttlMs);
      this.refused.delete(name);
      return true;
    }
    this.held.delete(name);
    this.refused.set(name, now + this.ttlMs / 4);
    return false;
  }

  async releaseAll(): Promise<void> {
    this.held.clear();
    this.refused.clear();
    await this.database.query('DELETE FROM worker_leases WHERE holder = $1', [this.holder]);
  }
}
