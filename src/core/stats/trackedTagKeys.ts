import { codePointLength, hasOnlyTagCharacters, MAX_TAG_KEY_LENGTH } from '../tags/TagSet.js';

/**
 * At most this many tracked tag keys (TESSERA_METRICS_TAG_KEYS). Each tracked key adds one row per (bucket, value)
 * to the figures every scrape exports, and one trigger check per tag write; 50 is the most tags a bucket can carry,
 * well above what an operator charts.
 */
export const MAX_TRACKED_TAG_KEYS = 50;

/**
 * What is wrong with a tag key as a key to count by, or undefined: it must be a key an object tag can have — 1 to
 * 128 Unicode characters of the tag alphabet, not starting with `aws:` (the rules of docs/tagging.md).
 */
export function tagKeyProblem(key: string): string | undefined {
  if (key === '' || codePointLength(key) > MAX_TAG_KEY_LENGTH) return `tag key '${key}' must be 1 to ${MAX_TAG_KEY_LENGTH} characters`;
  if (!hasOnlyTagCharacters(key)) return `tag key '${key}' has characters a tag key cannot have`;
  if (key.startsWith('aws:')) return `tag key '${key}' starts with 'aws:', which object tags cannot`;
  return undefined;
}

/**
 * The tracked keys from TESSERA_METRICS_TAG_KEYS: comma-separated, white space around each key dropped, a repeated
 * key counted once, in the order given. Throws an Error naming the bad key.
 */
export function parseTrackedTagKeys(text: string): string[] {
  const keys = [...new Set(text.split(',').map((k) => k.trim()))];
  for (const key of keys) {
    const problem = tagKeyProblem(key);
    if (problem !== undefined) throw new Error(problem);
  }
  if (keys.length > MAX_TRACKED_TAG_KEYS) throw new Error(`at most ${MAX_TRACKED_TAG_KEYS} tag keys can be tracked, got ${keys.length}`);
  return keys;
}
