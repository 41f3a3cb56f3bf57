import type { Database, Statement } from 'better-sqlite3';
import type { MetricsConfiguration } from '../../../../core/metrics/MetricsConfiguration.js';
import type { MetricsConfigurationStore } from '../../../../core/ports/MetricsConfigurationStore.js';
import type { GroupCommit } from '../GroupCommit.js';
import { settle } from '../settle.js';
import type { SqliteDatabase } from '../SqliteDatabase.js';

/** MetricsConfigurationStore on the shared SQLite file (table of migration 010). */
export class SqliteMetricsConfigurationStore implements MetricsConfigurationStore {
  private readonly commits: GroupCommit;
  private readonly bucketExists: Statement<[string], number>;
  private readonly selectOne: Statement<[string, string], string>;
  private readonly countAll: Statement<[string], number>;
  private readonly upsert: Statement<[string, string, string]>;
  private readonly deleteOne: Statement<[string, string]>;
  private readonly selectFirst: Statement<[string, number], string>;
  private readonly selectAfter: Statement<[string, string, number], string>;

  constructor(database: SqliteDatabase) {
    const db: Database = database.db;
    this.commits = database.commits;
    this.bucketExists = db.prepare<[string], number>('SELECT 1 FROM buckets WHERE name = ?').pluck();
    this.selectOne = db
      .prepare<[string, string], string>('SELECT configuration FROM bucket_metrics_configurations WHERE bucket = ? AND id = ?')
      .pluck();
    this.countAll = db.prepare<[string], number>('SELECT count(*) FROM bucket_metrics_configurations WHERE bucket = ?').pluck();
    this.upsert = db.prepare(`INSERT INTO bucket_metrics_configurations (bucket, id, configuration) VALUES (?, ?, ?)
      ON CONFLICT (bucket, id) DO UPDATE SET configuration = excluded.configuration`);
    this.deleteOne = db.prepare('DELETE FROM bucket_metrics_configurations WHERE bucket = ? AND id = ?');
    this.selectFirst = db
      .prepare<[string, number], string>('SELECT configuration FROM bucket_metrics_configurations WHERE bucket = ? ORDER BY id LIMIT ?')
      .pluck();
    this.selectAfter = db
      .prepare<[string, string, number], string>(
        'SELECT configuration FROM bucket_metrics_configurations WHERE bucket = ? AND id > ? ORDER BY id LIMIT ?',
      )
      .pluck();
  }

  putMetricsConfiguration(bucket: string, configuration: MetricsConfiguration, limit: number): Promise<'ok' | 'missing' | 'too-many'> {
    return this.commits.run(() => {
      if (this.bucketExists.get(bucket) === undefined) return 'missing';
      const replacing = this.selectOne.get(bucket, configuration.id) !== undefined;
      if (!replacing && (this.countAll.get(bucket) ?? 0) >= limit) return 'too-many';
      this.upsert.run(bucket, configuration.id, JSON.stringify(configuration));
      return 'ok';
    });
  }

  getMetricsConfiguration(bucket: string, id: string): Promise<MetricsConfiguration | undefined> {
    return settle(() => {
      const text = this.selectOne.get(bucket, id);
      return text === undefined ? undefined : parse(text);
    });
  }

  deleteMetricsConfiguration(bucket: string, id: string): Promise<boolean> {
    return this.commits.run(() => this.deleteOne.run(bucket, id).changes > 0);
  }

  listMetricsConfigurations(bucket: string, after: string | undefined, limit: number): Promise<MetricsConfiguration[]> {
    return settle(() => {
      const rows = after === undefined ? this.selectFirst.all(bucket, limit) : this.selectAfter.all(bucket, after, limit);
      return rows.map(parse);
    });
  }
}

function parse(text: string): MetricsConfiguration {
  return JSON.parse(text) as MetricsConfiguration;
}
