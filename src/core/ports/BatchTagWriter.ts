import type { ObjectTagSet } from '../tags/TagSet.js';

/** What replacing one version's tags came to: done, no such key/version, or a delete marker (nothing changed). */
export type BatchTagOutcome = 'ok' | 'missing' | 'delete-marker';

/**
 * How a batch job's unit writes its tag changes: synchronously, inside the unit's own transaction
 * (JobStore.commitUnit), with the rules of PutObjectTagging (the latest version when versionId is undefined). It
 * accepts only a validated object TagSet, so no unchecked tags reach the store through a bulk path.
 */
export interface BatchTagWriter {
  replaceTags(bucket: string, key: string, versionId: string | undefined, tags: ObjectTagSet): BatchTagOutcome;
}
