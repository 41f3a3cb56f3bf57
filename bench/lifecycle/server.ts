/**
 * The server of `npm run bench:lifecycle`: Tessera with a bucket seeded with N empty objects a year old, laid out by
 * benchObject, through the metadata store (the ordinary putVersion, many per group-commit transaction). Prints
 * `listening on http://…` once ready (bench/process/ServerProcess.ts waits for it).
 *
 *   node dist/bench/lifecycle/server.js --data-dir DIR --objects N --matches M [--seed-only]
 */
import { pino } from 'pino';
import { loadConfig } from '../../src/config/config.js';
import { startTessera } from '../../src/main.js';
import { emptyVersion } from '../support/emptyVersion.js';
import { BENCH_ACCOUNT, BENCH_BUCKET, BENCH_CREDENTIALS, benchObject } from './shared.js';

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i < 0 ? undefined : process.argv[i + 1];
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
}

const dataDir = arg('data-dir');
const objects = Number(arg('objects'));
const matches = Number(arg('matches'));
const config = loadConfig(
  {
    address: '127.0.0.1:0',
    'data-dir': dataDir,
    'root-access-key-id': BENCH_CREDENTIALS.accessKeyId,
    'root-secret-access-key': BENCH_CREDENTIALS.secretAccessKey,
    'log-level': 'warn',
  },
  {},
  process.cwd(),
);
const tessera = await startTessera(config, { logger: pino({ level: 'warn' }) });
const metadata = tessera.metadata;
const started = Date.now();
const fresh = (await metadata.getBucket(BENCH_BUCKET)) === undefined;
if (fresh) {
  await metadata.createBucket({ name: BENCH_BUCKET, ownerAccountId: BENCH_ACCOUNT, region: config.region, createdAt: new Date(), versioning: 'Unversioned' });
}
const yearAgo = new Date(Date.now() - 365 * 86_400_000);
const batch = 5_000;
for (let first = 0; fresh && first < objects; first += batch) {
  const writes: Promise<unknown>[] = [];
  for (let i = first; i < Math.min(objects, first + batch); i++) {
    const { key, tags } = benchObject(i, matches);
    writes.push(
      metadata.putVersion(emptyVersion(BENCH_BUCKET, key, BENCH_ACCOUNT, { lastModified: yearAgo, tags }), { replaceNull: true }),
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
