import type { BlobStore } from './ports/BlobStore.js';
import type { MetadataStore } from './ports/MetadataStore.js';

/** Settings the domain needs (no HTTP, no file paths). */
export interface CoreSettings {
  /** The region this server answers as (GetBucketLocation, SigV4 scope). */
  readonly region: string;
}

/** What every core service is built from. The clock is a parameter so tests can fix time. */
export interface CoreDeps {
  readonly metadata: MetadataStore;
  readonly blobs: BlobStore;
  readonly settings: CoreSettings;
  readonly clock: () => Date;
}
