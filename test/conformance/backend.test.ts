import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import { startTestServer, testMetadataBackend, type TestServer } from '../support/testServer.js';
import { createTestDatabase } from '../support/postgresCluster.js';

// Runs in both passes of `npm test`: proves each pass really runs on the backend it names.
describe(`the metadata backend (${testMetadataBackend()})`, () => {
  let t: TestServer;
  let database: { url: string; dispose(): Promise<void> } | undefined;
  before(async () => {
    database = testMetadataBackend() === 'postgres' ? await createTestDatabase() : undefined;
    t = await startTestServer(database === undefined ? {} : { metadataUrl: database.url });
  });
  after(async () => {
    await t.stop();
    await database?.dispose();
  });

  it('is the one this pass asks for, and holds what the server writes', async () => {
    assert.equal(t.server.metadataBackend, testMetadataBackend());
    await t.s3.send(new CreateBucketCommand({ Bucket: 'backend-check' }));
    await t.s3.send(new PutObjectCommand({ Bucket: 'backend-check', Key: 'k', Body: 'x', Tagging: 'a=b' }));
    if (database === undefined) return;
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const rows = await client.query<{ key: string; tag: string }>(
        "SELECT v.key, t.key || '=' || t.value AS tag FROM versions v JOIN object_tags t ON t.version_row = v.id WHERE v.bucket = 'backend-check'",
      );
      assert.deepEqual(rows.rows, [{ key: 'k', tag: 'a=b' }]);
    } finally {
      await client.end();
    }
  });
});
