import { close as closeFd, fsync, openSync } from 'node:fs';
import type { Database, Statement } from 'better-sqlite3';
import type { StorageTelemetry } from '../../../core/ports/StorageTelemetry.js';

/** The one object key a write changes, when it declares it (see GroupCommit.run). */
export interface WrittenKey {
  readonly bucket: string;
  readonly key: string;
}

interface PendingWrite {
  readonly work: () => unknown;
  readonly written: WrittenKey | undefined;
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
 * back alone and its promise rejects, the others commit. Promises settle only once the transaction is durable.
 *
 * Durability. In WAL mode with synchronous=NORMAL (what openDatabase sets), COMMIT writes the transaction's frames to
 * the WAL file without fsync; this class then fsyncs the WAL file itself, on the libuv thread pool, and resolves the
 * batch's promises only when that fsync has returned. Meanwhile the event loop keeps accepting requests; the writes
 * queued while an fsync is in flight are committed together as soon as it returns, in one transaction made durable by
 * the next fsync (at most one in flight): one transaction and one WAL fsync per group of writes, and the main thread
 * never waits for the disk (a write waits for the fsync in flight, then its own — as long as it would anyway). Because the WAL is
 * written in order, a write that resolved also guarantees that every transaction committed before it is durable.
 * With synchronous=FULL (or EXTRA), SQLite fsyncs inside COMMIT and promises settle right after it; an in-memory
 * database has nothing to sync.
 *
 * The whole flush (BEGIN … COMMIT) is synchronous, so no transaction is ever open between event-loop turns: reads made
 * directly on the connection see committed data only (possibly committed but not yet fsync'd: a write whose promise
 * has not resolved yet, like a request still in flight).
 *
 * Every write must go through `run`: a write made directly on the connection under synchronous=NORMAL is durable only
 * once a later group commit's fsync has returned.
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
  private readonly totalChanges: Statement;

  /** The WAL file when COMMIT does not fsync it (WAL + synchronous=NORMAL); undefined when there is nothing to sync. */
  private readonly walPath: string | undefined;
  private walFd: number | undefined;
  /** Batches committed and waiting for the WAL fsync, and whether one is in flight. */
  private awaitingSync: ((syncError?: unknown) => void)[] = [];
  private syncing = false;

  /** Changes with every transaction begun (committed or not). */
  private transactions = 0;
  /** Transactions begun that carry at least one write not scoped to one object key (see `run`). */
  private unscopedTransactions = 0;
  /** Key-scoped writes begun (see `run`). */
  private keyed = 0;
  private readonly keyListeners: ((bucket: string, key: string) => void)[] = [];

  /** Changes with every transaction begun (committed or not). */
  get generation(): number {
    return this.transactions;
  }

  /**
   * Changes with every transaction that carries a write not scoped to one object key and changing rows (counted by
   * SQLite's total_changes(), which includes what triggers change; a poll that finds nothing to do changes none): read
   * caches of anything such a write may change drop what they hold. It moves before the transaction ends.
   */
  get unscopedGeneration(): number {
    return this.unscopedTransactions;
  }

  /** Changes with every key-scoped write begun (committed or not). */
  get keyedWrites(): number {
    return this.keyed;
  }

  /**
   * Call `listener` with the bucket and key of every key-scoped write, when its transaction begins (before its work
   * runs; a rolled-back write has been announced too).
   */
  onKeyWrite(listener: (bucket: string, key: string) => void): void {
    this.keyListeners.push(listener);
  }

  /** Counters for tests and metrics: transactions committed, writes they carried, WAL fsyncs made by this class. */
  readonly stats = { commits: 0, writes: 0, largestBatch: 0, walSyncs: 0 };

  /** Told of every commit and WAL fsync (the metrics), when set. */
  telemetry: StorageTelemetry | undefined;

  /** Called right after every COMMIT (the WAL checkpoint thread is woken: WalCheckpointer), when set. */
  onCommitted: (() => void) | undefined;

  /** The write whose work is running (its number and what runs when it returns); undefined between writes. */
  private current: { readonly id: number; readonly finishers: (() => void)[] } | undefined;
  private writesStarted = 0;

  /**
   * The write whose work is running now (a number no other write has), or undefined outside a write's work. Lets a
   * bulk writer tell that what it queued belongs to an earlier write (one that threw: its queue is void).
   */
  get currentWrite(): number | undefined {
    return this.current?.id;
  }

  /**
   * Called from inside a write's work: run `finish` right after that work returns, still inside the write's
   * savepoint, so what it does commits or rolls back with the write (a throw fails the write). Bulk writers queue rows
   * and apply them here in a few set-based statements, instead of one statement per row. False (and nothing
   * queued) outside a write.
   */
  atEndOfWrite(finish: () => void): boolean {
    if (this.current === undefined) return false;
    this.current.finishers.push(finish);
    return true;
  }

  constructor(private readonly db: Database) {
    const journal = String(db.pragma('journal_mode', { simple: true }));
    const synchronous = Number(db.pragma('synchronous', { simple: true })); // 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA
    // NORMAL only: SQLite still fsyncs at checkpoints, so an fsync'd WAL is all a commit needs. FULL/EXTRA fsync in
    // COMMIT already; OFF never syncs anything (its owner chose no durability).
    this.walPath = !db.memory && journal === 'wal' && synchronous === 1 ? `${db.name}-wal` : undefined;
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.savepoint = db.prepare('SAVEPOINT write');
    this.release = db.prepare('RELEASE write');
    this.rollbackTo = db.prepare('ROLLBACK TO write');
    this.totalChanges = db.prepare('SELECT total_changes()').pluck();
  }

