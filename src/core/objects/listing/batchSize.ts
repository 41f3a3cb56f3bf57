/**
 * How many rows to ask the store for at a time. Without a delimiter every row is an entry, so a listing asks for
 * exactly what it still needs (plus one, to know whether more follow). With a delimiter, rows under a common prefix
 * are read only to be skipped, so batches start small, double while they are all useful, and drop back to small
 * when a batch ends inside a common prefix (the next query then jumps past the prefix).
 */
export const SMALL_BATCH = 16;

export class BatchSize {
  private size: number;

  constructor(private readonly rollsUp: boolean) {
    this.size = SMALL_BATCH;
  }

  /** The limit for the next query, given how many more entries the page can use (`wanted` includes the +1). */
  next(wanted: number): number {
    if (!this.rollsUp) return wanted;
    return Math.max(1, Math.min(wanted, this.size));
  }

  /** Tell how the last batch went: whether it ended inside a common prefix that is being skipped. */
  record(endedInsidePrefix: boolean): void {
    this.size = endedInsidePrefix ? SMALL_BATCH : this.size * 2;
  }
}
