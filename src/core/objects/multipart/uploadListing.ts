import { compareUtf8 } from '../../keys/keyOrder.js';
import { commonPrefixOf, positionAfterPrefix } from '../listing/commonPrefix.js';
import type { MultipartUpload } from '../MultipartUpload.js';

/** The store query ListMultipartUploads pages through (UploadStore.listUploads, bound to a bucket). */
export type FetchUploads = (query: {
  prefix: string;
  keyMarker?: string;
  uploadIdMarker?: string;
  limit: number;
}) => Promise<MultipartUpload[]>;

export interface UploadListingQuery {
  readonly prefix: string;
  readonly delimiter?: string;
  readonly keyMarker?: string;
  /** Only meaningful together with keyMarker (AWS ignores it otherwise). */
  readonly uploadIdMarker?: string;
  readonly maxUploads: number;
}

export interface UploadListing {
  readonly uploads: readonly MultipartUpload[];
  readonly commonPrefixes: readonly string[];
  readonly isTruncated: boolean;
  /** Set when truncated: the last key (or common prefix) listed. */
  readonly nextKeyMarker?: string;
  /** Set when truncated and the last entry was an upload. */
  readonly nextUploadIdMarker?: string;
}

type Entry = { kind: 'upload'; upload: MultipartUpload } | { kind: 'prefix'; prefix: string };

/**
 * ListMultipartUploads: uploads ordered by key then initiation, with keys that contain `delimiter` after `prefix`
 * rolled up into CommonPrefixes. Uploads and common prefixes both count towards maxUploads. A common prefix not
 * greater than keyMarker was listed on an earlier page and is skipped (so NextKeyMarker may be a common prefix).
 * Pure apart from `fetch`; reads at most what one page needs, jumping over rolled-up keys.
 */
export async function listUploads(fetch: FetchUploads, query: UploadListingQuery): Promise<UploadListing> {
  const { prefix, delimiter, maxUploads } = query;
  if (maxUploads <= 0) return { uploads: [], commonPrefixes: [], isTruncated: false };
  const entries: Entry[] = [];
  let cursor: { keyMarker?: string; uploadIdMarker?: string } = {
    ...(query.keyMarker !== undefined ? { keyMarker: query.keyMarker } : {}),
    ...(query.keyMarker !== undefined && query.uploadIdMarker !== undefined ? { uploadIdMarker: query.uploadIdMarker } : {}),
  };
  let lastPrefix: string | undefined;
  const batch = maxUploads + 1;

  for (;;) {
    const rows = await fetch({ prefix, ...cursor, limit: batch });
    if (rows.length === 0) return finish(entries, false);
    let jumped = false;
    for (const upload of rows) {
      cursor = { keyMarker: upload.key, uploadIdMarker: upload.uploadId };
      const rolled = commonPrefixOf(upload.key, prefix, delimiter);
      if (rolled === undefined) {
        if (entries.length === maxUploads) return finish(entries, true);
        entries.push({ kind: 'upload', upload });
        continue;
      }
      if (rolled === lastPrefix) continue;
      if (query.keyMarker !== undefined && compareUtf8(rolled, query.keyMarker) <= 0) {
        // listed on an earlier page (its NextKeyMarker was this prefix or beyond)
        lastPrefix = rolled;
      } else {
        if (entries.length === maxUploads) return finish(entries, true);
        entries.push({ kind: 'prefix', prefix: rolled });
        lastPrefix = rolled;
      }
      cursor = { keyMarker: positionAfterPrefix(rolled) };
      jumped = true;
      break;
    }
    if (!jumped && rows.length < batch) return finish(entries, false);
  }
}

function finish(entries: readonly Entry[], truncated: boolean): UploadListing {
  const uploads: MultipartUpload[] = [];
  const commonPrefixes: string[] = [];
  for (const e of entries) {
    if (e.kind === 'upload') uploads.push(e.upload);
    else commonPrefixes.push(e.prefix);
  }
  if (!truncated) return { uploads, commonPrefixes, isTruncated: false };
  const last = entries[entries.length - 1];
  if (last === undefined) return { uploads, commonPrefixes, isTruncated: true };
  return last.kind === 'upload'
    ? { uploads, commonPrefixes, isTruncated: true, nextKeyMarker: last.upload.key, nextUploadIdMarker: last.upload.uploadId }
    : { uploads, commonPrefixes, isTruncated: true, nextKeyMarker: last.prefix };
}
