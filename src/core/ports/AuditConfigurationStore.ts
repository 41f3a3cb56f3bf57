import type { AuditConfiguration } from '../audit/AuditConfiguration.js';

/** Buckets' audit configurations (one per bucket, gone with it). Every backend runs test/storage/auditConfigurationContract.ts. */
export interface AuditConfigurationStore {
  getAudit(bucket: string): Promise<AuditConfiguration | undefined>;
  /** 'missing': no such bucket. */
  putAudit(bucket: string, configuration: AuditConfiguration): Promise<'ok' | 'missing'>;
  /** Whether there was one. */
  deleteAudit(bucket: string): Promise<boolean>;
}
