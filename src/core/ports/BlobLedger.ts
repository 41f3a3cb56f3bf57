/**
 * What the metadata store knows about blobs: the released-blob outbox (drained by the blob reaper), whether a blob
 * is referenced (crash recovery of staged blobs), and the bytes of inline blobs (small objects' bytes, written with
 * their version; see docs/storage.md). Conventions: see MetadataStore.
 */
export interface BlobLedger {
  takeReleasedBlobs(limit: number): Promise<string[]>;
  forgetReleasedBlobs(blobIds: readonly string[]): Promise<void>;
  /** Whether any version or part references the blob (used by crash recovery of staged blobs). */
  isBlobReferenced(blobId: string): Promise<boolean>;
  /** The bytes of an inline segment (BlobSegment.inline), or undefined when no version holds it any more. */
  readInlineBlob(blobId: string): Promise<Buffer | undefined>;
}
