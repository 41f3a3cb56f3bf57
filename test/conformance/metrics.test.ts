import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateBucketCommand,
  S3Client,
  DeleteBucketMetricsConfigurationCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketLifecycleConfigurationCommand,
  PutBucketMetricsConfigurationCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type MetricsFilter,
} from '@aws-sdk/client-s3';
import { ListJobsCommand } from '@aws-sdk/client-s3-control';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/config.js';
import { startTessera } from '../../src/main.js';
import { scrape } from '../support/prometheus.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../support/testServer.js';
import { controlClient } from './batchSupport.js';

describe('metrics: /_tessera/metrics on the S3 port', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.stop());

  it('counts a scripted workload exactly, by API, operation, status class and error code', async () => {
    const url = t.server.metricsUrl;
    assert.equal(url, `${t.endpoint}/_tessera/metrics`);
    await t.s3.send(new CreateBucketCommand({ Bucket: 'counted' }));
    const sizes = [1, 10, 100, 1000, 10_000];
    for (const [i, size] of sizes.entries()) await t.s3.send(new PutObjectCommand({ Bucket: 'counted', Key: `k${i}`, Body: Buffer.alloc(size, 1) }));
    for (const i of [0, 1, 4]) await (await t.s3.send(new GetObjectCommand({ Bucket: 'counted', Key: `k${i}` }))).Body?.transformToByteArray();
    for (const key of ['nope1', 'nope2']) await assert.rejects(t.s3.send(new GetObjectCommand({ Bucket: 'counted', Key: key })), { name: 'NoSuchKey' });
    await t.s3.send(new HeadObjectCommand({ Bucket: 'counted', Key: 'k0' }));
    await t.s3.send(new ListObjectsV2Command({ Bucket: 'counted' }));
    const control = controlClient(t.endpoint);
    await control.send(new ListJobsCommand({ AccountId: '000000000000' }));
    control.destroy();

    const m = await scrape(url);
    const requests = (api: string, operation: string, status: string): number => m.value('tessera_requests_total', { api, operation, status });
    assert.equal(requests('s3', 'CreateBucket', '2xx'), 1);
    assert.equal(requests('s3', 'PutObject', '2xx'), 5);
    assert.equal(requests('s3', 'GetObject', '2xx'), 3);
    assert.equal(requests('s3', 'GetObject', '4xx'), 2);
    assert.equal(requests('s3', 'HeadObject', '2xx'), 1);
    assert.equal(requests('s3', 'ListObjectsV2', '2xx'), 1);
    assert.equal(requests('s3-control', 'ListJobs', '2xx'), 1);
    assert.equal(m.value('tessera_request_errors_total', { api: 's3', code: 'NoSuchKey' }), 2);
    assert.equal(m.value('tessera_request_body_bytes_total', { api: 's3', operation: 'PutObject' }), 11_111, 'the bodies, not their aws-chunked framing');
    assert.equal(m.value('tessera_response_body_bytes_total', { api: 's3', operation: 'GetObject' }) >= 1 + 10 + 10_000, true);
    assert.equal(m.histogramCount('tessera_request_duration_seconds', { api: 's3', operation: 'PutObject' }), 5, 'the histogram counted every PUT');
    assert.equal(m.histogramCount('tessera_request_first_byte_seconds', { api: 's3', operation: 'GetObject' }), 5);
    assert.equal(m.families.get('tessera_request_duration_seconds')?.type, 'HISTOGRAM');
    assert.ok(m.value('tessera_metadata_commits_total') >= 6, 'group commits reported');
    assert.ok(m.histogramCount('tessera_metadata_commit_writes', {}) >= 6);
    assert.ok(m.families.has('process_cpu_user_seconds_total'), "prom-client's process metrics");
    assert.ok(m.families.has('nodejs_eventloop_lag_seconds'), "and Node's");
    for (const label of ['bucket', 'key']) {
      assert.ok(!m.samples('tessera_requests_total').some((s) => s.labels?.[label] !== undefined), `no ${label} label on the request families`);
    }
  });

  it('counts each metrics configuration exactly, by key and by the object\'s tags at the time of the request', async () => {
    const s3 = t.s3;
    await s3.send(new CreateBucketCommand({ Bucket: 'filtered' }));
    const filters: [string, MetricsFilter | undefined][] = [
      ['all', undefined],
      ['logs', { Prefix: 'logs/' }],
      ['secret', { Tag: { Key: 'class', Value: 'secret' } }],
      ['logs-secret', { And: { Prefix: 'logs/', Tags: [{ Key: 'class', Value: 'secret' }] } }],
    ];
    for (const [Id, Filter] of filters) {
      await s3.send(new PutBucketMetricsConfigurationCommand({ Bucket: 'filtered', Id, MetricsConfiguration: { Id, ...(Filter === undefined ? {} : { Filter }) } }));
    }
    const put = (Key: string, size: number, Tagging: string) => s3.send(new PutObjectCommand({ Bucket: 'filtered', Key, Body: Buffer.alloc(size, 7), Tagging }));
    const get = async (Key: string) => (await s3.send(new GetObjectCommand({ Bucket: 'filtered', Key }))).Body?.transformToByteArray();
    await put('logs/a', 100, 'class=secret');
    await put('logs/b', 10, 'class=public');
    await put('data/c', 1, 'class=secret');
    await get('logs/a');
    await get('logs/a');
    await get('logs/b');
    await get('data/c');
    await s3.send(new HeadObjectCommand({ Bucket: 'filtered', Key: 'logs/b' }));
    // the tag change moves logs/b from 'logs' alone into 'secret' and 'logs-secret' too (a tag write counts under its new tags)
    await s3.send(new PutObjectTaggingCommand({ Bucket: 'filtered', Key: 'logs/b', Tagging: { TagSet: [{ Key: 'class', Value: 'secret' }] } }));
    await get('logs/b');
    await assert.rejects(get('logs/zzz'), { name: 'NoSuchKey' });
    await s3.send(new ListObjectsV2Command({ Bucket: 'filtered', Prefix: 'logs/' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'filtered', Key: 'data/c' }));

    const m = await scrape(t.server.metricsUrl as string);
    const of = (family: string, id: string): number => m.value(`tessera_bucket_${family}`, { bucket: 'filtered', filter_id: id });
    const expected: Record<string, Record<string, number>> = {
      // the unfiltered configuration also counts the four PutBucketMetricsConfiguration requests (its own included)
      all: { all_requests_total: 17, put_requests_total: 4, get_requests_total: 6, head_requests_total: 1, list_requests_total: 1, delete_requests_total: 1, '4xx_errors_total': 1 },
      logs: { all_requests_total: 10, put_requests_total: 3, get_requests_total: 5, head_requests_total: 1, list_requests_total: 1, delete_requests_total: 0, '4xx_errors_total': 1 },
      secret: { all_requests_total: 8, put_requests_total: 3, get_requests_total: 4, head_requests_total: 0, list_requests_total: 0, delete_requests_total: 1, '4xx_errors_total': 0 },
      'logs-secret': { all_requests_total: 5, put_requests_total: 2, get_requests_total: 3, head_requests_total: 0, list_requests_total: 0, delete_requests_total: 0, '4xx_errors_total': 0 },
    };
    for (const [id, families] of Object.entries(expected)) {
      for (const [family, count] of Object.entries(families)) assert.equal(of(family, id), count, `${family} of ${id}`);
    }
    assert.equal(of('bytes_downloaded_total', 'logs-secret'), 100 + 100 + 10);
    assert.equal(of('bytes_downloaded_total', 'secret'), 100 + 100 + 1 + 10);
    assert.ok(of('bytes_downloaded_total', 'logs') > 100 + 100 + 10 + 10, 'any response body counts: the listing and the NoSuchKey error too');
    assert.ok(of('bytes_uploaded_total', 'secret') > 101, 'the two secret PUTs and the tagging body');
    assert.equal(m.histogramCount('tessera_bucket_total_request_latency_seconds', { bucket: 'filtered', filter_id: 'logs-secret' }), 5);
    assert.equal(m.histogramCount('tessera_bucket_first_byte_latency_seconds', { bucket: 'filtered', filter_id: 'all' }), 17);
    for (const sample of m.samples('tessera_bucket_all_requests_total')) {
      assert.deepEqual(Object.keys(sample.labels ?? {}).sort(), ['bucket', 'filter_id'], 'no key or tag value becomes a label');
    }

    await s3.send(new DeleteBucketMetricsConfigurationCommand({ Bucket: 'filtered', Id: 'logs-secret' }));
    const after = await scrape(t.server.metricsUrl as string);
    assert.equal(after.samples('tessera_bucket_all_requests_total', { bucket: 'filtered', filter_id: 'logs-secret' }).length, 0, 'a deleted configuration\'s series go');
    assert.equal(after.value('tessera_bucket_all_requests_total', { bucket: 'filtered', filter_id: 'all' }), 18, 'and the DELETE of the configuration');
  });

  it('lifecycle and batch families: buckets with rules, their passes, jobs by status', async () => {
    await t.s3.send(new CreateBucketCommand({ Bucket: 'aging' }));
    await t.s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: 'aging',
        LifecycleConfiguration: { Rules: [{ ID: 'old', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 30 } }] },
      }),
    );
    await t.server.services.lifecycle.runPass('aging', { trigger: 'api' });
    const m = await scrape(t.server.metricsUrl as string);
    assert.equal(m.value('tessera_lifecycle_buckets'), 1);
    assert.equal(m.value('tessera_lifecycle_pass_running', { bucket: 'aging' }), 0, 'the pass finished');
    assert.ok(m.samples('tessera_lifecycle_last_pass_age_seconds', { bucket: 'aging' }).length === 1);
    assert.ok(m.families.has('tessera_batch_jobs') || m.text.includes('# TYPE tessera_batch_jobs gauge'));
  });

  it('a scrape is GET or HEAD only, and the path is no bucket of S3', async () => {
    const res = await fetch(t.server.metricsUrl as string, { method: 'POST' });
    assert.equal(res.status, 405);
    const m = await scrape(t.server.metricsUrl as string);
    assert.equal(m.value('tessera_requests_total', { operation: 'Unknown' }), 0, 'a scrape is not an S3 request');
  });
});

