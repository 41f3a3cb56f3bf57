/**
 * Serializes async critical sections per key, in arrival order. Tessera runs as one process, so this is enough to
 * make a check-then-commit on one object key (conditional writes) atomic with respect to other writes of that key.
 */
export class KeyedMutex {
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
