import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { pino } from 'pino';
import type { RoleDirectory, RoleInfo } from '../../src/core/identity/RoleDirectory.js';
import { startTessera, type RunningTessera } from '../../src/main.js';
import { ROOT_KEY, testConfig, testMetadataBackend } from '../support/testServer.js';
import { createTestDatabase } from '../support/postgresCluster.js';

export const ACCOUNT = '000000000000';
export const TRUST_BATCH = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'batchoperations.s3.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
export const ALLOW_TAGGING = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['s3:PutObjectTagging', 's3:PutObjectVersionTagging', 's3:DeleteObjectTagging', 's3:DeleteObjectVersionTagging'],
      Resource: '*',
    },
  ],
});

/** Roles the batch jobs of the test server act as (stands in for the IAM module's directory). */
export class FakeRoles implements RoleDirectory {
  readonly roles = new Map<string, RoleInfo>();
  add(name: string, policies: string[], trustPolicy = TRUST_BATCH): string {
    const arn = `arn:aws:iam::${ACCOUNT}:role/${name}`;
    this.roles.set(arn, { accountId: ACCOUNT, roleName: name, arn, trustPolicy, policies });
    return arn;
  }
  roleByArn(arn: string): Promise<RoleInfo | undefined> {
    return Promise.resolve(this.roles.get(arn));
  }
}

export interface BatchServer {
  readonly endpoint: string;
  readonly dataDir: string;
  readonly server: RunningTessera;
  readonly s3: S3Client;
  readonly control: S3ControlClient;
  readonly roles: FakeRoles;
  readonly roleArn: string;
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** An S3ControlClient that reaches Tessera: the endpoint provider returns our URL (no account-id host label). */
export function controlClient(endpoint: string, credentials = ROOT_KEY): S3ControlClient {
  return new S3ControlClient({
    region: 'us-east-1',
    credentials,
    endpointProvider: () => ({ url: new URL(`${endpoint}/`) }),
  });
}

export async function startBatchServer(options: { dataDir?: string; roles?: FakeRoles } = {}): Promise<BatchServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tessera-batch-'));
  // PostgreSQL runs (TESSERA_TEST_METADATA=postgres): a fresh database per server
  const database = testMetadataBackend() === 'postgres' ? await createTestDatabase() : undefined;
  const config = { ...testConfig(dataDir), metadataUrl: database?.url };
  const roles = options.roles ?? new FakeRoles();
  const roleArn = roles.add('batch-tagger', [ALLOW_TAGGING]);
  const server = await startTessera(config, { logger: pino({ level: process.env.TESSERA_TEST_LOG ?? 'silent' }), roles });
  const s3 = new S3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: ROOT_KEY });
  const control = controlClient(server.endpoint);
  return {
    endpoint: server.endpoint,
    dataDir,
    server,
    s3,
    control,
    roles,
    roleArn,
    async stop(stopOptions = {}) {
      s3.destroy();
      control.destroy();
      await server.close();
      await database?.dispose();
      if (stopOptions.keepData !== true && options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
