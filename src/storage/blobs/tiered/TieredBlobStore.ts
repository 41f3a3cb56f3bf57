import type { Readable } from 'node:stream';
import type { BlobStore } from '../../../core/ports/BlobStore.js';
import type { BlobTiering } from '../../../core/ports/BlobTiering.js';

/** Ids of blobs in the tier: the tier store's own id behind this mark, so the id alone says where the bytes are. */
const TIER_MARK = 't';

/**
 * The blob store with its lifecycle tier: new blobs go to the primary store; blobs that lifecycle transitions moved
 * are in the tier store (another directory, possibly on another disk: TESSERA_TIER_DIR) and every read, publish and
 * delete is routed by the id. Crash recovery sees the staged blobs of both.
 */
export class TieredBlobStore implements BlobStore, BlobTiering {
  constructor(
    private readonly primary: BlobStore,
    private readonly tier: BlobStore,
  ) {}

  inTier(blobId: string): boolean {
    return blobId.startsWith(TIER_MARK);
  }

  async writeToTier(source: Readable): Promise<{ blobId: string; size: number }> {
    const written = await this.tier.write(source);
    return { blobId: TIER_MARK + written.blobId, size: written.size };
  }

  write(source: Readable): Promise<{ blobId: string; size: number }> {
    return this.primary.write(source);
  }

  /** A copy lands where the source is (CopyObject of a transitioned version copies within the tier). */
  async copy(blobId: string): Promise<{ blobId: string; size: number }> {
    if (!this.inTier(blobId)) return this.primary.copy(blobId);
    const copied = await this.tier.copy(blobId.slice(TIER_MARK.length));
    return { blobId: TIER_MARK + copied.blobId, size: copied.size };
  }

  async publish(blobIds: readonly string[]): Promise<void> {
    const { primary, tier } = this.split(blobIds);
    await Promise.all([primary.length > 0 ? this.primary.publish(primary) : undefined, tier.length > 0 ? this.tier.publish(tier) : undefined]);
  }

  read(blobId: string, range?: { start: number; end: number }): Readable {
    return this.inTier(blobId) ? this.tier.read(blobId.slice(TIER_MARK.length), range) : this.primary.read(blobId, range);
  }

  async delete(blobIds: readonly string[]): Promise<void> {
    const { primary, tier } = this.split(blobIds);
    await Promise.all([primary.length > 0 ? this.primary.delete(primary) : undefined, tier.length > 0 ? this.tier.delete(tier) : undefined]);
  }

  async listStaged(stagedBefore?: Date): Promise<string[]> {
    const [primary, tier] = await Promise.all([this.primary.listStaged(stagedBefore), this.tier.listStaged(stagedBefore)]);
    return [...primary, ...tier.map((id) => TIER_MARK + id)];
  }

  async close(): Promise<void> {
    await Promise.all([this.primary.close(), this.tier.close()]);
  }

  private split(blobIds: readonly string[]): { primary: string[]; tier: string[] } {
    const primary: string[] = [];
    const tier: string[] = [];
    for (const id of blobIds) (this.inTier(id) ? tier : primary).push(this.inTier(id) ? id.slice(TIER_MARK.length) : id);
    return { primary, tier };
  }
}
