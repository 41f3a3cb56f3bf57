import type { ObjectVersion } from '../../core/objects/ObjectVersion.js';
import type { WriteSignal } from './WriteSignal.js';

/** Most lookups remembered; a cache starts over when full. */
const LIMIT = 10_000;

/** What a cache answers when it does not hold the value (a stored `undefined` means "known to be absent"). */
export const MISS: unique symbol = Symbol('cache miss');
export type Miss = typeof MISS;

/**
 * When a load began: the generation then, or undefined when a write was open (what it reads is not remembered).
 * A value is remembered only if no write began between the load and `remember`, so only committed rows are.
 */
export type LoadToken = number | undefined;

/** One object key's remembered lookups: its latest version's (no version id asked), and by version id. */
interface KeyEntries<T> {
  latest: T | Miss;
  byVersionId: Map<string, T> | undefined;
}

/**
 * Lookups of one object key's versions (`getVersion`: every GET and HEAD) or their tags (the authorizer's existing
 * tags, GetObjectTagging), remembered until a write changes them.
 *
 * Safe whoever writes: a write scoped to one object key (WriteSignal.keyedWrites) makes the cache forget that key's
 * entries — every version of it, the latest and by id — as its transaction begins (`forget`, called by the owner's
 * onKeyWrite listener); any other write changes the generation (WriteSignal.writes), and the first lookup after it
 * drops everything. A lookup that found nothing is remembered too. `prepare` freezes what is handed out: it is shared
 * by every reader.
 */
export class ObjectReadCache<T> {
  /** bucket → key → that key's lookups: nested maps, so no string is built and hashed per lookup. */
  private readonly buckets = new Map<string, Map<string, KeyEntries<T>>>();
  private size = 0;
  private generation = -1;

  constructor(
    private readonly signal: Pick<WriteSignal, 'writes' | 'keyedWrites' | 'inWrite'>,
    private readonly prepare: (value: T) => T,
  ) {}

  /** The remembered lookup, or MISS. */
  find(bucket: string, key: string, versionId: string | undefined): T | Miss {
    if (this.signal.inWrite) return MISS;
    const generation = this.signal.writes;
    if (generation !== this.generation) {
      this.clear();
      this.generation = generation;
      return MISS;
    }
    const entries = this.buckets.get(bucket)?.get(key);
    if (entries === undefined) return MISS;
    if (versionId === undefined) return entries.latest;
    const byVersionId = entries.byVersionId;
    if (byVersionId === undefined) return MISS;
    const cached = byVersionId.get(versionId);
    return cached !== undefined || byVersionId.has(versionId) ? (cached as T) : MISS;
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
    const generation = this.signal.writes;
    if (generation !== this.generation) {
      this.clear();
      this.generation = generation;
    }
    if (this.size >= LIMIT) this.clear();
    let keys = this.buckets.get(bucket);
    if (keys === undefined) {
      keys = new Map();
      this.buckets.set(bucket, keys);
    }
    let entries = keys.get(key);
    if (entries === undefined) {
      entries = { latest: MISS, byVersionId: undefined };
      keys.set(key, entries);
    }
    if (versionId === undefined) {
      if (entries.latest === MISS) this.size++;
      entries.latest = prepared;
    } else {
      entries.byVersionId ??= new Map();
      if (!entries.byVersionId.has(versionId)) this.size++;
      entries.byVersionId.set(versionId, prepared);
    }
    return prepared;
  }

  /** Forget every lookup of one key (a write to it has begun). */
  forget(bucket: string, key: string): void {
    const keys = this.buckets.get(bucket);
    const entries = keys?.get(key);
    if (keys === undefined || entries === undefined) return;
    this.size -= (entries.latest === MISS ? 0 : 1) + (entries.byVersionId?.size ?? 0);
    keys.delete(key);
    if (keys.size === 0) this.buckets.delete(bucket);
  }

  private clear(): void {
    this.buckets.clear();
    this.size = 0;
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
