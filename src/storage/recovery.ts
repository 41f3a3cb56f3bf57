import type { BlobStore } from '../core/ports/BlobStore.js';
import type { BlobLedger } from '../core/ports/BlobLedger.js';
import type { StorageLog } from '../core/ports/StorageLog.js';

export interface RecoveryReport {
  /** Staged blobs committed metadata refers to (the crash came between commit and publish): now published. */
  readonly published: number;
  /** Staged blobs nothing refers to (the crash came before commit, or the write failed): deleted. */
  readonly discarded: number;
  /** Released blobs whose bytes were deleted from the outbox. */
  readonly reaped: number;
}

const BATCH = 500;

/**
 * Bring blobs in line with committed metadata after a crash. Run at start, before serving:
 * 1. every staged blob is published if a version or part refers to it, deleted otherwise;
 * 2. the released-blob outbox is drained (bytes deleted, then rows forgotten).
 * Idempotent: a crash during recovery is repaired by the next run. Where several nodes share the blobs and the
 * metadata (PostgreSQL), only blobs staged before `stagedBefore` are looked at: younger ones may be another node's
 * writes between staging and publishing.
 */
export async function recoverStorage(
  metadata: BlobLedger,
  blobs: BlobStore,
  log: StorageLog,
  options: { readonly stagedBefore?: Date } = {},
): Promise<RecoveryReport> {
  const staged = await blobs.listStaged(options.stagedBefore);
  const keep: string[] = [];
  const discard: string[] = [];
  for (const blobId of staged) {
    (await metadata.isBlobReferenced(blobId) ? keep : discard).push(blobId);
  }
  for (let i = 0; i < keep.length; i += BATCH) await blobs.publish(keep.slice(i, i + BATCH));
  for (let i = 0; i < discard.length; i += BATCH) await blobs.delete(discard.slice(i, i + BATCH));

  let reaped = 0;
  for (;;) {
    const released = await metadata.takeReleasedBlobs(BATCH);
    if (released.length === 0) break;
    await blobs.delete(released);
    await metadata.forgetReleasedBlobs(released);
    reaped += released.length;
  }

  const report = { published: keep.length, discarded: discard.length, reaped };
  if (staged.length > 0 || reaped > 0) log.info(report, 'storage recovered');
  return report;
}
