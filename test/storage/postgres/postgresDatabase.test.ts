import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PostgresDatabase, isUniqueViolation } from '../../../src/storage/metadata/postgres/PostgresDatabase.js';
import { POSTGRES_MIGRATIONS } from '../../../src/storage/metadata/postgres/migrations/index.js';
import { createTestDatabase } from '../../support/postgresCluster.js';

describe('PostgresDatabase', () => {
  let db: { url: string; dispose(): Promise<void> };
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db.dispose();
  });

  it('migrates a new database once, even when two nodes open it at the same time', async () => {
    const [a, b] = await Promise.all([PostgresDatabase.open(db.url), PostgresDatabase.open(db.url)]);
    try {
      const rows = await a.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(
        rows.rows.map((r) => r.version),
        POSTGRES_MIGRATIONS.map((m) => m.version),
      );
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('runs a transaction again after a serialization failure, and rolls back a failed one', async () => {
    const database = await PostgresDatabase.open(db.url);
    try {
      await database.query("INSERT INTO counters (name, value) VALUES ('t', 0) ON CONFLICT (name) DO UPDATE SET value = 0");
      // 20 serializable read-modify-write transactions at once: conflicts are retried, none is lost
      await Promise.all(
        Array.from({ length: 20 }, () =>
          database.transaction(
            async (tx) => {
              const row = await tx.query<{ value: number }>("SELECT value FROM counters WHERE name = 't'");
              await tx.query("UPDATE counters SET value = $1 WHERE name = 't'", [row.rows[0]!.value + 1]);
            },
            { serializable: true },
          ),
        ),
      );
      const after = await database.query<{ value: number }>("SELECT value FROM counters WHERE name = 't'");
      assert.equal(after.rows[0]!.value, 20);
      await assert.rejects(
        database.transaction(async (tx) => {
          await tx.query("UPDATE counters SET value = 99 WHERE name = 't'");
          await tx.query("INSERT INTO counters (name, value) VALUES ('t', 1)");
        }),
        (error) => isUniqueViolation(error),
      );
      const kept = await database.query<{ value: number }>("SELECT value FROM counters WHERE name = 't'");
      assert.equal(kept.rows[0]!.value, 20);
    } finally {
      await database.close();
    }
  });

  it('refuses a database written by a newer build', async () => {
    const database = await PostgresDatabase.open(db.url);
    await database.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)");
    await database.close();
    await assert.rejects(PostgresDatabase.open(db.url), /newer than this build knows/);
  });
});
