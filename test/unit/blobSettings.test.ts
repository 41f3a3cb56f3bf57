import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/config.js';

const KEYS = { TESSERA_BLOB_ACCESS_KEY_ID: 'AKIDBLOBS', TESSERA_BLOB_SECRET_ACCESS_KEY: 'blob-secret' };

describe('blob store settings', () => {
  it('unset: blobs stay on the file system', () => {
    assert.equal(loadConfig({}, {}, '/').blobStore, undefined);
  });

  it('reads the bucket, prefix, endpoint, region and key', () => {
    const env = { ...KEYS, TESSERA_BLOB_URL: 's3://tessera-blobs/node/data/', TESSERA_BLOB_ENDPOINT: 'http://127.0.0.1:9100/', TESSERA_BLOB_REGION: 'eu-west-1' };
    assert.deepEqual(loadConfig({}, env, '/').blobStore, {
      bucket: 'tessera-blobs',
      prefix: 'node/data/',
      endpoint: 'http://127.0.0.1:9100',
      region: 'eu-west-1',
      accessKeyId: 'AKIDBLOBS',
      secretAccessKey: 'blob-secret',
      sessionToken: undefined,
    });
  });

  it('defaults: no prefix, AWS, us-east-1; flags win', () => {
    const c = loadConfig({ 'blob-url': 's3://from-flag' }, { ...KEYS, TESSERA_BLOB_URL: 's3://from-env' }, '/').blobStore;
    assert.equal(c?.bucket, 'from-flag');
    assert.equal(c?.prefix, '');
    assert.equal(c?.endpoint, undefined);
    assert.equal(c?.region, 'us-east-1');
  });

  it("falls back to AWS's own key variables", () => {
    const env = { TESSERA_BLOB_URL: 's3://b1b', AWS_ACCESS_KEY_ID: 'AKIDAWS', AWS_SECRET_ACCESS_KEY: 'aws-secret', AWS_SESSION_TOKEN: 'tok' };
    const c = loadConfig({}, env, '/').blobStore;
    assert.equal(c?.accessKeyId, 'AKIDAWS');
    assert.equal(c?.sessionToken, 'tok');
  });

  const bad: ReadonlyArray<[string, Record<string, string>]> = [
    ['a URL that is not s3://', { ...KEYS, TESSERA_BLOB_URL: 'https://bucket' }],
    ['a bad bucket name', { ...KEYS, TESSERA_BLOB_URL: 's3://Bad_Bucket' }],
    ['a prefix with ..', { ...KEYS, TESSERA_BLOB_URL: 's3://bucket/a/../b' }],
    ['an endpoint with a path', { ...KEYS, TESSERA_BLOB_URL: 's3://bucket', TESSERA_BLOB_ENDPOINT: 'http://h:9000/x' }],
    ['a bad region', { ...KEYS, TESSERA_BLOB_URL: 's3://bucket', TESSERA_BLOB_REGION: 'EU WEST' }],
    ['no key', { TESSERA_BLOB_URL: 's3://bucket' }],
    ['half a key', { TESSERA_BLOB_URL: 's3://bucket', TESSERA_BLOB_ACCESS_KEY_ID: 'AKID' }],
    ['an endpoint without a URL', { TESSERA_BLOB_ENDPOINT: 'http://127.0.0.1:9100' }],
  ];
  for (const [what, env] of bad) {
    it(`rejects ${what} with a ConfigError`, () => {
      assert.throws(() => loadConfig({}, env, '/'), ConfigError);
    });
  }
});
