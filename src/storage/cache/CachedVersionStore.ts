import type { NewObjectVersion, ObjectVersion } from '../../core/objects/ObjectVersion.js';
import type { VersionStore, VersionWriteOptions } from '../../core/ports/VersionStore.js';
import type { Tag } from '../../core/tags/Tag.js';
import { freezeVersion, GenerationCache, MISS, VersionReadCache } from './readCaches.js';
import type { WriteSignal } from './WriteSignal.js';

type FoundTags = { version: ObjectVersion; tags: readonly Tag[] } | undefined;

/**
 * A VersionStore with its hot reads remembered until the next write (WriteSignal.writes): version lookups (every GET
 * and HEAD) and existing object tags (policy conditions on every request, GetObjectTagging). Writes go straight
 * through; the very next read after one sees it.
 */
export class CachedVersionStore implements VersionStore {
  private readonly versionCache: VersionReadCache;
  private readonly tagsCache: GenerationCache<FoundTags>;
  private readonly tagsOnlyCache: GenerationCache<readonly Tag[] | undefined>;

  constructor(
    private readonly inner: VersionStore,
    signal: WriteSignal,
  ) {
    const writes = (): number => signal.writes;
    const inWrite = (): boolean => signal.inWrite;
    this.versionCache = new VersionReadCache(writes, inWrite);
    this.tagsCache = new GenerationCache<FoundTags>(writes, inWrite, (found) => {
      if (found === undefined) return undefined;
      for (const tag of found.tags) Object.freeze(tag);
      Object.freeze(found.tags);
      freezeVersion(found.version);
      return Object.freeze(found);
    });
    this.tagsOnlyCache = new GenerationCache<readonly Tag[] | undefined>(writes, inWrite, (tags) => {
      if (tags === undefined) return undefined;
      for (const tag of tags) Object.freeze(tag);
      return Object.freeze(tags);
    });
  }

  getVersion(bucket: string, key: string, versionId?: string): Promise<ObjectVersion | undefined> {
    const cached = this.versionCache.find(bucket, key, versionId);
    if (cached !== MISS) return Promise.resolve(cached);
    const token = this.versionCache.token();
    return this.inner.getVersion(bucket, key, versionId).then((version) => this.versionCache.remember(bucket, key, versionId, version, token));
  }

  async getTags(bucket: string, key: string, versionId?: string): Promise<{ version: ObjectVersion; tags: Tag[] } | undefined> {
    const id = `${bucket}\u0000${key}\u0000${versionId ?? ''}`;
    let found = this.tagsCache.find(id);
    if (found === MISS) {
      const token = this.tagsCache.token();
      found = this.tagsCache.remember(id, await this.inner.getTags(bucket, key, versionId), token);
    }
    return found === undefined ? undefined : { version: found.version, tags: [...found.tags] };
  }

  getTagsOnly(bucket: string, key: string, versionId?: string): Promise<readonly Tag[] | undefined> {
    const id = `${bucket}\u0000${key}\u0000${versionId ?? ''}`;
    const cached = this.tagsOnlyCache.find(id);
    if (cached !== MISS) return Promise.resolve(cached);
    const token = this.tagsOnlyCache.token();
    const tags =
      this.inner.getTagsOnly !== undefined
        ? this.inner.getTagsOnly(bucket, key, versionId)
        : this.inner.getTags(bucket, key, versionId).then((found) => found?.tags);
    return tags.then((loaded) => this.tagsOnlyCache.remember(id, loaded, token));
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

  replaceTags(
    bucket: string,
    key: string,
    versionId: string | undefined,
    tags: readonly Tag[],
  ): Promise<{ status: 'ok'; version: ObjectVersion } | { status: 'missing' } | { status: 'delete-marker'; version: ObjectVersion }> {
    return this.inner.replaceTags(bucket, key, versionId, tags);
  }
}
