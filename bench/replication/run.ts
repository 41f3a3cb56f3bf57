/**
 * npm run bench:replication — bucket replication between two Tessera processes, beside the source's own write rate.
 *
 * 1. A destination server and a source server (each `tessera server` on its own data dir); the destination is
 *    registered on the source with `tessera remotes add`.
 * 2. Source PUT rate of 4 KiB objects, 32 in flight, into a versioned bucket WITHOUT replication (the baseline), then
 *    into one WITH replication — same count, same client, same run. Target: with ≥ 80% of without.
 * 3. Replication lag of those objects: a poller lists the destination every 50 ms and notes when each key first
 *    appears; lag = first seen − the source's acknowledgement (so it is measured to within the poll interval).
 *    Throughput: objects / (last replicated − first acknowledged).
 * 4. Tag edits: PutObjectTagging on every replicated object (32 in flight), timed until the source's pending count is
 *    0 (throughput); and the lag of single tag edits, one at a time, until the destination shows the new tag (p50/p99).
 *
 *   node dist/bench/replication/run.js [--objects N] [--quick]
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sendSigned } from '../../src/remote/signedRequest.js';
import { BenchClient, prepareBody, type PreparedBody } from '../client/BenchClient.js';
import { runPhase } from '../load/closedLoop.js';
import { ServerProcess } from '../process/ServerProcess.js';

const CREDENTIALS = { accessKeyId: 'TESSERABENCHROOTKEY1', secretAccessKey: 'tessera-bench-root-secret-key-000000000000' };
const cli = new URL('../../src/cli/main.js', import.meta.url).pathname;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}
const quick = process.argv.includes('--quick');
const objects = Number(arg('objects') ?? (quick ? 1000 : 5000));
const tagSamples = quick ? 30 : 100;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function startServer(name: string, dataDir: string): Promise<ServerProcess> {
  return ServerProcess.start({
    name,
    script: cli,
    args: ['server'],
    nodeArgs: [],
    env: {
      TESSERA_ADDRESS: '127.0.0.1:0',
      TESSERA_DATA_DIR: dataDir,
      TESSERA_ROOT_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      TESSERA_ROOT_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      TESSERA_LOG_LEVEL: 'warn',
    },
    startTimeoutMs: 60_000,
  });
}

async function call(endpoint: string, method: string, path: string, query = '', body?: string): Promise<string> {
  const bytes = body === undefined ? undefined : Buffer.from(body);
  const res = await sendSigned(endpoint, 'us-east-1', CREDENTIALS, {
    method,
    path,
    query,
    ...(bytes === undefined ? {} : { body: bytes, headers: { 'content-md5': createHash('md5').update(bytes).digest('base64') } }),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}?${query}: HTTP ${res.status} ${res.body.toString()}`);
  return res.body.toString('utf8');
}

const versioning = '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>';
const key = (i: number): string => `o/${String(i).padStart(8, '0')}`;

const dirs = [mkdtempSync(join(tmpdir(), 'tessera-bench-repl-src-')), mkdtempSync(join(tmpdir(), 'tessera-bench-repl-dst-'))];
const [srcDir, dstDir] = dirs as [string, string];
const destination = await startServer('tessera-replication-destination', dstDir);
const source = await startServer('tessera-replication-source', srcDir);
try {
  const added = spawnSync(process.execPath, [cli, 'remotes', 'add', 'dst', '--endpoint', destination.endpoint, '--access-key-id', CREDENTIALS.accessKeyId, '--secret-access-key', CREDENTIALS.secretAccessKey, '--data-dir', srcDir]);
  if (added.status !== 0) throw new Error(`remotes add failed: ${added.stderr.toString()}`);
  for (const [endpoint, bucket] of [[source.endpoint, 'bench-plain'], [source.endpoint, 'bench-repl'], [destination.endpoint, 'bench-dest']] as const) {
    await call(endpoint, 'PUT', `/${bucket}`);
    await call(endpoint, 'PUT', `/${bucket}`, 'versioning=', versioning);
  }
  await call(
    source.endpoint,
    'PUT',
    '/bench-repl',
    'replication=',
    `<ReplicationConfiguration><Role>arn:aws:iam::000000000000:role/replication</Role><Rule><ID>all</ID><Priority>1</Priority><Status>Enabled</Status><Filter><Prefix></Prefix></Filter><Destination><Bucket>arn:aws:s3:::bench-dest</Bucket></Destination><DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication></Rule></ReplicationConfiguration>`,
  );

  const client = new BenchClient(source.endpoint, CREDENTIALS, { maxSockets: 32 });
  const body = prepareBody(randomBytes(4096));
  const put = (bucket: string, acks?: number[]) => async (seq: number): Promise<number> => {
    await client.putObject(bucket, key(seq), body, false);
    if (acks !== undefined) acks[seq] = performance.now();
    return body.data.length;
  };
  // warm both paths, then the baseline
  await runPhase({ concurrency: 32, bound: { count: 200 }, op: put('bench-plain'), firstSeq: 1_000_000 });
  const plain = await runPhase({ concurrency: 32, bound: { count: objects }, op: put('bench-plain'), firstSeq: 0 });

  const acks: number[] = [];
  const seen = new Map<string, number>();
  let polling = true;
  const poller = (async () => {
    while (polling || seen.size < objects) {
      let token: string | undefined;
      do {
        const query = `list-type=2&prefix=o%2F${token === undefined ? '' : `&continuation-token=${encodeURIComponent(token)}`}`;
        const xml = await call(destination.endpoint, 'GET', '/bench-dest', query);
        const now = performance.now();
        for (const m of xml.matchAll(/<Key>([^<]+)<\/Key>/g)) if (!seen.has(m[1]!)) seen.set(m[1]!, now);
        token = /<NextContinuationToken>([^<]+)<\/NextContinuationToken>/.exec(xml)?.[1];
      } while (token !== undefined);
      if (!polling && seen.size >= objects) break;
      await new Promise((r) => setTimeout(r, 50));
      if (performance.now() - (acks[objects - 1] ?? performance.now()) > 120_000) break;
    }
  })();
  const replicated = await runPhase({ concurrency: 32, bound: { count: objects }, op: put('bench-repl', acks), firstSeq: 0 });
  polling = false;
  await poller;
  const lags = [...Array(objects).keys()].map((i) => (seen.get(key(i)) ?? Number.NaN) - acks[i]!).filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const firstAck = Math.min(...acks);
  const lastSeen = Math.max(...seen.values());

  // tag edits: throughput until the source's backlog is empty
  const tagging = (value: string): PreparedBody =>
    prepareBody(Buffer.from(`<Tagging><TagSet><Tag><Key>round</Key><Value>${value}</Value></Tag></TagSet></Tagging>`));
  const tagBody = tagging('one');
  const tagStart = performance.now();
  const tagged = await runPhase({
    concurrency: 32,
    bound: { count: objects },
    op: async (seq) => {
      await client.send({ method: 'PUT', bucket: 'bench-repl', key: key(seq), subresource: 'tagging', body: tagBody });
      return 0;
    },
    firstSeq: 0,
  });
  for (;;) {
    const status = JSON.parse(await call(source.endpoint, 'GET', '/bench-repl', 'tessera-replication=status')) as { pending: number };
    if (status.pending === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const tagSeconds = (performance.now() - tagStart) / 1000;

  // single tag edits, one at a time: until the destination shows the new value
  const tagLags: number[] = [];
  for (let i = 0; i < tagSamples; i++) {
    const value = `s${i}`;
    const t0 = performance.now();
    await client.send({ method: 'PUT', bucket: 'bench-repl', key: key(i), subresource: 'tagging', body: tagging(value) });
    const acked = performance.now();
    for (;;) {
      const xml = await call(destination.endpoint, 'GET', `/bench-dest/${key(i)}`, 'tagging=');
      if (xml.includes(`<Value>${value}</Value>`)) break;
      if (performance.now() - t0 > 30_000) throw new Error(`tag edit ${i} not replicated in 30 s`);
      await new Promise((r) => setTimeout(r, 2));
    }
    tagLags.push(performance.now() - acked);
  }
  tagLags.sort((a, b) => a - b);

  const rate = (o: { ops: number; elapsedMs: number }): number => (o.ops * 1000) / o.elapsedMs;
  const ratio = rate(replicated) / rate(plain);
  console.log(`\nreplication between two Tessera processes, ${objects.toLocaleString()} objects of 4 KiB, 32 in flight`);
  console.log(`source PUT rate without replication   ${rate(plain).toFixed(0).padStart(7)} /s`);
  console.log(`source PUT rate with replication      ${rate(replicated).toFixed(0).padStart(7)} /s   (${(ratio * 100).toFixed(0)}% of without)`);
  console.log(`objects replicated                    ${seen.size.toLocaleString().padStart(7)}   in ${((lastSeen - firstAck) / 1000).toFixed(2)} s: ${((seen.size * 1000) / (lastSeen - firstAck)).toFixed(0)} /s`);
  console.log(`replication lag under load (±50 ms)   p50 ${percentile(lags, 50).toFixed(0)} ms, p99 ${percentile(lags, 99).toFixed(0)} ms`);
  console.log(`tag edits replicated                  ${tagged.ops.toLocaleString().padStart(7)}   in ${tagSeconds.toFixed(2)} s: ${(tagged.ops / tagSeconds).toFixed(0)} /s`);
  console.log(`single tag edit lag (${tagSamples} samples)      p50 ${percentile(tagLags, 50).toFixed(1)} ms, p99 ${percentile(tagLags, 99).toFixed(1)} ms`);
  const checks: [string, boolean][] = [
    [`every object replicated (${seen.size}/${objects})`, seen.size === objects],
    [`source PUT rate with replication ≥ 80% of without (${(ratio * 100).toFixed(0)}%)`, ratio >= 0.8],
  ];
  for (const [name, ok] of checks) console.log(`${ok ? 'ok  ' : 'MISS'} ${name}`);
} finally {
  await source.stop();
  await destination.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
