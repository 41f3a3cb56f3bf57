import type { PostgresDatabase } from './PostgresDatabase.js';
import type { PostgresMigration } from './migrations/PostgresMigration.js';

/** Any fixed number: the advisory lock that keeps two nodes starting together from migrating at once. */
const MIGRATION_LOCK = 7_242_003_511;

/**
 * Bring the schema up to date: every migration newer than the last one recorded in `schema_migrations` runs in its
 * own transaction together with its record, under an advisory lock (several nodes may start at once). A database
 * written by a newer Tessera (unknown versions) is refused.
 */
export async function migrate(database: PostgresDatabase, migrations: readonly PostgresMigration[], now: () => number = Date.now): Promise<number[]> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
  const client = await database.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version     INTEGER PRIMARY KEY,
      name        TEXT NOT NULL,
      applied_at  BIGINT NOT NULL
    )`);
    const row = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
    const current = row.rows[0]?.version ?? 0;
    const newest = migrations.at(-1)?.version ?? 0;
    if (current > newest) throw new Error(`metadata schema version ${current} is newer than this build knows (${newest}); refusing to open`);
    const applied: number[] = [];
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, now()]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      applied.push(migration.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
