/**
 * Serializes async critical sections per key, in arrival order, within this process (writes of one object key, the
 * parts and completion of one upload). Across nodes the stores order writers themselves: a conditional write's
 * precondition is checked by the store while the write holds the key (VersionWriteOptions.expect).
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
