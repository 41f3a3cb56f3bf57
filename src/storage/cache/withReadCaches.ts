import { storeRoles } from '../../core/CoreDeps.js';
import type { MetadataStore } from '../../core/ports/MetadataStore.js';
import { composeMetadataStore } from '../composeMetadataStore.js';
import { CachedAccessStore } from './CachedAccessStore.js';
import { CachedAccountStore } from './CachedAccountStore.js';
import { CachedVersionStore } from './CachedVersionStore.js';
import type { WriteSignal } from './WriteSignal.js';

/**
 * The store with the read caches in front of its hot reads (versions, object tags, bucket policy and ACL, accounts,
 * access keys), each dropped by the store's write signal. Applied once, in the composition root.
 */
export function withReadCaches(store: MetadataStore, signal: WriteSignal): MetadataStore {
  return composeMetadataStore(
    {
      ...storeRoles(store),
      accounts: new CachedAccountStore(store, signal),
      versions: new CachedVersionStore(store, signal),
      access: new CachedAccessStore(store, signal),
    },
    () => store.close(),
  );
}
