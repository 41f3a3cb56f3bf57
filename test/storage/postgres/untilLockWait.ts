import type { PostgresDatabase } from '../../../src/storage/metadata/postgres/PostgresDatabase.js';

/**
 * Until a connection to this database waits for a lock (a statement a race test started has reached the lock it is
 * meant to wait on). Read through the pool: a transaction's own view of pg_stat_activity does not move.
 */
export async function untilSomeoneWaitsForALock(db: PostgresDatabase): Promise<void> {
  const sql = "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'";
  for (let i = 0; (await db.query<{ n: number }>(sql)).rows[0]!.n === 0; i++) {
    if (i > 500) throw new Error('nobody waits for a lock');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
