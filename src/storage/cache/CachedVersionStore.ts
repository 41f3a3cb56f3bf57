import { compareUtf8 } from '../../core/keys/keyOrder.js';
import type { NewObjectVersion, ObjectVersion } from '../../core/objects/ObjectVersion.js';
import type { TaggedVersion, VersionStore, VersionWriteOptions } from '../../core/ports/VersionStore.js';
import type { Tag } from '../../core/tags/Tag.js';
import { freezeVersion, MISS, ObjectLookups, type ObjectReadCache } from './readCaches.js';
import type { WriteSignal } from './WriteSignal.js';

type FoundTags = { version: ObjectVersion; tags: readonly Tag[] } | undefined;

/** A tag write in flight through this store: the unscoped generation when it began, and the writes to its key since. */
interface TagWrite {
  readonly writes: number;
  keyWrites: number;
}

/** Characters whose UTF-16 order may differ from their UTF-8 order (surrogates, and what sorts after them). */
const NOT_UTF8_ORDERED = /[\uD800-\uFFFF]/;

/**
 * A VersionStore with its hot reads remembered until a write changes them (ObjectReadCache): version lookups (every
 * GET and HEAD) and existing object tags (policy conditions on every request, GetObjectTagging). A write to one
 * object key (WriteSignal.keyedWrites) forgets that key's lookups only, as its transaction begins; any other write
 * forgets everything. Writes go straight through; the very next read after one sees it.
 *
 * A tag write that succeeds leaves its tags remembered as the key's existing tags (what the authorizer asks on the
 * next write to it), when no other write reached the key, and no unscoped write began, between its start and its
 * answer: then the tags it wrote are still the stored ones.
 */
export class CachedVersionStore implements VersionStore {
  /** The three kinds of lookup below, one entry per object key (see ObjectLookups). */
  private readonly lookups: ObjectLookups;
  private readonly versionCache: ObjectReadCache<ObjectVersion | undefined>;
  private readonly tagsCache: ObjectReadCache<FoundTags>;
  private readonly tagsOnlyCache: ObjectReadCache<readonly Tag[] | undefined>;
  /** Tag writes in flight, by `bucket\u0000key`. */
  private readonly tagWrites = new Map<string, Set<TagWrite>>();

  constructor(
    private readonly inner: VersionStore,
    private readonly signal: WriteSignal,
  ) {
    this.lookups = new ObjectLookups(signal);
    this.versionCache = this.lookups.slot<ObjectVersion | undefined>((version) =>
      version === undefined ? undefined : freezeVersion(version),
    );
    this.tagsCache = this.lookups.slot<FoundTags>((found) => {
      if (found === undefined) return undefined;
      for (const tag of found.tags) Object.freeze(tag);
      Object.freeze(found.tags);
      freezeVersion(found.version);
      return Object.freeze(found);
    });
    this.tagsOnlyCache = this.lookups.slot<readonly Tag[] | undefined>((tags) => {
      if (tags === undefined) return undefined;
      for (const tag of tags) Object.freeze(tag);
      return Object.freeze(tags);
    });
    signal.onKeyWrite((bucket, key) => {
      this.lookups.forget(bucket, key);
      if (this.tagWrites.size === 0) return;
      const writes = this.tagWrites.get(`${bucket}\u0000${key}`);
      if (writes !== undefined) for (const write of writes) write.keyWrites++;
    });
  }

  getVersion(bucket: string, key: string, versionId?: string): Promise<ObjectVersion | undefined> {
    const cached = this.versionCache.find(bucket, key, versionId);
    if (cached !== MISS) return Promise.resolve(cached);
    const token = this.versionCache.token();
    return this.inner
      .getVersion(bucket, key, versionId)
      .then((version) => this.versionCache.remember(bucket, key, versionId, version, token));
  }

  async getTags(bucket: string, key: string, versionId?: string): Promise<{ version: ObjectVersion; tags: Tag[] } | undefined> {
    let found = this.tagsCache.find(bucket, key, versionId);
    if (found === MISS) {
      const token = this.tagsCache.token();
      found = this.tagsCache.remember(bucket, key, versionId, await this.inner.getTags(bucket, key, versionId), token);
    }
    return found === undefined ? undefined : { version: found.version, tags: [...found.tags] };
  }

