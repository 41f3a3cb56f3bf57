import type { AuditConfiguration } from '../../../../core/audit/AuditConfiguration.js';
import type { AuditConfigurationStore } from '../../../../core/ports/AuditConfigurationStore.js';
import { sqlState, type PostgresDatabase } from '../PostgresDatabase.js';

/**
 * AuditConfigurationStore on PostgreSQL (table `bucket_audit`, migration 003). Each method is one statement; a put
 * for a bucket deleted meanwhile fails its foreign key check (23503) and is 'missing', as for no bucket at all.
 */
export class PostgresAuditConfigurationStore implements AuditConfigurationStore {
  constructor(private readonly db: PostgresDatabase) {}

  async getAudit(bucket: string): Promise<AuditConfiguration | undefined> {
    const result = await this.db.query<{ configuration: string }>('SELECT configuration FROM bucket_audit WHERE bucket = $1', [bucket], 'audit-get');
    const text = result.rows[0]?.configuration;
    return text === undefined ? undefined : (JSON.parse(text) as AuditConfiguration);
  }

  async putAudit(bucket: string, configuration: AuditConfiguration): Promise<'ok' | 'missing'> {
    try {
      const result = await this.db.query(
        `INSERT INTO bucket_audit (bucket, configuration)
         SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM buckets WHERE name = $1)
         ON CONFLICT (bucket) DO UPDATE SET configuration = excluded.configuration`,
        [bucket, JSON.stringify(configuration)],
        'audit-put',
      );
      return result.rowCount === 1 ? 'ok' : 'missing';
    } catch (error) {
      if (sqlState(error) === '23503') return 'missing';
      throw error;
    }
  }

  async deleteAudit(bucket: string): Promise<boolean> {
    const result = await this.db.query('DELETE FROM bucket_audit WHERE bucket = $1', [bucket], 'audit-delete');
    return result.rowCount === 1;
  }
}
