import { compareUtf8 } from '../../keys/keyOrder.js';
import type { ObjectVersion } from '../ObjectVersion.js';
import { BatchSize } from './batchSize.js';
import { commonPrefixOf, positionAfterPrefix } from './commonPrefix.js';
import type { ListingSource } from './ListingSource.js';

/** What ListObjects / ListObjectsV2 ask for, already checked. */
export interface ObjectListingQuery {
  readonly prefix: string;
  /** Undefined (or empty) for no roll-up. */
  readonly delimiter: string | undefined;
  /**
   * Where the page starts: entries (keys and common prefixes alike) are listed only when they sort strictly after
   * this (marker, start-after, or the position in a continuation token). A common prefix equal to it, or before it,
   * is never listed again, so continuing after a page that ended on a common prefix does not repeat it.
   */
  readonly after: string | undefined;
  /** 0–1000. */
  readonly maxKeys: number;
}

/** One page of a latest-versions listing; entries in UTF-8 key order. */
export interface ObjectListingPage {
  readonly objects: readonly ObjectVersion[];
  readonly commonPrefixes: readonly string[];
  readonly isTruncated: boolean;
  /** The last entry of the page (a key or a common prefix): where the next page starts after. */
  readonly last: string | undefined;
}

/**
 * A page of current objects (latest versions that are not delete markers) as ListObjects and ListObjectsV2 see it:
 * keys under the prefix, rolled up by the delimiter into common prefixes (each counts as one entry toward
 * maxKeys), starting after `after`. Keys under a common prefix are skipped with one new query (positioned past the
 * prefix), so a prefix holding a million keys costs a query, not a million rows.
 */
export async function listObjectsPage(source: ListingSource, bucket: string, query: ObjectListingQuery): Promise<ObjectListingPage> {
  const objects: ObjectVersion[] = [];
  const commonPrefixes: string[] = [];
  let last: string | undefined;
  if (query.maxKeys <= 0) return { objects, commonPrefixes, isTruncated: false, last };

  const delimiter = query.delimiter === '' ? undefined : query.delimiter;
  const batch = new BatchSize(delimiter !== undefined);
  let count = 0;
  let cursor = query.after;
  /** The common prefix whose keys are being passed over (already listed, or at/before the start position). */
  let skipping: string | undefined;

  for (;;) {
    const limit = batch.next(query.maxKeys - count + 1);
    const rows = await source.listLatest(bucket, { prefix: query.prefix, ...(cursor !== undefined ? { after: cursor } : {}), limit });
    for (const row of rows) {
      if (skipping !== undefined && row.key.startsWith(skipping)) continue;
      skipping = undefined;
      const prefix = commonPrefixOf(row.key, query.prefix, delimiter);
      if (prefix !== undefined) {
        skipping = prefix;
        if (query.after !== undefined && compareUtf8(prefix, query.after) <= 0) continue;
        if (count === query.maxKeys) return { objects, commonPrefixes, isTruncated: true, last };
        commonPrefixes.push(prefix);
        last = prefix;
      } else {
        if (count === query.maxKeys) return { objects, commonPrefixes, isTruncated: true, last };
        objects.push(row);
        last = row.key;
      }
      count += 1;
    }
    const lastRow = rows[rows.length - 1];
    if (rows.length < limit || lastRow === undefined) return { objects, commonPrefixes, isTruncated: false, last };
    batch.record(skipping !== undefined);
    cursor = nextCursor(lastRow.key, skipping);
  }
}

/** Continue after the last row read, or past the whole common prefix being skipped (whichever is further). */
export function nextCursor(lastKey: string, skipping: string | undefined): string {
  if (skipping === undefined) return lastKey;
  const past = positionAfterPrefix(skipping);
  // Only a key longer than S3 allows could sort after `past`; never go backwards (that would loop).
  return compareUtf8(past, lastKey) > 0 ? past : lastKey;
}
