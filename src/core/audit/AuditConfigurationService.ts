import { S3Error } from '../../errors/S3Error.js';
import { bucketGeneration, type Bucket } from '../buckets/Bucket.js';
import type { AuditConfigurationStore } from '../ports/AuditConfigurationStore.js';
import { DEFAULT_AUDIT, type AuditConfiguration } from './AuditConfiguration.js';

/**
 * Buckets' audit configurations. The audit log asks `forBucket` on every request of a bucket, so the answer is kept
 * in memory and dropped by every write made through this service. (On one node every write is; several nodes
 * sharing a store would also need a revision check.)
 */
export class AuditConfigurationService {
  /** By bucket name, with the bucket's creation time: a bucket deleted and created again has none of the old one. */
  private readonly cache = new Map<string, { readonly generation: string; readonly found: Promise<AuditConfiguration> }>();

  constructor(private readonly store: AuditConfigurationStore) {}

  /** The configuration the audit log applies to the bucket's data events (the default when it has none). */
  forBucket(bucket: Bucket): Promise<AuditConfiguration> {
    const generation = bucketGeneration(bucket);
    let entry = this.cache.get(bucket.name);
    if (entry === undefined || entry.generation !== generation) {
      if (this.cache.size > 10_000) this.cache.clear();
      const made = { generation, found: this.store.getAudit(bucket.name).then((c) => c ?? DEFAULT_AUDIT) };
      this.cache.set(bucket.name, made);
      // a failed read is not kept: the next request tries again
      made.found.catch(() => {
        if (this.cache.get(bucket.name) === made) this.cache.delete(bucket.name);
      });
      entry = made;
    }
    // the same promise every time, so the audit log can tell it settled without waiting (observability/settled.ts)
    return entry.found;
  }

  /** The stored configuration; S3's NoSuchConfiguration (404) when the bucket has none. */
  async get(bucket: Bucket): Promise<AuditConfiguration> {
    const found = await this.store.getAudit(bucket.name);
    if (found === undefined) throw new S3Error('NoSuchConfiguration', { message: 'The bucket has no audit configuration.' });
    return found;
  }

  async put(bucket: Bucket, configuration: AuditConfiguration): Promise<void> {
    this.cache.delete(bucket.name);
    const outcome = await this.store.putAudit(bucket.name, configuration);
    this.cache.delete(bucket.name);
    if (outcome === 'missing') throw new S3Error('NoSuchBucket', { details: { BucketName: bucket.name } });
  }

  async delete(bucket: Bucket): Promise<void> {
    this.cache.delete(bucket.name);
    await this.store.deleteAudit(bucket.name);
    this.cache.delete(bucket.name);
  }
}
