import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/**
 * Where blobs live under `<dataDir>/blobs`:
 *   staged/<id>        written, fsync'd, not yet referenced by committed metadata (or not yet published)
 *   <aa>/<bb>/<id>     published; aa and bb are the last two byte pairs of the id (its random part), spreading
 *                      files evenly over 65,536 directories
 * An id is 32 hex characters: 12 of creation time in milliseconds, then 20 random (80 bits). No object key, however
 * odd, ever reaches a path. The time prefix makes ids roughly increasing, so metadata indexes keyed by blob id grow
 * at one end instead of touching a random page per write.
 */
const BLOB_ID = /^[0-9a-f]{32}$/;

export function newBlobId(now: number = Date.now()): string {
  return now.toString(16).padStart(12, '0').slice(-12) + randomBytes(10).toString('hex');
}

export function isBlobId(value: string): boolean {
  return BLOB_ID.test(value);
}

export class BlobLayout {
  readonly root: string;
  readonly stagedDir: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'blobs');
    this.stagedDir = join(this.root, 'staged');
  }

  staged(blobId: string): string {
    return join(this.stagedDir, checked(blobId));
  }

  /** The directory (relative to root, e.g. `3f/a0`) a published blob goes into. */
  shard(blobId: string): string {
    const id = checked(blobId);
    return join(id.slice(28, 30), id.slice(30, 32));
  }

  published(blobId: string): string {
    return join(this.root, this.shard(blobId), blobId);
  }
}

function checked(blobId: string): string {
  if (!isBlobId(blobId)) throw new Error(`not a blob id: ${JSON.stringify(blobId)}`);
  return blobId;
}
