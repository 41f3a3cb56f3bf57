import type { AccessStore } from './ports/AccessStore.js';
import type { AccountStore } from './ports/AccountStore.js';
import type { BlobLedger } from './ports/BlobLedger.js';
import type { BlobStore } from './ports/BlobStore.js';
import type { BucketStore } from './ports/BucketStore.js';
import type { MetadataStore } from './ports/MetadataStore.js';
import type { UploadStore } from './ports/UploadStore.js';
import type { VersionStore } from './ports/VersionStore.js';

/** Settings the domain needs (no HTTP, no file paths). */
export interface CoreSettings {
  /** The region this server answers as (GetBucketLocation, SigV4 scope). */
  readonly region: string;
}

/** The metadata store's role ports; each service takes the roles it uses. */
export interface StoreRoles {
  readonly accounts: AccountStore;
  readonly buckets: BucketStore;
  readonly versions: VersionStore;
  readonly uploads: UploadStore;
  readonly ledger: BlobLedger;
  readonly access: AccessStore;
}

/** What every core service is built from. The clock is a parameter so tests can fix time. */
export interface CoreDeps extends StoreRoles {
  readonly blobs: BlobStore;
  readonly settings: CoreSettings;
  readonly clock: () => Date;
}

/** The roles of a store that implements them all. */
export function storeRoles(store: MetadataStore): StoreRoles {
  return { accounts: store, buckets: store, versions: store, uploads: store, ledger: store, access: store };
}
