import { S3Error } from '../../errors/S3Error.js';
import type { Tag } from './Tag.js';

/**
 * The one place a tag set is validated, whichever way it arrived (XML body, `x-amz-tagging` header, POST form).
 * Every rule, with the error AWS S3 answers for it, is listed in docs/tagging.md.
 *
 * A validated set is a `TagSet`: a list of tags sorted by key, with unique keys, within the limits of its kind
 * (object: 10 tags, bucket: 50). The brand makes "validated" a type: TagService takes `TagSet`s, so an unchecked
 * list cannot reach it by accident.
 */
export type TagSetKind = 'object' | 'bucket';

declare const checked: unique symbol;
/**
 * A validated tag set. (It is a plain array type so that it can be handed wherever a `Tag[]` is expected; treat it
 * as read-only.)
 */
export type TagSet<K extends TagSetKind = TagSetKind> = Tag[] & { readonly [checked]: K };
export type ObjectTagSet = TagSet<'object'>;
export type BucketTagSet = TagSet<'bucket'>;

/** Where a tag set comes from, when that changes AWS's answer (CreateBucket words the `aws:` rule differently). */
export type TagSetSource = TagSetKind | 'create-bucket';

/** @deprecated the first form of validateTagSet's second argument; pass a TagSetSource instead. */
export interface TagLimits {
  readonly maxTags: number;
}

export const MAX_OBJECT_TAGS = 10;
export const MAX_BUCKET_TAGS = 50;
/** Limits in Unicode characters, counted as code points (see codePointLength). */
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;

/** Letters (any language), digits, white space, and `_ . : / = + - @` — AWS's `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`. */
const ALLOWED = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Length in Unicode code points: 中 is 1, an astral letter such as 𠀀 is 1 (2 UTF-16 units, 4 UTF-8 bytes). */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Whether a key or value uses only the characters AWS allows in tags. */
export function hasOnlyTagCharacters(s: string): boolean {
  return ALLOWED.test(s);
}

/** Tag keys in the order GetObjectTagging and GetBucketTagging return them. */
export function compareTagKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortTags(tags: readonly Tag[]): Tag[] {
  return [...tags].sort((a, b) => compareTagKeys(a.key, b.key));
}

/** Fresh copies of the tags, sorted by key: sets read back are usually sorted already, and are then not sorted again. */
function brand<K extends TagSetKind>(tags: readonly Tag[]): TagSet<K> {
  const out: Tag[] = new Array<Tag>(tags.length);
  let sorted = true;
  for (let i = 0; i < tags.length; i++) {
    const t = tags[i] as Tag;
    out[i] = { key: t.key, value: t.value };
    if (sorted && i > 0 && compareTagKeys((tags[i - 1] as Tag).key, t.key) > 0) sorted = false;
  }
  if (!sorted) out.sort((a, b) => compareTagKeys(a.key, b.key));
  return out as TagSet<K>;
}

/** The empty object tag set (a fresh array each time, so no caller can spoil a shared one). */
export function emptyObjectTagSet(): ObjectTagSet {
  return brand<'object'>([]);
}

/**
 * A tag set read back from storage, where only validated sets are ever written: branded without checking again.
 * Never use it for anything a client sent.
 */
export function storedTagSet<K extends TagSetKind>(tags: readonly Tag[]): TagSet<K> {
  return brand<K>(tags);
}

function invalidKey(key: string): S3Error {
  // AWS leaves <TagKey> out when the key is empty
  return new S3Error('InvalidTag', { message: 'The TagKey you have provided is invalid', details: key === '' ? {} : { TagKey: key } });
}

function reservedPrefix(key: string, source: TagSetSource): S3Error | undefined {
  if (source === 'create-bucket') {
    // AWS leaves <TagKey> out of this one
    return key.slice(0, 4).toLowerCase() === 'aws:'
      ? new S3Error(
          'InvalidTag', { message: 'User-defined tag keys can\'t start with "aws:". This prefix is reserved for system tags. Remove "aws:" from your tag keys and try again.' }
        )
      : undefined;
  }
  if (source === 'object') {
    return key.startsWith('aws:') ? new S3Error('InvalidTag', { message: 'Your TagKey cannot be prefixed with aws:', details: { TagKey: key } }) : undefined;
  }
  if (key.startsWith('aws:')) {
    return new S3Error('InvalidTag', { message: 'System tags cannot be added/updated by requester', details: { TagKey: key } });
  }
  if (key.slice(0, 4).toLowerCase() === 'aws:') {
    return new S3Error(
      'InvalidTag', { message: 'Invalid Tag. Tags cannot start with "aws:"(case insensitive) unless they are System Tags that start with "aws:"(case sensitive)', details: { TagKey: key } }
    );
  }
  return undefined;
}

