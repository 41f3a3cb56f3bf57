import { DeleteObjectTaggingCommand, GetObjectTaggingCommand, PutObjectTaggingCommand, type S3Client } from '@aws-sdk/client-s3';
import { errorText } from '../aws/errorText.js';
import { rowsOf, tagSetOf, type TagRow } from '../tags/tagRules.js';

export type BulkMode = 'add' | 'replace' | 'remove';

/** The tag set an object gets: add merges (a given key's value wins), replace takes the given set, remove drops the given keys. */
export function nextTags(mode: BulkMode, current: readonly TagRow[], given: readonly TagRow[]): TagRow[] {
  if (mode === 'replace') return [...given];
  if (mode === 'remove') return current.filter((t) => !given.some((g) => g.key === t.key));
  return [...current.filter((t) => !given.some((g) => g.key === t.key)), ...given];
}

/**
 * Apply a tag change to each object, one PutObjectTagging per object (the server checks each set and its message is
 * kept per object). For many objects, a batch job does the same inside the server.
 */
export async function applyBulkTags(s3: S3Client, bucket: string, keys: readonly string[], mode: BulkMode, given: readonly TagRow[]): Promise<Map<string, string | undefined>> {
  const results = new Map<string, string | undefined>();
  for (const key of keys) {
    try {
      const current = mode === 'replace' ? [] : rowsOf((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }))).TagSet);
      const next = nextTags(mode, current, given);
      if (next.length === 0) await s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: key }));
      else await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet: tagSetOf(next) } }));
      results.set(key, undefined);
    } catch (err) {
      results.set(key, errorText(err));
    }
  }
  return results;
}
