import type { S3Request } from '../../../http/S3Request.js';
import { header } from '../../../http/S3Request.js';
import { S3Error } from '../../../errors/S3Error.js';

/**
 * The header bucket replication sends to a Tessera destination: the source version's id, which the replica keeps
 * (PutObject) or the delete marker gets (DeleteObject). Other S3 services ignore it. Writing with it needs
 * s3:ReplicateObject (s3:ReplicateDelete for a marker) besides the usual action. See docs/replication.md.
 */
export const REPLICA_VERSION_HEADER = 'x-tessera-replica-version-id';

/** With the replica header: the source version's creation time (HTTP date) and ETag, which the replica keeps. */
export const REPLICA_LAST_MODIFIED_HEADER = 'x-tessera-replica-last-modified';
export const REPLICA_ETAG_HEADER = 'x-tessera-replica-etag';

/** The source's creation time and ETag a replica write carries (checked; absent ones are left out). */
export function replicaOf(request: S3Request): { lastModified?: Date; etag?: string } {
  const modified = header(request, REPLICA_LAST_MODIFIED_HEADER);
  const etag = header(request, REPLICA_ETAG_HEADER);
  const date = modified === undefined ? undefined : new Date(modified);
  if (date !== undefined && Number.isNaN(date.getTime())) {
    throw new S3Error('InvalidArgument', { message: 'Invalid replica creation time', details: { ArgumentName: REPLICA_LAST_MODIFIED_HEADER, ArgumentValue: modified ?? '' } });
  }
  if (etag !== undefined && !/^[0-9a-f]{32}(-\d{1,5})?$/.test(etag)) {
    throw new S3Error('InvalidArgument', { message: 'Invalid replica ETag', details: { ArgumentName: REPLICA_ETAG_HEADER, ArgumentValue: etag } });
  }
  return { ...(date === undefined ? {} : { lastModified: date }), ...(etag === undefined ? {} : { etag }) };
}

/** The replica version id a request carries, checked; undefined for an ordinary write. */
export function replicaVersionId(request: S3Request): string | undefined {
  const value = header(request, REPLICA_VERSION_HEADER);
  if (value === undefined) return undefined;
  if (!/^[A-Za-z0-9._-]{1,1024}$/.test(value) || value === 'null') {
    throw new S3Error('InvalidArgument', { message: 'Invalid replica version id', details: { ArgumentName: REPLICA_VERSION_HEADER, ArgumentValue: value } });
  }
  return value;
}
