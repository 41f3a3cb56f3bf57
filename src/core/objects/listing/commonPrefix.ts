/**
 * Common prefixes (the "folders" a delimiter rolls keys up into), and how to skip past one with a single query.
 */

/** S3's longest key, in UTF-8 bytes (PutObject refuses longer keys with KeyTooLongError). */
export const MAX_KEY_BYTES = 1024;

const MAX_CODE_POINT = '\u{10FFFF}';

/**
 * The common prefix a key rolls up into: the key up to and including the first delimiter after the listing prefix;
 * undefined when the key has no delimiter there (it is listed as itself). The key must start with `prefix`.
 */
export function commonPrefixOf(key: string, prefix: string, delimiter: string | undefined): string | undefined {
  if (delimiter === undefined || delimiter === '') return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}

/**
 * A listing position (an exclusive `after` bound, UTF-8 byte order) past every key that starts with `prefix`:
 * the prefix followed by enough U+10FFFF (the greatest code point; bytes F4 8F BF BF) that no key of at most
 * MAX_KEY_BYTES bytes starting with the prefix can sort after it. A key `prefix + rest` sorts after this bound only
 * if `rest` begins with all those U+10FFFF and goes on, which needs more bytes than a key may have.
 */
export function positionAfterPrefix(prefix: string): string {
  const room = MAX_KEY_BYTES - Buffer.byteLength(prefix, 'utf8');
  return prefix + MAX_CODE_POINT.repeat(Math.max(1, Math.ceil(room / 4)));
}
