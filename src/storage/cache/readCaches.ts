import type { ObjectVersion } from '../../core/objects/ObjectVersion.js';
import type { WriteSignal } from './WriteSignal.js';

/** Most lookups remembered (per kind of lookup in ObjectLookups); a cache starts over when full. */
const LIMIT = 10_000;

/** What a cache answers when it does not hold the value (a stored `undefined` means "known to be absent"). */
export const MISS: unique symbol = Symbol('cache miss');
export type Miss = typeof MISS;

/**
 * When a load began: the generation then, or undefined when a write was open (what it reads is not remembered).
 * A value is remembered only if no write began between the load and `remember`, so only committed rows are.
 */
export type LoadToken = number | undefined;

/**
 * One object key's remembered lookups, every kind of lookup (slot) side by side: at `2 × slot` the latest version's
 * (no version id asked), at `2 × slot + 1` a map by version id. One entry per key, so that a request asking two kinds
 * of lookup of one key (the authorizer's tags, then the GET handler's version) finds the second where it found the
 * first.
 */
type KeyEntries = Array<unknown>;

/**
 * Lookups of object keys' versions (`getVersion`: every GET and HEAD) and their tags (the authorizer's existing tags,
 * GetObjectTagging), remembered until a write changes them. Each kind of lookup is an ObjectReadCache (`slot()`);
 * they share one table of entries by bucket and key.
 *
 * Safe whoever writes: a write scoped to one object key (WriteSignal.keyedWrites) makes the table forget that key's
 * entries — every kind, every version of it, the latest and by id — as its transaction begins (`forget`, called by
 * the owner's onKeyWrite listener); any other write changes the generation (WriteSignal.writes), and the first lookup
 * after it drops everything. A lookup that found nothing is remembered too.
 */
export class ObjectLookups {
  /** bucket → key → that key's lookups: nested maps, so no string is built and hashed per lookup. */
  private readonly buckets = new Map<string, Map<string, KeyEntries>>();
  /** Lookups remembered (a latest one, or one by version id), at most LIMIT per slot. */
  private size = 0;
  private generation = -1;
  private slots = 0;

  constructor(readonly signal: Pick<WriteSignal, 'writes' | 'keyedWrites' | 'inWrite'>) {}

  /** A new kind of lookup in this table; `prepare` freezes what it hands out (shared by every reader). */
  slot<T>(prepare: (value: T) => T): ObjectReadCache<T> {
    // an entry has room for the slots there were when it was made
    if (this.buckets.size > 0) throw new Error('ObjectLookups: every slot is made before the first lookup is remembered');
    return new ObjectReadCache<T>(this, this.slots++, prepare);
  }

  /** A slot's remembered lookup of a key (and version id), or MISS (also when the generation moved: all dropped). */
  find(slot: number, bucket: string, key: string, versionId: string | undefined): unknown {
    if (!this.current()) return MISS;
    const entries = this.buckets.get(bucket)?.get(key);
    if (entries === undefined) return MISS;
    if (versionId === undefined) return entries[2 * slot];
    const byVersionId = entries[2 * slot + 1] as Map<string, unknown> | undefined;
    if (byVersionId === undefined) return MISS;
    const cached = byVersionId.get(versionId);
    return cached !== undefined || byVersionId.has(versionId) ? cached : MISS;
  }

  /** Remember a slot's lookup (after dropping everything if the generation moved or the table is full). */
  store(slot: number, bucket: string, key: string, versionId: string | undefined, value: unknown): void {
    this.current();
    if (this.size >= LIMIT * this.slots) this.clear();
    let keys = this.buckets.get(bucket);
    if (keys === undefined) {
      keys = new Map();
      this.buckets.set(bucket, keys);
    }
    let entries = keys.get(key);
    if (entries === undefined) {
      // built by push: a packed array, not one with holes
      entries = [];
      for (let i = 0; i < this.slots; i++) entries.push(MISS, undefined);
      keys.set(key, entries);
    }
    if (versionId === undefined) {
      if (entries[2 * slot] === MISS) this.size++;
      entries[2 * slot] = value;
      return;
    }
    let byVersionId = entries[2 * slot + 1] as Map<string, unknown> | undefined;
    if (byVersionId === undefined) {
      byVersionId = new Map();
      entries[2 * slot + 1] = byVersionId;
    }
    if (!byVersionId.has(versionId)) this.size++;
    byVersionId.set(versionId, value);
  }

