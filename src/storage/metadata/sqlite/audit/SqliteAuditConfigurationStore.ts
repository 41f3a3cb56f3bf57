import type { Statement } from 'better-sqlite3';
import type { AuditConfiguration } from '../../../../core/audit/AuditConfiguration.js';
import type { AuditConfigurationStore } from '../../../../core/ports/AuditConfigurationStore.js';
import type { GroupCommit } from '../GroupCommit.js';
import { settle } from '../settle.js';
import type { SqliteDatabase } from '../SqliteDatabase.js';

/** AuditConfigurationStore on the shared SQLite file (table `bucket_audit`). */
export class SqliteAuditConfigurationStore implements AuditConfigurationStore {
  private readonly commits: GroupCommit;
  private readonly bucketExists: Statement<[string], number>;
  private readonly select: Statement<[string], string>;
  private readonly upsert: Statement<[string, string]>;
  private readonly remove: Statement<[string]>;

  constructor(database: SqliteDatabase) {
    const db = database.db;
    this.commits = database.commits;
    this.bucketExists = db.prepare<[string], number>('SELECT 1 FROM buckets WHERE name = ?').pluck();
    this.select = db.prepare<[string], string>('SELECT configuration FROM bucket_audit WHERE bucket = ?').pluck();
    this.upsert = db.prepare(`INSERT INTO bucket_audit (bucket, configuration) VALUES (?, ?)
      ON CONFLICT (bucket) DO UPDATE SET configuration = excluded.configuration`);
    this.remove = db.prepare('DELETE FROM bucket_audit WHERE bucket = ?');
  }

  getAudit(bucket: string): Promise<AuditConfiguration | undefined> {
    return settle(() => {
      const text = this.select.get(bucket);
      return text === undefined ? undefined : (JSON.parse(text) as AuditConfiguration);
    });
  }

  putAudit(bucket: string, configuration: AuditConfiguration): Promise<'ok' | 'missing'> {
    return this.commits.run(() => {
      if (this.bucketExists.get(bucket) === undefined) return 'missing';
      this.upsert.run(bucket, JSON.stringify(configuration));
      return 'ok';
    });
  }

  deleteAudit(bucket: string): Promise<boolean> {
    return this.commits.run(() => this.remove.run(bucket).changes === 1);
  }
}
