import type { Database } from 'better-sqlite3';
import type { ObjectVersion } from '../../../core/objects/ObjectVersion.js';

/** Most lookups remembered; the cache starts over when full. */
const LIMIT = 10_000;

/**
 * Version lookups (`getVersion`: every GET and HEAD) remembered until the next write transaction.
 *
 * Safe whoever writes: every write goes through the group commit, whose `generation` changes with each transaction,
 * and the first lookup after a change drops everything. Only lookups made outside a transaction are remembered, so
 * only committed rows are. A lookup that found nothing is remembered too. The versions handed out are frozen: they
 * are shared by every reader.
 */
export class VersionReadCache {
  /** bucket → key → latest version (no version id asked), and bucket → `key\u0000versionId` → that version. */
  private readonly latest = new Map<string, Map<string, ObjectVersion | undefined>>();
  private readonly byVersionId = new Map<string, Map<string, ObjectVersion | undefined>>();
  private size = 0;
  private generation = -1;

  constructor(
    private readonly db: Database,
    private readonly currentGeneration: () => number,
  ) {}

  get(bucket: string, key: string, versionId: string | undefined, load: () => ObjectVersion | undefined): ObjectVersion | undefined {
    if (this.db.inTransaction) return load();
    const generation = this.currentGeneration();
    if (generation !== this.generation) {
      this.clear();
      this.generation = generation;
    }
    // nested maps rather than one joined key: no string built and hashed per lookup on the common (latest) path
    const maps = versionId === undefined ? this.latest : this.byVersionId;
    const id = versionId === undefined ? key : `${key}\u0000${versionId}`;
    let entries = maps.get(bucket);
    if (entries !== undefined) {
      const cached = entries.get(id);
      if (cached !== undefined || entries.has(id)) return cached;
    }
    const version = load();
    if (this.size >= LIMIT) {
      this.clear();
      entries = undefined;
    }
    if (entries === undefined) {
      entries = new Map();
      maps.set(bucket, entries);
    }
    entries.set(id, version === undefined ? undefined : freezeVersion(version));
    this.size++;
    return version;
  }

  private clear(): void {
    this.latest.clear();
    this.byVersionId.clear();
    this.size = 0;
  }
}

/**
 * A small read cache of anything read from the store, dropped on the next write transaction (same rules as
 * VersionReadCache; `prepare` freezes what will be shared). Used for the bucket's policy and ACL, read by the
 * authorizer on every request.
 */
export class GenerationCache<T> {
  private readonly entries = new Map<string, T>();
  private generation = -1;

  constructor(
    private readonly db: Database,
    private readonly currentGeneration: () => number,
    private readonly prepare: (value: T) => T,
  ) {}

  get(id: string, load: () => T): T {
    if (this.db.inTransaction) return load();
    const generation = this.currentGeneration();
    if (generation !== this.generation) {
      this.entries.clear();
      this.generation = generation;
    }
    if (this.entries.has(id)) return this.entries.get(id) as T;
    const value = this.prepare(load());
    if (this.entries.size >= LIMIT) this.entries.clear();
    this.entries.set(id, value);
    return value;
  }
}

/** Freeze a version read from the store, and what it holds, to share it between readers. */
export function freezeVersion(version: ObjectVersion): ObjectVersion {
  Object.freeze(version.contentHeaders);
  Object.freeze(version.userMetadata);
  if (version.checksum !== undefined) Object.freeze(version.checksum);
  for (const segment of version.segments) Object.freeze(segment);
  Object.freeze(version.segments);
  if (version.partSizes !== undefined) Object.freeze(version.partSizes);
  return Object.freeze(version);
}