describe('metrics: TESSERA_METRICS_ADDRESS, TESSERA_METRICS_TOKEN, TESSERA_METRICS=off', () => {
  const dirs: string[] = [];
  const start = async (env: Record<string, string>) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-metrics-'));
    dirs.push(dataDir);
    const config = loadConfig(
      { address: '127.0.0.1:0', 'data-dir': dataDir, 'root-access-key-id': ROOT_KEY.accessKeyId, 'root-secret-access-key': ROOT_KEY.secretAccessKey },
      env,
      process.cwd(),
    );
    return startTessera(config, { logger: pino({ level: 'silent' }) });
  };
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a separate listener serves /metrics, and the S3 port no longer does', async () => {
    const s = await start({ TESSERA_METRICS_ADDRESS: '127.0.0.1:0' });
    try {
      assert.match(s.metricsUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      assert.ok(!(s.metricsUrl ?? '').startsWith(s.endpoint));
      const m = await scrape(s.metricsUrl as string);
      assert.ok(m.families.has('tessera_requests_total'));
      const onS3Port = await fetch(`${s.endpoint}/_tessera/metrics`);
      assert.notEqual(onS3Port.status, 200);
      assert.match(await onS3Port.text(), /<Error>/, 'an S3 answer');
      assert.equal((await fetch(new URL('/other', s.metricsUrl))).status, 404);
    } finally {
      await s.close();
    }
  });

  it('with a token, a scrape without it is refused', async () => {
    const s = await start({ TESSERA_METRICS_TOKEN: 'sesame-0123' });
    try {
      assert.equal((await fetch(s.metricsUrl as string)).status, 401);
      assert.equal((await fetch(s.metricsUrl as string, { headers: { authorization: 'Bearer wrong-token' } })).status, 401);
      const m = await scrape(s.metricsUrl as string, { headers: { authorization: 'Bearer sesame-0123' } });
      assert.ok(m.families.has('tessera_requests_total'));
    } finally {
      await s.close();
    }
  });

  it('storage figures per bucket and per value of the tracked tag keys follow every write, without a scan', async () => {
    const s = await start({ TESSERA_METRICS_TAG_KEYS: 'class,project' });
    const s3 = new S3Client({ endpoint: s.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: ROOT_KEY });
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'figures' }));
      for (let i = 0; i < 5; i++) {
        await s3.send(new PutObjectCommand({ Bucket: 'figures', Key: `o${i}`, Body: Buffer.alloc(100 * (i + 1)), Tagging: i < 3 ? 'class=secret' : 'class=public' }));
      }
      await s3.send(new PutObjectCommand({ Bucket: 'figures', Key: 'untagged', Body: Buffer.alloc(7) }));
      let m = await scrape(s.metricsUrl as string);
      const tag = (value: string, family = 'objects'): number => m.value(`tessera_tag_${family}`, { bucket: 'figures', tag_key: 'class', tag_value: value });
      assert.equal(m.value('tessera_bucket_objects', { bucket: 'figures' }), 6);
      assert.equal(m.value('tessera_bucket_object_bytes', { bucket: 'figures' }), 1507);
      assert.equal(tag('secret'), 3);
      assert.equal(tag('secret', 'bytes'), 600);
      assert.equal(tag('public'), 2);
      await s3.send(new PutObjectTaggingCommand({ Bucket: 'figures', Key: 'o0', Tagging: { TagSet: [{ Key: 'class', Value: 'public' }] } }));
      await s3.send(new DeleteObjectCommand({ Bucket: 'figures', Key: 'o4' }));
      m = await scrape(s.metricsUrl as string);
      assert.equal(tag('secret'), 2, 'the tag change moved o0');
      assert.equal(tag('public'), 2, 'o0 came, o4 went');
      assert.equal(tag('public', 'bytes'), 100 + 400);
      assert.equal(m.value('tessera_bucket_objects', { bucket: 'figures' }), 5);
      assert.equal(m.samples('tessera_tag_objects', { tag_key: 'project' }).length, 0, 'no series for a key no object carries');
    } finally {
      s3.destroy();
      await s.close();
    }
  });

  it('off: nothing is exported', async () => {
    const s = await start({ TESSERA_METRICS: 'off' });
    try {
      assert.equal(s.metricsUrl, undefined);
      const res = await fetch(`${s.endpoint}/_tessera/metrics`);
      assert.notEqual(res.status, 200);
      assert.doesNotMatch(await res.text(), /tessera_requests_total/);
    } finally {
      await s.close();
    }
  });
});
