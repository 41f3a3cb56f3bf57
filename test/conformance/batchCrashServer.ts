/**
 * A Tessera for the kill -9 test of test/conformance/batchCrash.test.ts: batch roles from FakeRoles, a bucket seeded
 * with N objects on first start. Prints `listening on http://…` when ready.
 *   node batchCrashServer.js <dataDir> <bucket> <objects>
 */
import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { startTessera } from '../../src/main.js';
import { testConfig } from '../support/testServer.js';
import { ACCOUNT, FakeRoles, ALLOW_TAGGING } from './batchSupport.js';

const [dataDir, bucket, count] = process.argv.slice(2) as [string, string, string];
const roles = new FakeRoles();
roles.add('batch-tagger', [ALLOW_TAGGING]);
const config = testConfig(dataDir);
const server = await startTessera(config, { logger: pino({ level: 'silent' }), roles });
const metadata = server.metadata;
if ((await metadata.getBucket(bucket)) === undefined) {
  await metadata.createBucket({ name: bucket, ownerAccountId: ACCOUNT, region: config.region, createdAt: new Date(), versioning: 'Unversioned' });
  const etag = createHash('md5').digest('hex');
  for (let first = 0; first < Number(count); first += 5000) {
    const writes: Promise<unknown>[] = [];
    for (let i = first; i < Math.min(Number(count), first + 5000); i++) {
      writes.push(
        metadata.putVersion(
          {
            bucket,
            key: `k/${String(i).padStart(7, '0')}`,
            versionId: 'null',
            isDeleteMarker: false,
            lastModified: new Date(),
            ownerAccountId: ACCOUNT,
            size: 0,
            etag,
            storageClass: 'STANDARD',
            contentHeaders: {},
            userMetadata: {},
            segments: [],
            tags: [{ key: 'old', value: '1' }],
          },
          { replaceNull: true },
        ),
      );
    }
    await Promise.all(writes);
  }
}
process.stdout.write(`listening on ${server.endpoint}\n`);
