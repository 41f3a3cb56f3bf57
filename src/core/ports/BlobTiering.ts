import type { Readable } from 'node:stream';

/**
 * The tier lifecycle transitions move object bytes to (a directory, by default under the data dir; see
 * docs/lifecycle.md). Blobs written here are ordinary blobs of the BlobStore — read, published and deleted through
 * it — whose ids say they live in the tier.
 */
export interface BlobTiering {
  /** Whether the blob already lives in the tier. */
  inTier(blobId: string): boolean;
  /** Stream `source` into a new staged blob in the tier (durable when resolved), published like any other blob. */
  writeToTier(source: Readable): Promise<{ blobId: string; size: number }>;
}
