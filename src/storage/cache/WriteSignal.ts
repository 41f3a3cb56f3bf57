/**
 * What a read cache in front of a store needs from it: counters that change with every write (inside the write, so
 * the first read after it sees the new value), and whether a write is running right now (a read made inside it may
 * see uncommitted rows and is not remembered). The SQLite store exposes one (SqliteDatabase.writeSignal).
 */
export interface WriteSignal {
  /**
   * Changes with every write transaction begun (committed or not) that carries a write not scoped to one object key
   * (see keyedWrites): every cache drops what it holds.
   */
  readonly writes: number;
  /**
   * Changes with every write begun that is scoped to one object key (its versions, their tags and ACLs) and announced
   * to `onKeyWrite` listeners; `writes` does not move for it. A load overtaken by either is not remembered.
   */
  readonly keyedWrites: number;
  /** Call `listener` with the bucket and key of every key-scoped write, as its transaction begins. */
  onKeyWrite(listener: (bucket: string, key: string) => void): void;
  /**
   * Changes with every write to identity data: accounts, access keys and the IAM tables. Object writes leave it
   * alone, so identity caches survive a PUT-heavy load.
   */
  readonly identityWrites: number;
  /** True while a write transaction is open. */
  readonly inWrite: boolean;
}
