import { filterNeedsTags, type MetricsFilter } from '../core/metrics/MetricsConfiguration.js';
import { metricsFilterMatches } from '../core/metrics/metricsFilterMatches.js';
import type { Tag } from '../core/tags/Tag.js';

/** The bucket listings: requests that list a bucket's contents (CloudWatch's ListRequests, CloudTrail data events). */
const LISTINGS = new Set(['ListObjects', 'ListObjectsV2', 'ListObjectVersions', 'ListMultipartUploads']);

/** Object-level writes and reads that address no single key: data events without a key of their own. */
const KEYLESS_DATA = new Set(['DeleteObjects', 'PostObject']);

/**
 * What an S3 request touched, as the tag-filtered metrics and the audit filters see it:
 * - `object`: one key (GetObject, PutObject, PutObjectTagging, UploadPart, …);
 * - `listing`: a bucket listing, with the prefix it asked for;
 * - `keyless`: object data without one addressed key (DeleteObjects, a browser POST upload);
 * - `bucket`: the bucket itself (its configuration, HeadBucket, …).
 */
export type RequestScope =
  | { readonly kind: 'object'; readonly key: string }
  | { readonly kind: 'listing'; readonly prefix: string }
  | { readonly kind: 'keyless' }
  | { readonly kind: 'bucket' };

export function requestScope(operation: string | undefined, key: string | undefined, query: ReadonlyMap<string, string> | undefined): RequestScope {
  if (key !== undefined) return { kind: 'object', key };
  if (operation !== undefined && LISTINGS.has(operation)) return { kind: 'listing', prefix: query?.get('prefix') ?? '' };
  if (operation !== undefined && KEYLESS_DATA.has(operation)) return { kind: 'keyless' };
  return { kind: 'bucket' };
}

/** A filter on objects: a key prefix and tags that must all be present (a metrics configuration's, the audit's). */
export type ObjectFilter = MetricsFilter;

/**
 * Whether a request falls under a filter (undefined: no filter, every request of the bucket). An object request
 * matches when its key has the prefix and the object carries every tag; a listing matches a prefix-only filter when
 * it lists within the prefix; keyless and bucket requests match only the absent filter (they concern no one object).
 * `tags` are the object's tags at the time of the request (see docs/metrics.md).
 */
export function scopeMatches(filter: ObjectFilter | undefined, scope: RequestScope, tags: readonly Tag[]): boolean {
  if (filter === undefined) return true;
  if (filter.accessPointArn !== undefined) return false;
  const prefix = filter.prefix ?? '';
  switch (scope.kind) {
    case 'object':
      return metricsFilterMatches(filter, scope.key, tags);
    case 'listing':
      return filter.tags.length === 0 && scope.prefix.startsWith(prefix);
    default:
      return false;
  }
}

/** Whether deciding `scopeMatches` for this scope needs the object's tags. */
export function needsTags(filter: ObjectFilter | undefined, scope: RequestScope): boolean {
  return scope.kind === 'object' && filterNeedsTags(filter);
}

/** CloudWatch's request types (besides AllRequests, which counts every request of the filter). */
export type RequestType = 'Get' | 'Put' | 'Delete' | 'Head' | 'Post' | 'List';

/**
 * The CloudWatch request-metric type of an S3 request: GET/PUT/DELETE/HEAD/POST on objects; HEAD on the bucket too;
 * DeleteObjects counts as a Delete (one request, whatever the number of keys); bucket listings as List; a browser POST
 * upload as Post. Other bucket requests (configuration reads and writes) count in AllRequests only.
 */
export function requestTypeOf(method: string, scope: RequestScope, operation: string | undefined): RequestType | undefined {
  if (scope.kind === 'listing') return 'List';
  if (operation === 'DeleteObjects') return 'Delete';
  if (method === 'HEAD') return 'Head';
  if (operation === 'PostObject') return 'Post';
  if (scope.kind !== 'object') return undefined;
  switch (method) {
    case 'GET':
      return 'Get';
    case 'PUT':
      return 'Put';
    case 'DELETE':
      return 'Delete';
    case 'POST':
      return 'Post';
    default:
      return undefined;
  }
}
