import type { Database, Statement } from 'better-sqlite3';

interface PendingWrite {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
}

/** Most writes one transaction carries; the rest go into the next one straight away. */
const MAX_BATCH = 1000;

/**
 * Group commit for one better-sqlite3 connection.
 *
 * `run(work)` queues a synchronous unit of work. Everything queued in the same event-loop turn (and whatever arrives
 * before the flush runs) executes in ONE transaction, each unit inside its own SAVEPOINT: a unit that throws is rolled
 * back alone and its promise rejects, the others commit. Promises settle only after COMMIT returned, and with
 * synchronous=FULL that means the WAL was fsync'd: the write is durable.
 *
 * The whole flush (BEGIN … COMMIT) is synchronous, so no transaction is ever open between event-loop turns: reads made
 * directly on the connection always see committed data only.
 */
export class GroupCommit {
  private queue: PendingWrite[] = [];
  private scheduled = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly begin: Statement;
  private readonly commit: Statement;
  private readonly savepoint: Statement;
  private readonly release: Statement;
  private readonly rollbackTo: Statement;

  /** Counters for tests and metrics: transactions committed and writes they carried. */
  readonly stats = { commits: 0, writes: 0, largestBatch: 0 };

  constructor(private readonly db: Database) {
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.savepoint = db.prepare('SAVEPOINT write');
    this.release = db.prepare('RELEASE write');
    this.rollbackTo = db.prepare('ROLLBACK TO write');
  }

  run<T>(work: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('metadata store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Stop accepting writes and wait until every queued one has been committed (or rejected). */
  async close(): Promise<void> {
    this.closed = true;
    if (!this.scheduled && this.queue.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue.length <= MAX_BATCH ? this.queue : this.queue.slice(0, MAX_BATCH);
    this.queue = this.queue.length <= MAX_BATCH ? [] : this.queue.slice(MAX_BATCH);
    if (this.queue.length > 0) this.schedule();

    const outcomes = this.execute(batch);
    for (let i = 0; i < batch.length; i++) {
      const write = batch[i]!;
      const outcome = outcomes[i]!;
      if (outcome.ok) write.resolve(outcome.value);
      else write.reject(outcome.error);
    }
    if (!this.scheduled && this.queue.length === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  private execute(batch: readonly PendingWrite[]): Outcome[] {
    const outcomes: Outcome[] = [];
    try {
      this.begin.run();
      for (const write of batch) {
        this.savepoint.run();
        try {
          const value = write.work();
          this.release.run();
          outcomes.push({ ok: true, value });
        } catch (error) {
          this.rollbackTo.run();
          this.release.run();
          outcomes.push({ ok: false, error });
        }
      }
      this.commit.run();
    } catch (error) {
      // BEGIN, a savepoint step or COMMIT failed (disk full, I/O error…): nothing of this batch is durable.
      try {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
      } catch {
        // The connection already rolled back (SQLite does so itself on some I/O errors).
      }
      return batch.map(() => ({ ok: false, error }));
    }
    this.stats.commits += 1;
    this.stats.writes += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    return outcomes;
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
