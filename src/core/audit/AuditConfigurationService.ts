import { S3Error } from '../../errors/S3Error.js';
import type { Bucket } from '../buckets/Bucket.js';
import type { AuditConfigurationStore } from '../ports/AuditConfigurationStore.js';
import { DEFAULT_AUDIT, type AuditConfiguration } from './AuditConfiguration.js';

/**
 * Buckets' audit configurations. The audit log asks `forBucket` on every request of a bucket, so the answer is kept
 * in memory and dropped by every write made through this service. (On one node every write is; several nodes
 * sharing a store would also need a revision check.)
 */
export class AuditConfigurationService {
  private readonly cache = new Map<string, Promise<AuditConfiguration | undefined>>();

  constructor(private readonly store: AuditConfigurationStore) {}

  /** The configuration the audit log applies to the bucket's data events (the default when it has none). */
  async forBucket(bucket: string): Promise<AuditConfiguration> {
    let found = this.cache.get(bucket);
    if (found === undefined) {
      if (this.cache.size > 10_000) this.cache.clear();
      found = this.store.getAudit(bucket);
      this.cache.set(bucket, found);
      found.catch(() => this.cache.delete(bucket));
    }
    return (await found) ?? DEFAULT_AUDIT;
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
