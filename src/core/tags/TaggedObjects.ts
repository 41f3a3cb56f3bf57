import type { LifecycleStore } from '../ports/LifecycleStore.js';
import type { Tag } from './Tag.js';

/** One current object that carries the tag asked for. */
export interface TaggedObject {
  readonly key: string;
  readonly versionId: string;
  readonly size: number;
  readonly lastModified: Date;
  readonly storageClass: string;
  readonly tags: readonly Tag[];
}

export interface TaggedPage {
  readonly objects: readonly TaggedObject[];
  /** Where the next page starts (an opaque position); undefined when there is none. */
  readonly next?: string;
}

/**
 * The current objects of a bucket that carry a tag, through the tag index (its cost follows the tagged versions, not
 * the bucket). A key whose tagged version is not its latest, or whose latest is a delete marker, is left out.
 * Objects come in the index's order, not key order.
 */
export class TaggedObjects {
  constructor(private readonly store: Pick<LifecycleStore, 'scanTagged'>) {}

  async list(bucket: string, query: { tag: Tag; prefix: string; after?: string; maxKeys: number }): Promise<TaggedPage> {
    const objects: TaggedObject[] = [];
    let after = query.after;
    for (;;) {
      const page = await this.store.scanTagged(bucket, {
        tag: query.tag,
        prefix: query.prefix,
        limit: query.maxKeys - objects.length,
        ...(after !== undefined ? { after } : {}),
      });
      for (const item of page.items) {
        const latest = item.versions[0];
        if (latest === undefined || !latest.isLatest || latest.isDeleteMarker) continue;
        if (item.found !== undefined && !item.found.includes(latest.versionId)) continue;
        if (!latest.tags.some((t) => t.key === query.tag.key && t.value === query.tag.value)) continue;
        objects.push({ key: item.key, versionId: latest.versionId, size: latest.size, lastModified: latest.lastModified, storageClass: latest.storageClass, tags: latest.tags });
      }
      after = page.next;
      if (after === undefined) return { objects };
      if (objects.length >= query.maxKeys) return { objects, next: after };
    }
  }
}
