import { compareUtf8 } from '../../keys/keyOrder.js';
import type { ObjectVersion } from '../ObjectVersion.js';
import { BatchSize } from './batchSize.js';
import { commonPrefixOf } from './commonPrefix.js';
import type { ListingSource } from './ListingSource.js';
import { nextCursor } from './listObjectsPage.js';

/** Where a versions listing starts. */
export interface VersionPosition {
  /** Entries (versions and common prefixes) with a key after this one are listed... */
  readonly key: string;
  /** ...and, when set, this key's versions older than the version with this seq (the version-id-marker's). */
  readonly afterSeq?: number;
}

/** What ListObjectVersions asks for, already checked and with the version-id-marker resolved to a position. */
export interface VersionListingQuery {
  readonly prefix: string;
  readonly delimiter: string | undefined;
  readonly after: VersionPosition | undefined;
  /** 0–1000. */
  readonly maxKeys: number;
}

export interface VersionListingPage {
  /** Versions and delete markers interleaved in listing order (key ascending, newest first); common prefixes apart. */
  readonly versions: readonly ObjectVersion[];
  readonly commonPrefixes: readonly string[];
  readonly isTruncated: boolean;
  /** The last entry of the page: NextKeyMarker (and NextVersionIdMarker for a version) when truncated. */
  readonly last: { readonly key: string; readonly versionId?: string } | undefined;
}

/**
 * A page of ListObjectVersions: every version and delete marker under the prefix, ordered by key then newest
 * first, rolled up by the delimiter (a common prefix counts once toward maxKeys), starting after `after`. As in
 * listObjectsPage, a common prefix at or before the start key is not listed again, and the keys under a common
 * prefix are passed over with one new query.
 */
export async function listVersionsPage(source: ListingSource, bucket: string, query: VersionListingQuery): Promise<VersionListingPage> {
  const versions: ObjectVersion[] = [];
  const commonPrefixes: string[] = [];
  let last: VersionListingPage['last'];
  if (query.maxKeys <= 0) return { versions, commonPrefixes, isTruncated: false, last };

  const delimiter = query.delimiter === '' ? undefined : query.delimiter;
  const startKey = query.after?.key;
  const batch = new BatchSize(delimiter !== undefined);
  let count = 0;
  let cursor: VersionPosition | undefined = query.after;
  let skipping: string | undefined;

  for (;;) {
    const limit = batch.next(query.maxKeys - count + 1);
    const rows = await source.listVersions(bucket, { prefix: query.prefix, ...(cursor !== undefined ? { after: cursor } : {}), limit });
    for (const row of rows) {
      if (skipping !== undefined && row.key.startsWith(skipping)) continue;
      skipping = undefined;
      const prefix = commonPrefixOf(row.key, query.prefix, delimiter);
      if (prefix !== undefined) {
        skipping = prefix;
        if (startKey !== undefined && compareUtf8(prefix, startKey) <= 0) continue;
        if (count === query.maxKeys) return { versions, commonPrefixes, isTruncated: true, last };
        commonPrefixes.push(prefix);
        last = { key: prefix };
      } else {
        if (count === query.maxKeys) return { versions, commonPrefixes, isTruncated: true, last };
        versions.push(row);
        last = { key: row.key, versionId: row.versionId };
      }
      count += 1;
    }
    const lastRow = rows[rows.length - 1];
    if (rows.length < limit || lastRow === undefined) return { versions, commonPrefixes, isTruncated: false, last };
    batch.record(skipping !== undefined);
    cursor = skipping !== undefined ? { key: nextCursor(lastRow.key, skipping) } : { key: lastRow.key, afterSeq: lastRow.seq };
  }
}
