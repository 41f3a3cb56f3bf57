/**
 * The server of `npm run bench:batch`: Tessera with a role every job may act as, and a bucket seeded with N empty
 * objects through the metadata store (the ordinary putVersion, 1,000 per group-commit transaction). Prints
 * `listening on http://…` once ready (bench/process/ServerProcess.ts waits for it). With --metadata-url the metadata is
 * on that PostgreSQL database (seeded the same way, one transaction per object, 16 connections); several servers may
 * share it and the data dir.
 *
 *   node dist/bench/batch/server.js --data-dir DIR --bucket NAME --objects N [--metadata-url postgres://…] [--seed-only]
 */
import { pino } from 'pino';
import { loadConfig } from '../../src/config/config.js';
import type { RoleDirectory } from '../../src/core/identity/RoleDirectory.js';
import { startTessera } from '../../src/main.js';
import { emptyVersion } from '../support/emptyVersion.js';
import { BENCH_ACCOUNT, BENCH_CREDENTIALS, BENCH_ROLE_ARN, benchKey } from './shared.js';

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i < 0 ? undefined : process.argv[i + 1];
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
}

const roles: RoleDirectory = {
  roleByArn: (arn) =>
    Promise.resolve(
      arn !== BENCH_ROLE_ARN
        ? undefined
        : {
            accountId: BENCH_ACCOUNT,
            roleName: 'bench-batch',
            arn,
            trustPolicy: JSON.stringify({
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Principal: { Service: 'batchoperations.s3.amazonaws.com' }, Action: 'sts:AssumeRole' }],
            }),
            policies: [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutObjectTagging', Resource: '*' }] })],
          },
    ),
};

const dataDir = arg('data-dir');
const bucket = arg('bucket');
const objects = Number(arg('objects'));
const metadataUrl = process.argv.includes('--metadata-url') ? arg('metadata-url') : undefined;
const config = loadConfig(
  {
    address: '127.0.0.1:0',
    'data-dir': dataDir,
    'root-access-key-id': BENCH_CREDENTIALS.accessKeyId,
    'root-secret-access-key': BENCH_CREDENTIALS.secretAccessKey,
    'log-level': 'warn',
    ...(metadataUrl !== undefined ? { 'metadata-url': metadataUrl } : {}),
  },
  {},
  process.cwd(),
);
const tessera = await startTessera(config, { logger: pino({ level: 'warn' }), roles });
const metadata = tessera.metadata;
const started = Date.now();
const fresh = (await metadata.getBucket(bucket)) === undefined;
if (fresh) {
  await metadata.createBucket({ name: bucket, ownerAccountId: BENCH_ACCOUNT, region: config.region, createdAt: new Date(), versioning: 'Unversioned' });
}
const batch = 5_000;
for (let first = 0; fresh && first < objects; first += batch) {
  const writes: Promise<unknown>[] = [];
  for (let i = first; i < Math.min(objects, first + batch); i++) {
    writes.push(
      metadata.putVersion(emptyVersion(bucket, benchKey(i), BENCH_ACCOUNT), { replaceNull: true }),
    );
  }
  await Promise.all(writes);
}
if (fresh) process.stderr.write(`seeded ${objects} objects in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
if (process.argv.includes('--seed-only')) {
  // the measured server starts fresh on the seeded data: seeding leaves nothing in its memory
  await tessera.close();
  process.stdout.write('listening on http://seeded\n');
  process.exit(0);
}
process.stdout.write(`listening on ${tessera.endpoint}\n`);
const shutdown = (): void => {
  void tessera.close().then(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
