import pg from 'pg';
import type { StorageTelemetry } from '../../../core/ports/StorageTelemetry.js';
import { migrate } from './migrate.js';
import { POSTGRES_MIGRATIONS } from './migrations/index.js';

/** What a store's transaction body gets: the one client the transaction runs on. */
export interface Tx {
  /** A parameterized statement; `name` makes it a prepared statement (prepared once per pooled connection). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: readonly unknown[], name?: string): Promise<pg.QueryResult<R>>;
}

export interface TransactionOptions {
  /** SERIALIZABLE instead of the default READ COMMITTED (rare writes that read and decide: IAM, jobs, configurations). */
  readonly serializable?: boolean;
  /** Read-only (REPEATABLE READ READ ONLY: several reads that must agree, one snapshot). */
  readonly readOnly?: boolean;
  /** Also retry when this says so (a unique index used as an arbiter between racing writers). */
  readonly retryOn?: (error: unknown) => boolean;
}

/** SQLSTATEs after which the whole transaction is run again: serialization failure, deadlock. */
const RETRY_CODES = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 30;

export function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** A unique-violation of the named constraint or index (23505). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (sqlState(error) !== '23505') return false;
  return constraint === undefined || (error as { constraint?: string }).constraint === constraint;
}

// BIGINT columns come back as numbers (every count and time Tessera keeps is far below 2^53), NUMERIC stays text.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

/**
 * The one PostgreSQL pool, opened once (in the composition root) from TESSERA_METADATA_URL and handed to every
 * PostgreSQL store. Reads run as single statements (`query`); every write is one `transaction`, run again from the
 * start after a serialization failure or deadlock, so a store writes its body as if it ran alone. Many Tessera nodes
 * may share one database: nothing here is kept in process memory that another node could change. See
 * docs/scale-out.md.
 */
export class PostgresDatabase {
  /** Where commits are reported (the metrics); set by the composition root. */
  telemetry: StorageTelemetry | undefined;
  private closed = false;

  private constructor(readonly pool: pg.Pool) {}

  /** Connect to `url` (postgres://…), create the schema or bring it up to date, and keep a pool of `max` connections. */
  static async open(url: string, options: { readonly max?: number; readonly applicationName?: string } = {}): Promise<PostgresDatabase> {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 16,
      application_name: options.applicationName ?? 'tessera',
      idleTimeoutMillis: 30_000,
    });
    // an idle client's error (the server went away) must not crash the process: the next query reports it
    pool.on('error', () => undefined);
    const database = new PostgresDatabase(pool);
    try {
      await migrate(database, POSTGRES_MIGRATIONS);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return database;
  }

  /**
   * One statement, on any pooled connection (its own snapshot, committed on its own). A statement that failed with a
   * serialization failure or deadlock had no effect, so it is sent again (a one-statement write can deadlock with a
   * transaction holding table locks, such as a change of the tracked tag keys).
   */
  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: readonly unknown[], name?: string): Promise<pg.QueryResult<R>> {
    const config = name === undefined ? { text, values: values as unknown[] } : { name, text, values: values as unknown[] };
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.pool.query<R>(config);
      } catch (error) {
        if (!RETRY_CODES.has(sqlState(error) ?? '') || attempt >= MAX_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
      }
    }
  }

  /** A write made as one statement outside `transaction` committed (the metrics count it as a commit of one write). */
  committedStatement(): void {
    this.telemetry?.committed(1);
  }

  /**
   * Run `work` in one transaction and commit; after a serialization failure or deadlock (or what `retryOn` accepts)
   * roll back and run it again, up to 30 times. `work` must have no effect outside the transaction except what is
   * safe to repeat.
   */
  async transaction<T>(work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const begin = options.readOnly
      ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY'
      : options.serializable
        ? 'BEGIN ISOLATION LEVEL SERIALIZABLE'
        : 'BEGIN';
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken = false;
      try {
        await client.query(begin);
        const tx: Tx = {
          query: (text, values, name) =>
            client.query(name === undefined ? { text, values: values as unknown[] } : { name, text, values: values as unknown[] }),
        };
        const result = await work(tx);
        await client.query('COMMIT');
        this.telemetry?.committed(1);
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        const retry = RETRY_CODES.has(sqlState(error) ?? '') || options.retryOn?.(error) === true;
        if (!retry || attempt >= MAX_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
      } finally {
        client.release(broken);
      }
    }
  }

  /** Close the pool. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
