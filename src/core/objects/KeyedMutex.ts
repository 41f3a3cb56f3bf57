import type { SectionLocks } from '../ports/SectionLocks.js';

/**
 * Serializes async critical sections per key, in arrival order, within this process: enough to make a
 * check-then-commit on one object key (conditional writes) atomic when one process owns the metadata (SQLite); the
 * PostgreSQL backend adds a database lock around it for other nodes.
 */
export class KeyedMutex implements SectionLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, section: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await section();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with a section running or queued (for tests). */
  get size(): number {
    return this.tails.size;
  }
}
