import type { ObjectVersion } from '../../core/objects/ObjectVersion.js';

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

/**
 * Version lookups (`getVersion`: every GET and HEAD) remembered until the next write.
 *
 * Safe whoever writes: every write changes the generation (WriteSignal.writes), and the first lookup after a change
 * drops everything. A lookup that found nothing is remembered too. The versions handed out are frozen: they are
 * shared by every reader.
 */
export class VersionReadCache {
  /** bucket → key → latest version (no version id asked), and bucket → `key\u0000versionId` → that version. */
  private readonly latest = new Map<string, Map<string, ObjectVersion | undefined>>();
  private readonly byVersionId = new Map<string, Map<string, ObjectVersion | undefined>>();
  private size = 0;
  private generation = -1;

  constructor(
    private readonly currentGeneration: () => number,
    private readonly inWrite: () => boolean,
  ) {}

  /** The remembered lookup, or MISS. */
  find(bucket: string, key: string, versionId: string | undefined): ObjectVersion | undefined | Miss {
    if (this.inWrite()) return MISS;
    const generation = this.currentGeneration();
    if (generation !== this.generation) {
      this.clear();
      this.generation = generation;
      return MISS;
    }
    // nested maps rather than one joined key: no string built and hashed per lookup on the common (latest) path
    const entries = (versionId === undefined ? this.latest : this.byVersionId).get(bucket);
    if (entries === undefined) return MISS;
    const id = versionId === undefined ? key : `${key}\u0000${versionId}`;
    const cached = entries.get(id);
    return cached !== undefined || entries.has(id) ? cached : MISS;
  }

  /** Take a token before loading. */
  token(): LoadToken {
    return this.inWrite() ? undefined : this.currentGeneration();
  }

  /** Remember a loaded lookup (frozen in place) if nothing was written since its token; returns it. */
  remember(bucket: string, key: string, versionId: string | undefined, version: ObjectVersion | undefined, token: LoadToken): ObjectVersion | undefined {
    if (token === undefined || this.inWrite() || token !== this.currentGeneration()) return version;
    if (token !== this.generation) {
      this.clear();
      this.generation = token;
    }
    if (this.size >= LIMIT) this.clear();
    const maps = versionId === undefined ? this.latest : this.byVersionId;
    let entries = maps.get(bucket);
    if (entries === undefined) {
      entries = new Map();
      maps.set(bucket, entries);
    }
    const frozen = version === undefined ? undefined : freezeVersion(version);
    entries.set(versionId === undefined ? key : `${key}\u0000${versionId}`, frozen);
    this.size++;
    return frozen;
  }

  private clear(): void {
    this.latest.clear();
    this.byVersionId.clear();
    this.size = 0;
  }
}

/**
 * A small read cache of anything read from a store, dropped when the given generation changes (same rules as
 * VersionReadCache; `prepare` freezes what will be shared). Used for the bucket's policy and ACL and existing object
 * tags (read by the authorizer on every request), and for access keys and accounts (on the identity generation).
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
