import { createHash } from 'node:crypto';

/**
 * The ETag of an object assembled from parts, as S3 computes it: the MD5 of the concatenated binary MD5s of the
 * parts (in part order), hex, followed by `-<number of parts>`. `partEtags` are the parts' hex MD5s (quotes allowed).
 * Returned without quotes, like ObjectVersion.etag.
 */
export function multipartEtag(partEtags: readonly string[]): string {
  const md5 = createHash('md5');
  for (const etag of partEtags) md5.update(Buffer.from(unquoteEtag(etag), 'hex'));
  return `${md5.digest('hex')}-${partEtags.length}`;
}

/** An ETag without surrounding double quotes (clients send both forms). */
export function unquoteEtag(etag: string): string {
  const trimmed = etag.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) return trimmed.slice(1, -1);
  return trimmed;
}

/** The wire form of an ETag: in double quotes. */
export function quoteEtag(etag: string): string {
  return `"${etag}"`;
}