function tooMany(kind: TagSetKind): S3Error {
  return kind === 'object'
    ? new S3Error('BadRequest', { message: `Object tags cannot be greater than ${MAX_OBJECT_TAGS}` })
    : new S3Error('BadRequest', { message: `Bucket tag count cannot be greater than ${MAX_BUCKET_TAGS}` });
}

/**
 * Validate a tag list and return it as a TagSet (sorted by key). Throws the S3Error AWS answers:
 * - more than 10 object tags (checked first) / 50 bucket tags (checked after every tag): 400 BadRequest;
 * - then, tag by tag, the first of: a repeated key (case-sensitive) → InvalidTag "Cannot provide multiple Tags with
 *   the same key"; a key starting with `aws:` → InvalidTag (worded differently for objects, buckets and CreateBucket);
 *   a key that is empty, longer than 128 characters or uses other characters → InvalidTag "The TagKey you have
 *   provided is invalid"; a value longer than 256 characters or using other characters → InvalidTag "The TagValue
 *   you have provided is invalid".
 */
export function validateTagSet(tags: readonly Tag[], source: 'object'): ObjectTagSet;
export function validateTagSet(tags: readonly Tag[], source: 'bucket' | 'create-bucket'): BucketTagSet;
/** @deprecated pass 'object', 'bucket' or 'create-bucket' */
export function validateTagSet(tags: readonly Tag[], limits?: TagLimits): TagSet;
export function validateTagSet(tags: readonly Tag[], sourceOrLimits: TagSetSource | TagLimits = 'object'): TagSet {
  const source: TagSetSource =
    typeof sourceOrLimits === 'string' ? sourceOrLimits : sourceOrLimits.maxTags === MAX_BUCKET_TAGS ? 'create-bucket' : 'object';
  const kind: TagSetKind = source === 'object' ? 'object' : 'bucket';
  if (kind === 'object' && tags.length > MAX_OBJECT_TAGS) throw tooMany(kind);
  const seen = new Set<string>();
  for (const { key, value } of tags) {
    if (seen.has(key)) throw new S3Error('InvalidTag', { message: 'Cannot provide multiple Tags with the same key', details: { TagKey: key } });
    seen.add(key);
    const reserved = reservedPrefix(key, source);
    if (reserved !== undefined) throw reserved;
    if (key === '' || codePointLength(key) > MAX_TAG_KEY_LENGTH || !hasOnlyTagCharacters(key)) throw invalidKey(key);
    if (codePointLength(value) > MAX_TAG_VALUE_LENGTH || !hasOnlyTagCharacters(value)) {
      throw new S3Error('InvalidTag', { message: 'The TagValue you have provided is invalid', details: { TagKey: key, TagValue: value } });
    }
  }
  if (kind === 'bucket' && tags.length > MAX_BUCKET_TAGS) throw tooMany(kind);
  return brand(tags);
}

const HEADER_MESSAGE =
  "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.";

function badHeader(header: string): S3Error {
  return new S3Error('InvalidArgument', { message: HEADER_MESSAGE, details: { ArgumentName: 'x-amz-tagging', ArgumentValue: header } });
}

function decodeFormComponent(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * Parse the `x-amz-tagging` header of PutObject, CopyObject and CreateMultipartUpload (URL query form,
 * `a=1&b=2`; `+` and `%20` are spaces; `b` alone means b=""; empty pairs such as `&&` are skipped) into an object
 * TagSet. A missing or empty header is the empty set.
 *
 * The header itself is wrong — InvalidArgument, ArgumentName x-amz-tagging — when a pair has an empty name (`=v`),
 * more than one `=`, a bad or non-UTF-8 %-escape, raw non-ASCII characters, or repeats a name. The tags it holds are
 * then checked by validateTagSet (BadRequest / InvalidTag).
 */
export function parseTaggingHeader(header: string | undefined): ObjectTagSet {
  if (header === undefined || header === '') return emptyObjectTagSet();
  if (/[^\x20-\x7e]/.test(header)) throw badHeader(header);
  const tags: Tag[] = [];
  const seen = new Set<string>();
  for (const pair of header.split('&')) {
    if (pair === '') continue;
    const parts = pair.split('=');
    if (parts.length > 2 || parts[0] === '') throw badHeader(header);
    const key = decodeFormComponent(parts[0] ?? '');
    const value = decodeFormComponent(parts[1] ?? '');
    if (key === undefined || value === undefined || seen.has(key)) throw badHeader(header);
    seen.add(key);
    tags.push({ key, value });
  }
  return validateTagSet(tags, 'object');
}