  /**
   * Queue `work`. `written`: the one object key it changes, when that is all it changes that a read cache may hold
   * (the key's versions, their tags and ACLs; rows no read cache holds, such as the change outbox, storage figures or
   * released blobs, do not count). Such a write moves `keyedWrites` and is announced to `onKeyWrite` listeners instead
   * of moving `unscopedGeneration`. A write that does not say is unscoped: every read cache drops what it holds.
   */
  run<T>(work: () => T, written?: WrittenKey): Promise<T> {
    if (this.closed) return Promise.reject(new Error('metadata store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, written, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Stop accepting writes and wait until every queued one has been committed and made durable (or rejected). */
  async close(): Promise<void> {
    this.closed = true;
    if (!this.busy()) {
      this.closeWal();
      return;
    }
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.closeWal();
  }

  private busy(): boolean {
    return this.scheduled || this.queue.length > 0 || this.syncing || this.awaitingSync.length > 0;
  }

  private closeWal(): void {
    const fd = this.walFd;
    this.walFd = undefined;
    if (fd !== undefined) closeFd(fd, () => undefined);
  }

  /** Flush on the next turn, unless a WAL fsync is in flight: then its completion flushes what queued meanwhile. */
  private schedule(): void {
    if (this.scheduled || this.syncing) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue.length <= MAX_BATCH ? this.queue : this.queue.slice(0, MAX_BATCH);
    this.queue = this.queue.length <= MAX_BATCH ? [] : this.queue.slice(MAX_BATCH);

    const { committed, outcomes } = this.execute(batch);
    const settle = (syncError?: unknown): void => {
      for (let i = 0; i < batch.length; i++) {
        const write = batch[i]!;
        const outcome = outcomes[i]!;
        if (syncError !== undefined) write.reject(syncError);
        else if (outcome.ok) write.resolve(outcome.value);
        else write.reject(outcome.error);
      }
    };
    if (!committed || this.walPath === undefined) {
      settle();
    } else {
      this.awaitingSync.push(settle);
      this.syncWal();
    }
    if (this.queue.length > 0) this.schedule();
    this.wakeIdleWaiters();
  }

  /** fsync the WAL for every batch committed so far (one fsync in flight at a time), then settle those batches. */
  private syncWal(): void {
    if (this.syncing || this.awaitingSync.length === 0) return;
    const settlers = this.awaitingSync;
    this.awaitingSync = [];
    let fd: number;
    try {
      fd = this.walFd ??= openSync(this.walPath as string, 'r');
    } catch (error) {
      for (const settle of settlers) settle(error);
      return;
    }
    this.syncing = true;
    const started = performance.now();
    fsync(fd, (error) => {
      this.syncing = false;
      this.stats.walSyncs += 1;
      this.telemetry?.synced((performance.now() - started) / 1000);
      // An fsync error means the batches may not be on disk: their writes fail (they stay visible until a restart).
      for (const settle of settlers) settle(error ?? undefined);
      this.syncWal();
      // the writes that queued during the fsync go into one transaction now (fewer, larger commits)
      if (this.queue.length > 0) this.schedule();
      this.wakeIdleWaiters();
    });
  }

  private wakeIdleWaiters(): void {
    if (this.busy()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  private execute(batch: readonly PendingWrite[]): { committed: boolean; outcomes: Outcome[] } {
    const outcomes: Outcome[] = [];
    this.transactions += 1;
    for (const write of batch) {
      if (write.written === undefined) continue;
      this.keyed += 1;
      for (const listener of this.keyListeners) listener(write.written.bucket, write.written.key);
    }
    // whether an unscoped write changed a row (even one rolled back to its savepoint: counted, to stay simple)
    let unscopedChanges = false;
    try {
      this.begin.run();
      for (const write of batch) {
        this.savepoint.run();
        const current = { id: ++this.writesStarted, finishers: [] as (() => void)[] };
        this.current = current;
        const changesBefore = write.written === undefined && !unscopedChanges ? (this.totalChanges.get() as number) : undefined;
        try {
          const value = write.work();
          for (let i = 0; i < current.finishers.length; i++) current.finishers[i]!();
          this.current = undefined;
          this.release.run();
          outcomes.push({ ok: true, value });
        } catch (error) {
          this.current = undefined;
          this.rollbackTo.run();
          this.release.run();
          outcomes.push({ ok: false, error });
        }
        if (changesBefore !== undefined && this.totalChanges.get() !== changesBefore) unscopedChanges = true;
      }
      if (unscopedChanges) this.unscopedTransactions += 1;
      this.commit.run();
    } catch (error) {
      this.unscopedTransactions += 1; // whatever happened, caches start over
      // BEGIN, a savepoint step or COMMIT failed (disk full, I/O error…): nothing of this batch is durable.
      try {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
      } catch {
        // The connection already rolled back (SQLite does so itself on some I/O errors).
      }
      return { committed: false, outcomes: batch.map(() => ({ ok: false, error })) };
    }
    this.onCommitted?.();
    this.stats.commits += 1;
    this.stats.writes += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    this.telemetry?.committed(batch.length);
    return { committed: true, outcomes };
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
