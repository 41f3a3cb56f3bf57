import type { VersionStore } from '../../ports/VersionStore.js';

/** The part of the metadata store listings read: the two ordered list queries, and a version lookup for markers. */
export type ListingSource = Pick<VersionStore, 'listLatest' | 'listVersions' | 'getVersion'>;
