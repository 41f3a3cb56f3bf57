import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/config.js';
import { startTessera, type RunningTessera } from '../../src/main.js';
import { ROOT_KEY } from '../support/testServer.js';
import { queryCall } from './iamSupport.js';

/** Session expiry, with the server's clock under the test's control (sessions last at least 900 s). */
void describe('AssumeRole credentials expire', () => {
  let server: RunningTessera;
  let dataDir: string;
  let offsetMs = 0;
  const clock = (): Date => new Date(Date.now() + offsetMs);

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-iam-expiry-'));
    const config = loadConfig(
      {
        address: '127.0.0.1:0',
        'data-dir': dataDir,
        'root-access-key-id': ROOT_KEY.accessKeyId,
        'root-secret-access-key': ROOT_KEY.secretAccessKey,
        'log-level': 'silent',
      },
      {},
      process.cwd(),
    );
    server = await startTessera(config, { logger: pino({ level: 'silent' }), clock });
  });
  after(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  void it('works until Expiration, then S3 says ExpiredToken and IAM/STS say ExpiredToken', async () => {
    const account = server.identity.rootAccount.id;
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: account }, Action: 'sts:AssumeRole' }] });
    const role = await queryCall(server.endpoint, 'iam', ROOT_KEY, { Action: 'CreateRole', RoleName: 'short', AssumeRolePolicyDocument: trust });
    assert.equal(role.status, 200, role.body);
    await queryCall(server.endpoint, 'iam', ROOT_KEY, {
      Action: 'PutRolePolicy',
      RoleName: 'short',
      PolicyName: 'list',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] }),
    });
    const assumed = await queryCall(server.endpoint, 'sts', ROOT_KEY, {
      Action: 'AssumeRole',
      RoleArn: role.text('Arn') ?? '',
      RoleSessionName: 'brief',
      DurationSeconds: '900',
    });
    assert.equal(assumed.status, 200, assumed.body);
    const credentials = {
      accessKeyId: assumed.text('AccessKeyId') ?? '',
      secretAccessKey: assumed.text('SecretAccessKey') ?? '',
      sessionToken: assumed.text('SessionToken') ?? '',
    };
    const s3 = new S3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
    try {
      offsetMs = 899_000;
      await s3.send(new ListBucketsCommand({}));
      offsetMs = 900_000;
      await assert.rejects(s3.send(new ListBucketsCommand({})), (e: unknown) => {
        const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
        return err.name === 'ExpiredToken' && err.$metadata?.httpStatusCode === 400;
      });
      const sts = await queryCall(server.endpoint, 'sts', credentials, { Action: 'GetCallerIdentity' }, { signingDate: clock() });
      assert.equal(sts.status, 403);
      assert.equal(sts.text('Code'), 'ExpiredToken');
    } finally {
      s3.destroy();
    }
  });
});
