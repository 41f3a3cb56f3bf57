/**
 * npm run bench:lifecycle — a lifecycle pass over a big bucket, where a rule `And{Prefix, Tag}` matches M objects.
 *
 * For each bucket size (default 1,000,000 and 2,000,000 objects, 100,000 matching in both):
 * 1. a server process seeds the bucket (see shared.ts for the layout: neither the prefix nor the tag alone selects the
 *    matches); a fresh server process serves the rest;
 * 2. PutBucketLifecycleConfiguration, then `POST /bucket?tessera-lifecycle=run` (what `tessera lifecycle run` sends):
 *    the pass that expires the matches, timed from outside, objects/s;
 * 3. the server's peak RSS (VmHWM).
 * The two sizes side by side show whether the pass's cost follows the matches or the bucket. Targets: ≥ 50,000
 * objects/s, peak RSS < 300 MB, and the larger bucket's pass within 1.5× of the smaller's.
 *
 *   node dist/bench/lifecycle/run.js [--objects N,N2] [--matches M] [--quick]
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sendSigned } from '../../src/remote/signedRequest.js';
import { ServerProcess } from '../process/ServerProcess.js';
import { BENCH_BUCKET, BENCH_CREDENTIALS, BENCH_LIFECYCLE } from './shared.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

const quick = process.argv.includes('--quick');
const sizes = (arg('objects') ?? (quick ? '100000,200000' : '1000000,2000000')).split(',').map(Number);
const matches = Number(arg('matches') ?? (quick ? 10_000 : 100_000));
const script = new URL('./server.js', import.meta.url).pathname;

function peakRssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

interface Result {
  readonly objects: number;
  readonly seconds: number;
  readonly expired: number;
  readonly rate: number;
  readonly rssMb: number;
}

async function measure(objects: number): Promise<Result> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-bench-lifecycle-'));
  try {
    const args = ['--data-dir', dataDir, '--objects', String(objects), '--matches', String(matches)];
    process.stderr.write(`seeding ${objects.toLocaleString()} objects (${matches.toLocaleString()} matching)…\n`);
    const seeder = await ServerProcess.start({ name: 'tessera-lifecycle-seed', script, args: [...args, '--seed-only'], nodeArgs: [], env: {}, startTimeoutMs: 30 * 60 * 1000 });
    await seeder.stop();
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
    const server = await ServerProcess.start({ name: 'tessera-lifecycle', script, args, nodeArgs, env: {}, startTimeoutMs: 5 * 60 * 1000 });
    try {
      const body = Buffer.from(BENCH_LIFECYCLE);
      const put = await sendSigned(server.endpoint, 'us-east-1', BENCH_CREDENTIALS, {
        method: 'PUT',
        path: `/${BENCH_BUCKET}`,
        query: 'lifecycle=',
        headers: { 'content-md5': createHash('md5').update(body).digest('base64') },
        body,
      });
      if (put.status !== 200) throw new Error(`PutBucketLifecycleConfiguration: HTTP ${put.status} ${put.body.toString()}`);
      const start = performance.now();
      const run = await sendSigned(server.endpoint, 'us-east-1', BENCH_CREDENTIALS, { method: 'POST', path: `/${BENCH_BUCKET}`, query: 'tessera-lifecycle=run' });
      const seconds = (performance.now() - start) / 1000;
      if (run.status !== 200) throw new Error(`lifecycle run: HTTP ${run.status} ${run.body.toString()}`);
      const pass = JSON.parse(run.body.toString()) as { tally: Record<string, { objects: number }> };
      const expired = pass.tally['raw-photos']?.objects ?? 0;
      return { objects, seconds, expired, rate: expired / seconds, rssMb: peakRssMb(server.pid) };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const results: Result[] = [];
for (const size of sizes) results.push(await measure(size));

console.log(`\nlifecycle pass: rule And{Prefix photos/, Tag phototype=raw} matching ${matches.toLocaleString()} objects`);
console.log('bucket objects   expired   pass s   objects/s   peak RSS MB');
for (const r of results) {
  console.log(
    `${r.objects.toLocaleString().padStart(14)} ${r.expired.toLocaleString().padStart(9)} ${r.seconds.toFixed(2).padStart(8)} ${Math.round(r.rate)
      .toLocaleString()
      .padStart(11)} ${r.rssMb.toFixed(0).padStart(13)}`,
  );
}
const first = results[0]!;
const last = results[results.length - 1]!;
const growth = last.seconds / first.seconds;
const checks: [string, boolean][] = [
  [`every match expired (${matches.toLocaleString()})`, results.every((r) => r.expired === matches)],
  [`≥ 50,000 objects/s (slowest ${Math.round(Math.min(...results.map((r) => r.rate))).toLocaleString()})`, results.every((r) => r.rate >= 50_000)],
  [`peak RSS < 300 MB (largest ${Math.max(...results.map((r) => r.rssMb)).toFixed(0)})`, results.every((r) => r.rssMb < 300)],
  [`${last.objects.toLocaleString()}-object pass within 1.5× of the ${first.objects.toLocaleString()}-object one (${growth.toFixed(2)}×)`, growth <= 1.5],
];
for (const [name, ok] of checks) console.log(`${ok ? 'ok  ' : 'MISS'} ${name}`);
