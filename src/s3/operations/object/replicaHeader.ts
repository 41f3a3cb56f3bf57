import type { S3Request } from '../../../http/S3Request.js';
import { header } from '../../../http/S3Request.js';
import { S3Error } from '../../../errors/S3Error.js';

/**
 * The header bucket replication sends to a Tessera destination: the source version's id, which the replica keeps
 * (PutObject) or the delete marker gets (DeleteObject). Other S3 services ignore it. Writing with it needs
 * s3:ReplicateObject (s3:ReplicateDelete for a marker) besides the usual action. See docs/replication.md.
 */
export const REPLICA_VERSION_HEADER = 'x-tessera-replica-version-id';

/** The replica version id a request carries, checked; undefined for an ordinary write. */
export function replicaVersionId(request: S3Request): string | undefined {
  const value = header(request, REPLICA_VERSION_HEADER);
  if (value === undefined) return undefined;
  if (!/^[A-Za-z0-9._-]{1,1024}$/.test(value) || value === 'null') {
    throw new S3Error('InvalidArgument', { message: 'Invalid replica version id', details: { ArgumentName: REPLICA_VERSION_HEADER, ArgumentValue: value } });
  }
  return value;
}