  /** The remembered getVersion answer (shared and frozen), or null when not remembered (MemoryReads). */
  versionInMemory(bucket: string, key: string, versionId: string | undefined): ObjectVersion | undefined | null {
    const cached = this.versionCache.find(bucket, key, versionId);
    return cached === MISS ? null : cached;
  }

  /** The remembered getTags answer (shared and frozen: not a copy), or null when not remembered (MemoryReads). */
  tagsInMemory(bucket: string, key: string, versionId: string | undefined): FoundTags | null {
    const cached = this.tagsCache.find(bucket, key, versionId);
    return cached === MISS ? null : cached;
  }

  /** The remembered getTagsOnly answer (shared and frozen), or null when not remembered (MemoryReads). */
  tagsOnlyInMemory(bucket: string, key: string, versionId: string | undefined): readonly Tag[] | undefined | null {
    const cached = this.tagsOnlyCache.find(bucket, key, versionId);
    return cached === MISS ? null : cached;
  }

  getTagsOnly(bucket: string, key: string, versionId?: string): Promise<readonly Tag[] | undefined> {
    const cached = this.tagsOnlyCache.find(bucket, key, versionId);
    if (cached !== MISS) return Promise.resolve(cached);
    const token = this.tagsOnlyCache.token();
    const tags =
      this.inner.getTagsOnly !== undefined
        ? this.inner.getTagsOnly(bucket, key, versionId)
        : this.inner.getTags(bucket, key, versionId).then((found) => found?.tags);
    return tags.then((loaded) => this.tagsOnlyCache.remember(bucket, key, versionId, loaded, token));
  }

  putVersion(version: NewObjectVersion, options: VersionWriteOptions): Promise<ObjectVersion> {
    return this.inner.putVersion(version, options);
  }

  deleteVersion(bucket: string, key: string, versionId: string): Promise<ObjectVersion | undefined> {
    return this.inner.deleteVersion(bucket, key, versionId);
  }

  listLatest(bucket: string, query: { prefix: string; after?: string; limit: number }): Promise<ObjectVersion[]> {
    return this.inner.listLatest(bucket, query);
  }

  listVersions(
    bucket: string,
    query: { prefix: string; after?: { key: string; afterSeq?: number }; limit: number },
  ): Promise<ObjectVersion[]> {
    return this.inner.listVersions(bucket, query);
  }

  async replaceTags(
    bucket: string,
    key: string,
    versionId: string | undefined,
    tags: readonly Tag[],
  ): Promise<{ status: 'ok'; version: TaggedVersion } | { status: 'missing' } | { status: 'delete-marker'; version: TaggedVersion }> {
    const id = `${bucket}\u0000${key}`;
    const write: TagWrite = { writes: this.signal.writes, keyWrites: 0 };
    let inFlight = this.tagWrites.get(id);
    if (inFlight === undefined) {
      inFlight = new Set();
      this.tagWrites.set(id, inFlight);
    }
    inFlight.add(write);
    try {
      const outcome = await this.inner.replaceTags(bucket, key, versionId, tags);
      // its own write is the one write to the key since it began: what it wrote is what is stored
      if (outcome.status === 'ok' && write.keyWrites === 1 && write.writes === this.signal.writes && !this.signal.inWrite) {
        this.tagsOnlyCache.remember(bucket, key, versionId, storedOrder(tags), this.tagsOnlyCache.token());
      }
      return outcome;
    } finally {
      inFlight.delete(write);
      if (inFlight.size === 0) this.tagWrites.delete(id);
    }
  }
}

/**
 * Fresh copies of the tags in the order a store reads them back: by key, in UTF-8 byte order (SQLite's BINARY). A
 * validated TagSet is usually in that order already and is then not sorted.
 */
function storedOrder(tags: readonly Tag[]): Tag[] {
  const out = new Array<Tag>(tags.length);
  let sorted = true;
  let utf16Ordered = true;
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i] as Tag;
    out[i] = { key: tag.key, value: tag.value };
    if (i > 0 && (tags[i - 1] as Tag).key >= tag.key) sorted = false;
    if (utf16Ordered && NOT_UTF8_ORDERED.test(tag.key)) utf16Ordered = false;
  }
  if (!utf16Ordered) out.sort((a, b) => compareUtf8(a.key, b.key));
  else if (!sorted) out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return out;
}
