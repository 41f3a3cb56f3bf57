import type { AccessStore } from './AccessStore.js';
import type { AccountStore } from './AccountStore.js';
import type { BlobLedger } from './BlobLedger.js';
import type { BucketStore } from './BucketStore.js';
import type { MemoryReads } from './MemoryReads.js';
import type { UploadStore } from './UploadStore.js';
import type { VersionStore } from './VersionStore.js';

/**
 * Where Tessera keeps everything but object bytes: the role ports together, as one backend implements them (the
 * composition root builds it and hands each service the roles it uses). Each method is one atomic unit; a write's
 * promise resolves only once the write is durable (implementations may group several writes into one commit).
 *
 * Conventions, for every role port:
 * - "absent" is `undefined` (or a status string); methods throw only on faults.
 * - The core decides S3 semantics (which version id to assign, whether the null version is replaced); the store
 *   carries them out atomically.
 * - Keys are compared as UTF-8 bytes (S3's listing order).
 * - Blob segments dropped by a write (overwritten null version, deleted version, replaced or unused part) are put
 *   into the released-blob outbox in the same transaction; a worker deletes the bytes and then forgets them.
 *
 * Every backend runs the contract suite in test/storage/metadataContract.ts.
 */
export interface MetadataStore extends AccountStore, BucketStore, VersionStore, UploadStore, BlobLedger, AccessStore {
  /** The reads the store's read caches can answer synchronously; absent when it has none. */
  readonly memory?: MemoryReads | undefined;
  close(): Promise<void>;
}
