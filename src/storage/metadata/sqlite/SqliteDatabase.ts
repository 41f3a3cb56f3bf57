import type { Database } from 'better-sqlite3';
import type { WriteSignal } from '../../cache/WriteSignal.js';
import { GroupCommit } from './GroupCommit.js';
import { IdentityRevision } from './IdentityRevision.js';
import { openDatabase } from './openDatabase.js';
import { WalCheckpointer } from './WalCheckpointer.js';

/**
 * The main connection's own auto-checkpoint threshold, in pages (SQLite's default is 1,000): a backstop reached only
 * when the checkpoint thread (WalCheckpointer) falls this far behind.
 */
const BACKSTOP_CHECKPOINT_PAGES = 20_000;

/**
 * The one SQLite file and its single writer, opened once (in the composition root) and handed to every store whose
 * tables live in it (SqliteMetadataStore, SqliteIamStore, SqliteJobStore): they run reads on `db` directly and every
 * write through `commits.run(work)` (durable when resolved), so all of them share one group commit. See
 * docs/storage.md.
 */
export class SqliteDatabase {
  readonly commits: GroupCommit;
  /** Bumped by every write to accounts, access keys and the IAM tables (inside the write): see IdentityRevision. */
  readonly identity = new IdentityRevision();
  /** Checkpoints the WAL off the main thread (a file in WAL mode only). */
  readonly checkpointer: WalCheckpointer | undefined;
  private closed = false;

  private constructor(readonly db: Database) {
    this.commits = new GroupCommit(db);
    if (!db.memory && String(db.pragma('journal_mode', { simple: true })) === 'wal') {
      const checkpointer = new WalCheckpointer(db.name);
      db.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
      this.commits.onCommitted = () => checkpointer.committed();
      this.checkpointer = checkpointer;
    }
  }

  /** Open (creating and migrating if needed) `<dataDir>/metadata.sqlite`. */
  static open(dataDir: string): Promise<SqliteDatabase> {
    try {
      return Promise.resolve(new SqliteDatabase(openDatabase(dataDir)));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * What read caches in front of the stores follow (storage/cache/withReadCaches): the group commit's unscoped
   * generation and its key-scoped writes (GroupCommit.run), the identity revision (identity writes) and whether a transaction is open.
   */
  get writeSignal(): WriteSignal {
    const { db, commits, identity } = this;
    return {
      get writes() {
        return commits.unscopedGeneration;
      },
      get keyedWrites() {
        return commits.keyedWrites;
      },
      onKeyWrite(listener) {
        commits.onKeyWrite(listener);
      },
      get identityWrites() {
        return identity.value;
      },
      get inWrite() {
        return db.inTransaction;
      },
    };
  }

  /** Group commit counters (transactions, writes, largest batch), for metrics and tests. */
  get commitStats(): Readonly<GroupCommit['stats']> {
    return this.commits.stats;
  }

  /** `PRAGMA integrity_check`, the foreign key check and tag rows without a version; an empty list means the file is sound. */
  checkIntegrity(): string[] {
    const problems = (this.db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[])
      .map((row) => row.integrity_check)
      .filter((line) => line !== 'ok');
    const orphans = this.db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
    for (const o of orphans) problems.push(`foreign key: ${o.table} row ${o.rowid} has no ${o.parent}`);
    // object_tags has no foreign key (migration 015): its rows must still each have their version.
    const tagOrphans = this.db
      .prepare('SELECT DISTINCT version_row FROM object_tags WHERE version_row NOT IN (SELECT id FROM versions)')
      .pluck()
      .all() as number[];
    for (const row of tagOrphans) problems.push(`object_tags: tags of version row ${row}, which does not exist`);
    return problems;
  }

  /** Wait for queued writes to be durable, then close the file. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.commits.close();
    await this.checkpointer?.close();
    this.db.close();
  }
}
