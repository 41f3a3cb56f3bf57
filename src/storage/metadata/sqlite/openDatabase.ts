import { closeSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';

export const METADATA_FILE = 'metadata.sqlite';

/**
 * Open (creating if needed) `<dataDir>/metadata.sqlite` with the settings Tessera relies on, and migrate it.
 * WAL lets reads proceed next to the writer. synchronous=NORMAL: COMMIT writes the WAL without fsync, and GroupCommit
 * (through which every write goes) fsyncs the WAL off the main thread before any write of the batch resolves, so an
 * acknowledged transaction survives a crash or power loss while one fsync serves every commit made meanwhile. The
 * migrations run here are made durable before returning (WAL and directory fsync'd).
 */
export function openDatabase(dataDir: string): Database.Database {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, METADATA_FILE));
  try {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`could not switch ${METADATA_FILE} to WAL mode (got ${String(mode)})`);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // 16 MiB page cache (was 64 MiB, which a batch job filled: ≈ 50 MB more RSS for no measurable speed-up; the OS
    // page cache serves the rest of the file)
    db.pragma('cache_size = -16384');
    db.pragma('temp_store = MEMORY');
    migrate(db, MIGRATIONS);
    syncFile(`${db.name}-wal`); // the migrations (and the WAL's first frames) on disk
    syncFile(dataDir); // the database and WAL files' directory entries
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
