import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A PostgreSQL server for the tests, which the test run starts itself: the server at TESSERA_TEST_POSTGRES_URL when
 * set (any server where that user may CREATE DATABASE), otherwise a throwaway cluster made with the installed
 * PostgreSQL's initdb (Debian's `postgresql` package; scripts/install-test-deps.sh installs it) in a temporary
 * folder, on a free port of 127.0.0.1, stopped when the process exits. Each test gets a database of its own.
 */

const HOW_TO_PROVIDE =
  'The PostgreSQL tests need a PostgreSQL server. Install Debian\'s package (`sudo apt-get install postgresql`, which ' +
  '`bash scripts/install-test-deps.sh` does), set TESSERA_POSTGRES_BIN to the folder holding initdb and pg_ctl, or set ' +
  'TESSERA_TEST_POSTGRES_URL=postgres://user:password@host:port/postgres for a running server where that user may CREATE DATABASE.';

export interface PostgresCluster {
  /** The admin URL (database `postgres`). */
  readonly url: string;
  stop(): void;
}

function binDir(): string {
  const fromEnv = process.env.TESSERA_POSTGRES_BIN;
  if (fromEnv !== undefined && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return join(root, versions[0], 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  const found = which.stdout.trim();
  if (which.status === 0 && found !== '') return join(found, '..');
  throw new Error(`No PostgreSQL found (no initdb). ${HOW_TO_PROVIDE}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Start a throwaway cluster (PostgreSQL refuses to run as root: as root it runs as the `postgres` user). */
export async function startPostgresCluster(options: { readonly fsync?: boolean } = {}): Promise<PostgresCluster> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'tessera-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const run = (command: string, args: string[]): void => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, command), ...args]] : [join(bin, command), args];
    const result = spawnSync(file, argv, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}\n${HOW_TO_PROVIDE}`);
  };
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'tessera', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c max_connections=300',
    `-c fsync=${options.fsync === true ? 'on' : 'off'}`,
    `-c synchronous_commit=${options.fsync === true ? 'on' : 'off'}`,
    `-c full_page_writes=${options.fsync === true ? 'on' : 'off'}`,
    '-c shared_buffers=128MB',
  ].join(' ');
  run('pg_ctl', ['-D', data, '-o', settings, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  return { url: `postgres://tessera@127.0.0.1:${port}/postgres`, stop };
}

let shared: Promise<string> | undefined;

/** The admin URL of the run's server: TESSERA_TEST_POSTGRES_URL, or a cluster this process started (once). */
export function testPostgresAdminUrl(): Promise<string> {
  const fromEnv = process.env.TESSERA_TEST_POSTGRES_URL;
  if (fromEnv !== undefined && fromEnv !== '') return Promise.resolve(fromEnv);
  shared ??= startPostgresCluster().then((cluster) => cluster.url);
  return shared;
}

let databases = 0;

/** A new, empty database on the run's server: its URL, and a dispose that drops it. */
export async function createTestDatabase(): Promise<{ readonly url: string; dispose(): Promise<void> }> {
  const admin = await testPostgresAdminUrl();
  const name = `t_${process.pid}_${Date.now().toString(36)}_${(databases++).toString(36)}`;
  const client = new pg.Client({ connectionString: admin });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`Cannot reach the test PostgreSQL at ${admin}: ${String(error)}. ${HOW_TO_PROVIDE}`);
  }
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async dispose() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
