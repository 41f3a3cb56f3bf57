import type { Database } from 'better-sqlite3';
import type { Migration } from './migrations/Migration.js';

/**
 * Bring the schema up to date: every migration not yet recorded in `schema_migrations` runs, in order, in its own
 * transaction together with its record. A database written by a newer Tessera (a version above every known one) is
 * refused. Versions increase but may leave a gap while features are built side by side (a branch adds 011 before
 * 010 is merged); a gap filled later is applied then, so a database that ran the branch is not left without it.
 */
export function migrate(db: Database, migrations: readonly Migration[], now: () => number = Date.now): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    applied_at  INTEGER NOT NULL
  ) STRICT`);
  checkOrder(migrations);
  const recorded = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const current = Math.max(0, ...recorded);
  const newest = migrations.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new Error(`metadata schema version ${current} is newer than this build knows (${newest}); refusing to open`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const migration of migrations) {
    if (recorded.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now());
    }).immediate();
    applied.push(migration.version);
  }
  return applied;
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    const previous = i === 0 ? 0 : (migrations[i - 1] as Migration).version;
    if (!Number.isInteger(m.version) || m.version <= previous) {
      throw new Error(`migration ${m.name} has version ${m.version}, expected more than ${previous}`);
    }
  });
}
