import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';

export const METADATA_FILE = 'metadata.sqlite';

/**
 * Open (creating if needed) `<dataDir>/metadata.sqlite` with the settings Tessera relies on, and migrate it.
 * WAL lets reads proceed next to the writer; synchronous=FULL makes every COMMIT fsync the WAL, so a committed
 * transaction survives a crash or power loss.
 */
export function openDatabase(dataDir: string): Database.Database {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, METADATA_FILE));
  try {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`could not switch ${METADATA_FILE} to WAL mode (got ${String(mode)})`);
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -65536'); // 64 MiB page cache
    db.pragma('temp_store = MEMORY');
    migrate(db, MIGRATIONS);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
