import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({}, {}, '/srv');
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.port, 9000);
    assert.equal(c.dataDir, '/srv/data');
    assert.equal(c.region, 'us-east-1');
    assert.equal(c.domain, undefined);
    assert.equal(c.rootAccessKeyId, undefined);
  });
  it('reads the environment, flags win', () => {
    const env = { TESSERA_ADDRESS: '0.0.0.0:8000', TESSERA_REGION: 'eu-west-1', TESSERA_DOMAIN: 's3.local', TESSERA_DATA_DIR: '/d' };
    const c = loadConfig({ address: '127.0.0.1:0' }, env, '/srv');
    assert.equal(c.port, 0);
    assert.equal(c.region, 'eu-west-1');
    assert.equal(c.domain, 's3.local');
    assert.equal(c.dataDir, '/d');
  });
  it('accepts IPv6 addresses', () => {
    const c = loadConfig({ address: '[::1]:9000' }, {}, '/');
    assert.equal(c.host, '::1');
  });
  const tagKeys: ReadonlyArray<[string | undefined, readonly string[]]> = [
    [undefined, []],
    ['project', ['project']],
    ['project,classification', ['project', 'classification']],
    [' project , classification ', ['project', 'classification']],
    ['project,project', ['project']],
    ['中文,a b,c:d/e=f+g-h@i_j.k', ['中文', 'a b', 'c:d/e=f+g-h@i_j.k']],
    ['AWS:x', ['AWS:x']],
    ['𠀀'.repeat(128), ['𠀀'.repeat(128)]],
    [Array.from({ length: 50 }, (_, i) => `k${i}`).join(','), Array.from({ length: 50 }, (_, i) => `k${i}`)],
  ];
  for (const [value, keys] of tagKeys) {
    it(`TESSERA_METRICS_TAG_KEYS ${JSON.stringify(value)?.slice(0, 40) ?? 'unset'} → ${keys.length} keys`, () => {
      const env = value === undefined ? {} : { TESSERA_METRICS_TAG_KEYS: value };
      assert.deepEqual(loadConfig({}, env, '/').metricsTagKeys, keys);
    });
  }
  it('the --metrics-tag-keys flag wins over the environment', () => {
    assert.deepEqual(loadConfig({ 'metrics-tag-keys': 'a' }, { TESSERA_METRICS_TAG_KEYS: 'b' }, '/').metricsTagKeys, ['a']);
  });
  it('TESSERA_BATCH_LEASE_SECONDS: unset leaves the 30 s default to the worker, a value is whole seconds', () => {
    assert.equal(loadConfig({}, {}, '/').batchLeaseSeconds, undefined);
    assert.equal(loadConfig({}, { TESSERA_BATCH_LEASE_SECONDS: '4' }, '/').batchLeaseSeconds, 4);
    assert.equal(loadConfig({ 'batch-lease-seconds': '7' }, { TESSERA_BATCH_LEASE_SECONDS: '4' }, '/').batchLeaseSeconds, 7);
  });
  const bad: ReadonlyArray<[string, Record<string, string>]> = [
    ['address without port', { TESSERA_ADDRESS: 'localhost' }],
    ['port out of range', { TESSERA_ADDRESS: 'localhost:70000' }],
    ['half the root credentials', { TESSERA_ROOT_ACCESS_KEY_ID: 'AKIDEXAMPLE' }],
    ['a bad account id', { TESSERA_ACCOUNT_ID: '12' }],
    ['a bad region', { TESSERA_REGION: 'EU WEST' }],
    ['a bad log level', { TESSERA_LOG_LEVEL: 'loud' }],
    ['an empty tracked tag key', { TESSERA_METRICS_TAG_KEYS: 'project,,class' }],
    ['a tracked tag key starting with aws:', { TESSERA_METRICS_TAG_KEYS: 'aws:createdBy' }],
    ['a tracked tag key of 129 characters', { TESSERA_METRICS_TAG_KEYS: 'k'.repeat(129) }],
    ['a tracked tag key with a character tags cannot have', { TESSERA_METRICS_TAG_KEYS: 'cost#center' }],
    ['a batch lease of 0 seconds', { TESSERA_BATCH_LEASE_SECONDS: '0' }],
    ['a batch lease of 1.5 seconds', { TESSERA_BATCH_LEASE_SECONDS: '1.5' }],
    ['51 tracked tag keys', { TESSERA_METRICS_TAG_KEYS: Array.from({ length: 51 }, (_, i) => `k${i}`).join(',') }],
  ];
  for (const [what, env] of bad) {
    it(`rejects ${what} with a ConfigError`, () => {
      assert.throws(() => loadConfig({}, env, '/'), ConfigError);
    });
  }
});
