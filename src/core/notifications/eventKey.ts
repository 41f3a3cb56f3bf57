/**
 * An object key as S3 writes it in an event message: URL-encoded as an HTML form encodes a value
 * (`application/x-www-form-urlencoded`, Java's URLEncoder), so "red flower.jpg" becomes "red+flower.jpg" and
 * "a@b" becomes "a%40b" — except that `/` is kept as it is ("photos/2024/a b.jpg" → "photos/2024/a+b.jpg").
 * Letters, digits, `.`, `-`, `_` and `*` are kept; a space is `+`; every other character is its UTF-8 bytes as
 * `%XX` (upper-case hex).
 *
 * Notification filters compare their prefix and suffix with this form of the key, as S3 documents: a filter value
 * with a space is written with `+`, and other special characters percent-encoded.
 */
export function encodeEventKey(key: string): string {
  let out = '';
  for (const ch of key) {
    if (/^[A-Za-z0-9.\-_*/]$/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
