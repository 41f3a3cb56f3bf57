import type { MetricsConfiguration } from '../../../../core/metrics/MetricsConfiguration.js';
import type { MetricsConfigurationStore } from '../../../../core/ports/MetricsConfigurationStore.js';
import type { PostgresDatabase } from '../PostgresDatabase.js';

/** The first key of the advisory locks that make one bucket's configuration writes take turns (any fixed number). */
const METRICS_LOCK_SPACE = 7243;

/**
 * MetricsConfigurationStore on PostgreSQL (table of migration 003). A put is one READ COMMITTED transaction: it
 * share-locks the bucket row (FOR KEY SHARE, as a foreign key check does: object writes are not held up, a
 * DeleteBucket waits), then takes the bucket's transaction-scoped advisory lock, so the count against the limit and
 * the insert are atomic across nodes without serializing on any row other writers use.
 */
export class PostgresMetricsConfigurationStore implements MetricsConfigurationStore {
  constructor(private readonly db: PostgresDatabase) {}

  putMetricsConfiguration(bucket: string, configuration: MetricsConfiguration, limit: number): Promise<'ok' | 'missing' | 'too-many'> {
    return this.db.transaction(async (tx): Promise<'ok' | 'missing' | 'too-many'> => {
      const exists = await tx.query('SELECT 1 FROM buckets WHERE name = $1 FOR KEY SHARE', [bucket], 'metrics-lock-bucket');
      if (exists.rowCount === 0) return 'missing';
      await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [METRICS_LOCK_SPACE, bucket], 'metrics-lock-configurations');
      const state = await tx.query<{ replacing: boolean; count: number }>(
        `SELECT EXISTS (SELECT 1 FROM bucket_metrics_configurations WHERE bucket = $1 AND id = $2) AS replacing,
                (SELECT count(*) FROM bucket_metrics_configurations WHERE bucket = $1)::integer AS count`,
        [bucket, configuration.id],
        'metrics-count',
      );
      const { replacing, count } = state.rows[0]!;
      if (!replacing && count >= limit) return 'too-many';
      await tx.query(
        `INSERT INTO bucket_metrics_configurations (bucket, id, configuration) VALUES ($1, $2, $3)
         ON CONFLICT (bucket, id) DO UPDATE SET configuration = excluded.configuration`,
        [bucket, configuration.id, JSON.stringify(configuration)],
        'metrics-upsert',
      );
      return 'ok';
    });
  }

  async getMetricsConfiguration(bucket: string, id: string): Promise<MetricsConfiguration | undefined> {
    const result = await this.db.query<{ configuration: string }>(
      'SELECT configuration FROM bucket_metrics_configurations WHERE bucket = $1 AND id = $2',
      [bucket, id],
      'metrics-get',
    );
    const text = result.rows[0]?.configuration;
    return text === undefined ? undefined : parse(text);
  }

  async deleteMetricsConfiguration(bucket: string, id: string): Promise<boolean> {
    const result = await this.db.query('DELETE FROM bucket_metrics_configurations WHERE bucket = $1 AND id = $2', [bucket, id], 'metrics-delete');
    return result.rowCount === 1;
  }

  async listMetricsConfigurations(bucket: string, after: string | undefined, limit: number): Promise<MetricsConfiguration[]> {
    const result = await this.db.query<{ configuration: string }>(
      `SELECT configuration FROM bucket_metrics_configurations WHERE bucket = $1 AND ($2::text IS NULL OR id > $2) ORDER BY id LIMIT $3`,
      [bucket, after ?? null, limit],
      'metrics-list',
    );
    return result.rows.map((r) => parse(r.configuration));
  }
}

function parse(text: string): MetricsConfiguration {
  return JSON.parse(text) as MetricsConfiguration;
}