  /** Forget every lookup of one key (a write to it has begun). */
  forget(bucket: string, key: string): void {
    const keys = this.buckets.get(bucket);
    const entries = keys?.get(key);
    if (keys === undefined || entries === undefined) return;
    for (let i = 0; i < entries.length; i += 2) {
      if (entries[i] !== MISS) this.size--;
      this.size -= (entries[i + 1] as Map<string, unknown> | undefined)?.size ?? 0;
    }
    keys.delete(key);
    if (keys.size === 0) this.buckets.delete(bucket);
  }

  /** Whether what is held is of the current generation; if not, drops it and follows the generation. */
  private current(): boolean {
    const generation = this.signal.writes;
    if (generation === this.generation) return true;
    this.clear();
    this.generation = generation;
    return false;
  }

  private clear(): void {
    this.buckets.clear();
    this.size = 0;
  }
}

/** One kind of lookup of an ObjectLookups table (its slot). */
export class ObjectReadCache<T> {
  private readonly signal: Pick<WriteSignal, 'writes' | 'keyedWrites' | 'inWrite'>;

  constructor(
    private readonly table: ObjectLookups,
    private readonly slot: number,
    private readonly prepare: (value: T) => T,
  ) {
    this.signal = table.signal;
  }

  /** The remembered lookup, or MISS. */
  find(bucket: string, key: string, versionId: string | undefined): T | Miss {
    if (this.signal.inWrite) return MISS;
    return this.table.find(this.slot, bucket, key, versionId) as T | Miss;
  }

  /** Take a token before loading: it changes with every write, scoped or not. */
  token(): LoadToken {
    // both counters only grow, so their sum changes whenever either does
    return this.signal.inWrite ? undefined : this.signal.writes + this.signal.keyedWrites;
  }

  /** Remember a loaded lookup (prepared) if nothing was written since its token; returns the prepared value. */
  remember(bucket: string, key: string, versionId: string | undefined, value: T, token: LoadToken): T {
    const prepared = this.prepare(value);
    if (token === undefined || this.signal.inWrite || token !== this.signal.writes + this.signal.keyedWrites) return prepared;
    this.table.store(this.slot, bucket, key, versionId, prepared);
    return prepared;
  }
}

/**
 * A small read cache of anything read from a store, dropped when the given generation changes (`prepare` freezes
 * what will be shared). Used for the bucket's policy and ACL (read by the authorizer on every request; key-scoped
 * object writes leave it alone), and for access keys and accounts (on the identity generation).
 */
export class GenerationCache<T> {
  private readonly entries = new Map<string, T>();
  private generation = -1;

  constructor(
    private readonly currentGeneration: () => number,
    private readonly inWrite: () => boolean,
    private readonly prepare: (value: T) => T,
  ) {}

  find(id: string): T | Miss {
    if (this.inWrite()) return MISS;
    const generation = this.currentGeneration();
    if (generation !== this.generation) {
      this.entries.clear();
      this.generation = generation;
      return MISS;
    }
    return this.entries.has(id) ? (this.entries.get(id) as T) : MISS;
  }

  token(): LoadToken {
    return this.inWrite() ? undefined : this.currentGeneration();
  }

  /** Remember a loaded value (prepared) if nothing was written since its token; returns the prepared value. */
  remember(id: string, value: T, token: LoadToken): T {
    const prepared = this.prepare(value);
    if (token === undefined || this.inWrite() || token !== this.currentGeneration()) return prepared;
    if (token !== this.generation) {
      this.entries.clear();
      this.generation = token;
    }
    if (this.entries.size >= LIMIT) this.entries.clear();
    this.entries.set(id, prepared);
    return prepared;
  }
}

/** Freeze a version read from a store, and what it holds, to share it between readers. */
export function freezeVersion(version: ObjectVersion): ObjectVersion {
  Object.freeze(version.contentHeaders);
  Object.freeze(version.userMetadata);
  if (version.checksum !== undefined) Object.freeze(version.checksum);
  for (const segment of version.segments) Object.freeze(segment);
  Object.freeze(version.segments);
  if (version.partSizes !== undefined) Object.freeze(version.partSizes);
  return Object.freeze(version);
}
