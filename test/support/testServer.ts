import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { pino } from 'pino';
import { loadConfig, type TesseraConfig } from '../../src/config/config.js';
import { canonicalIdOf } from '../../src/core/identity/canonicalId.js';
import { startTessera, type RunningTessera } from '../../src/main.js';
import { createTestDatabase } from './postgresCluster.js';

export const ROOT_KEY = { accessKeyId: 'TESSERATESTROOTKEY01', secretAccessKey: 'tessera-test-root-secret-key-0000000000' };

export interface TestServer {
  readonly endpoint: string;
  readonly port: number;
  readonly dataDir: string;
  readonly server: RunningTessera;
  /** An S3 client for the root user (path-style, SDK defaults otherwise: checksums on). */
  readonly s3: S3Client;
  /** A client for any credentials. */
  client(credentials?: { accessKeyId: string; secretAccessKey: string }): S3Client;
  /** Create another account with its own root key. */
  createAccount(name: string): Promise<{ accountId: string; accessKeyId: string; secretAccessKey: string }>;
  stop(): Promise<void>;
}

/** The configuration of a test server: 127.0.0.1:0, the given data dir, the test root key, no logs. */
export function testConfig(dataDir: string, options: { domain?: string } = {}): TesseraConfig {
  return loadConfig(
    {
      address: '127.0.0.1:0',
      'data-dir': dataDir,
      'root-access-key-id': ROOT_KEY.accessKeyId,
      'root-secret-access-key': ROOT_KEY.secretAccessKey,
      'log-level': 'silent',
      ...(options.domain !== undefined ? { domain: options.domain } : {}),
    },
    {},
    process.cwd(),
  );
}

/**
 * The metadata backend the tests run on: SQLite, or PostgreSQL when TESSERA_TEST_METADATA=postgres (a fresh database
 * per server on the run's PostgreSQL: test/support/postgresCluster.ts). `npm test` runs the conformance suites both ways.
 */
export function testMetadataBackend(): 'sqlite' | 'postgres' {
  return process.env.TESSERA_TEST_METADATA === 'postgres' ? 'postgres' : 'sqlite';
}

/** Start a real Tessera on 127.0.0.1:0 with a fresh data dir (and a fresh PostgreSQL database in PostgreSQL runs). */
export async function startTestServer(options: { domain?: string; dataDir?: string; metadataUrl?: string } = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tessera-test-'));
  const database = options.metadataUrl === undefined && testMetadataBackend() === 'postgres' ? await createTestDatabase() : undefined;
  const metadataUrl = options.metadataUrl ?? database?.url;
  const config = { ...testConfig(dataDir, options.domain !== undefined ? { domain: options.domain } : {}), metadataUrl };
  const server = await startTessera(config, { logger: pino({ level: process.env.TESSERA_TEST_LOG ?? 'silent' }) });
  const clients: S3Client[] = [];
  const client = (credentials = ROOT_KEY): S3Client => {
    const c = new S3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
    clients.push(c);
    return c;
  };
  let accounts = 0;
  return {
    endpoint: server.endpoint,
    port: server.port,
    dataDir,
    server,
    s3: client(),
    client,
    async createAccount(name) {
      accounts += 1;
      const accountId = String(100000000000 + accounts);
      const key = { accessKeyId: `TESSERATESTUSER${String(accounts).padStart(5, '0')}`, secretAccessKey: `secret-${name}-${accounts}-0123456789abcdef` };
      const metadata = server.metadata;
      await metadata.createAccount({ id: accountId, canonicalId: canonicalIdOf(accountId), displayName: name, createdAt: new Date() });
      await metadata.putAccessKey({ ...key, accountId, status: 'Active', createdAt: new Date() });
      return { accountId, ...key };
    },
    async stop() {
      for (const c of clients) c.destroy();
      await server.close();
      await database?.dispose();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
