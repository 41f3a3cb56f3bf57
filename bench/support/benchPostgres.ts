import pg from 'pg';

/**
 * The PostgreSQL server a `--postgres` benchmark keeps its metadata on: TESSERA_BENCH_POSTGRES_URL (any server where
 * that user may CREATE DATABASE), or a throwaway cluster (test/support/postgresCluster.ts) with fsync on, stopped by
 * `stop()` or when the process exits.
 */
export async function benchPostgres(): Promise<{ url: string; stop(): void }> {
  const given = process.env.TESSERA_BENCH_POSTGRES_URL;
  if (given !== undefined && given !== '') return { url: given, stop: () => undefined };
  const { startPostgresCluster } = await import('../../test/support/postgresCluster.js');
  const cluster = await startPostgresCluster({ fsync: true });
  return { url: cluster.url, stop: () => cluster.stop() };
}

/** A new, empty database on the server at `adminUrl`: its URL, and a drop that removes it again. */
export async function benchDatabase(adminUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const admin = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
