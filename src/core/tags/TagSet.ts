import { S3Error } from '../../s3/errors/S3Error.js';
import type { Tag } from './Tag.js';

/**
 * The one place a tag set is validated, whichever way it arrived (XML body, x-amz-tagging header, POST form).
 * Limits as AWS S3 applies them to object tags: at most 10 tags, unique keys (case-sensitive), key 1–128 and value
 * 0–256 Unicode characters (code points), no `aws:` prefix, characters limited to letters, digits, white space and
 * `+ - = . _ : / @`.
 */
export const MAX_OBJECT_TAGS = 10;
export const MAX_BUCKET_TAGS = 50;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;

const ALLOWED = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Length in Unicode code points (what AWS counts), not UTF-16 units or bytes. */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export interface TagLimits {
  readonly maxTags: number;
}

/** Validate a tag set; returns it sorted by key. Throws S3Error InvalidTag with AWS's messages. */
export function validateTagSet(tags: readonly Tag[], limits: TagLimits = { maxTags: MAX_OBJECT_TAGS }): Tag[] {
  if (tags.length > limits.maxTags) {
    throw new S3Error('InvalidTag', limits.maxTags === MAX_OBJECT_TAGS ? 'Object tags cannot be greater than 10' : `Bucket tag count cannot be greater than ${limits.maxTags}`);
  }
  const seen = new Set<string>();
  for (const { key, value } of tags) {
    if (seen.has(key)) throw new S3Error('InvalidTag', 'Cannot provide multiple Tags with the same key', { TagKey: key });
    seen.add(key);
    if (key.length === 0 || !ALLOWED.test(key)) throw new S3Error('InvalidTag', 'The TagKey you have provided is invalid', { TagKey: key });
    if (codePointLength(key) > MAX_TAG_KEY_LENGTH) {
      throw new S3Error('InvalidTag', 'The TagKey you have provided is too long, max 128', { TagKey: key });
    }
    if (key.toLowerCase().startsWith('aws:')) {
      throw new S3Error('InvalidTag', 'Your TagKey cannot be prefixed with aws:', { TagKey: key });
    }
    if (!ALLOWED.test(value)) throw new S3Error('InvalidTag', 'The TagValue you have provided is invalid', { TagKey: key, TagValue: value });
    if (codePointLength(value) > MAX_TAG_VALUE_LENGTH) {
      throw new S3Error('InvalidTag', 'The TagValue you have provided is too long, max 256', { TagKey: key, TagValue: value });
    }
  }
  return sortTags(tags);
}

export function sortTags(tags: readonly Tag[]): Tag[] {
  return [...tags].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Parse the `x-amz-tagging` header (URL query form: `a=1&b=2`; `b` alone means b=""), then validate.
 * A header that is not valid URL-encoded UTF-8 or repeats a key → InvalidArgument, as AWS answers.
 */
export function parseTaggingHeader(header: string): Tag[] {
  const tags: Tag[] = [];
  if (header === '') return tags;
  const seen = new Set<string>();
  for (const part of header.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
      value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      throw new S3Error('InvalidArgument', 'The header \'x-amz-tagging\' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.', {
        ArgumentName: 'x-amz-tagging',
        ArgumentValue: header,
      });
    }
    if (seen.has(key)) {
      throw new S3Error('InvalidArgument', 'The header \'x-amz-tagging\' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.', {
        ArgumentName: 'x-amz-tagging',
        ArgumentValue: header,
      });
    }
    seen.add(key);
    tags.push({ key, value });
  }
  return validateTagSet(tags);
}
