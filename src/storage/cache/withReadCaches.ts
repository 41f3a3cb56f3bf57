import { storeRoles } from '../../core/CoreDeps.js';
import type { MetadataStore } from '../../core/ports/MetadataStore.js';
import { composeMetadataStore } from '../composeMetadataStore.js';
import { CachedAccessStore } from './CachedAccessStore.js';
import { CachedAccountStore } from './CachedAccountStore.js';
import { CachedVersionStore } from './CachedVersionStore.js';
import type { WriteSignal } from './WriteSignal.js';

/**
 * The store with the read caches in front of its hot reads (versions, object tags, bucket policy and ACL, accounts,
 * access keys), each dropped by the store's write signal, and what they hold as the store's MemoryReads. Applied
 * once, in the composition root.
 */
export function withReadCaches(store: MetadataStore, signal: WriteSignal): MetadataStore {
  const versions = new CachedVersionStore(store, signal);
  const access = new CachedAccessStore(store, signal);
  return composeMetadataStore(
    {
      ...storeRoles(store),
      accounts: new CachedAccountStore(store, signal),
      versions,
      access,
    },
    () => store.close(),
    {
      bucketAccess: (name) => access.bucketAccessInMemory(name),
      version: (bucket, key, versionId) => versions.versionInMemory(bucket, key, versionId),
      versionTags: (bucket, key, versionId) => versions.tagsInMemory(bucket, key, versionId),
      tagsOnly: (bucket, key, versionId) => versions.tagsOnlyInMemory(bucket, key, versionId),
    },
  );
}
