import type { MetadataStore } from '../../ports/MetadataStore.js';

/** The part of the metadata store listings read: the two ordered list queries, and a version lookup for markers. */
export type ListingSource = Pick<MetadataStore, 'listLatest' | 'listVersions' | 'getVersion'>;
