/**
 * npm run bench:batch — S3 Batch Operations against the client-side loop people write instead.
 *
 * 1. A server process seeds a bucket with N objects (default 1,000,000); a fresh server process serves the rest.
 * 2. Small manifests: CreateJob → Active latency (median of 5).
 * 3. Jobs tagging the first 200,000 and all N objects (S3PutObjectTagging, completion report AllTasks; --sizes a,b
 *    chooses): CreateJob → Complete, objects/s, the ratio to the client loop, and when each phase ended (Active,
 *    first tasks counted, all tasks counted, Complete with the report written).
 * 4. The client-side loop: PutObjectTagging over HTTP, 32 in flight, a lightweight SigV4 client (bench/client), on a
 *    sample of the same objects; objects/s.
 * Prints the figures, the ratio, and the server's peak RSS (VmHWM), and checks them against the targets.
 *
 *   node dist/bench/batch/run.js [--objects N] [--client-objects M] [--sizes a,b,…] [--quick]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CreateJobCommand, DescribeJobCommand, S3ControlClient, type JobDescriptor } from '@aws-sdk/client-s3-control';
import { BenchClient, prepareBody } from '../client/BenchClient.js';
import { runPhase } from '../load/closedLoop.js';
import { ServerProcess } from '../process/ServerProcess.js';
import { BENCH_ACCOUNT, BENCH_CREDENTIALS, BENCH_ROLE_ARN, benchKey } from './shared.js';

function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

const quick = process.argv.includes('--quick');
const objects = numberArg('objects', quick ? 100_000 : 1_000_000);
const clientObjects = Math.min(objects, numberArg('client-objects', quick ? 20_000 : 100_000));
/** Job sizes (manifests of the first n objects): 200,000 (where fixed costs show) and the whole bucket. */
const sizesArg = process.argv.indexOf('--sizes');
const sizes = (sizesArg < 0 ? [200_000, objects] : process.argv[sizesArg + 1]!.split(',').map(Number))
  .filter((n, i, all) => n > 0 && n <= objects && all.indexOf(n) === i)
  .sort((a, b) => a - b);
const bucket = 'bench-batch';
const reports = 'bench-batch-reports';

/** CPU seconds (user + system) the process has used: steadier than wall time on a shared machine. */
function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime (fields 14 and 15), in 1/100 s
  } catch {
    return NaN;
  }
}

function memoryOf(pid: number): { rssMb: number; hwmMb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return { rssMb: 0, hwmMb: 0 };
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'tessera-bench-batch-'));
const script = new URL('./server.js', import.meta.url).pathname;
process.stderr.write(`seeding ${objects.toLocaleString()} objects…\n`);
const seedStart = performance.now();
const seeder = await ServerProcess.start({
  name: 'tessera-batch-seed',
  script,
  args: ['--data-dir', dataDir, '--bucket', bucket, '--objects', String(objects), '--seed-only'],
  nodeArgs: [],
  env: {},
  startTimeoutMs: 30 * 60 * 1000,
});
await seeder.stop();
process.stderr.write(`seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s\n`);
const server = await ServerProcess.start({
  name: 'tessera-batch',
  script,
  args: ['--data-dir', dataDir, '--bucket', bucket, '--objects', String(objects)],
  nodeArgs: (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== ''),
  env: {},
  startTimeoutMs: 5 * 60 * 1000,
});
const s3 = new BenchClient(server.endpoint, BENCH_CREDENTIALS, { maxSockets: 32 });
const control = new S3ControlClient({
  region: 'us-east-1',
  credentials: BENCH_CREDENTIALS,
  endpointProvider: () => ({ url: new URL(`${server.endpoint}/`) }),
});
let tokens = 0;

async function uploadManifest(key: string, count: number): Promise<{ ObjectArn: string; ETag: string }> {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(`${bucket},${benchKey(i)}\n`);
  const res = await s3.putObject(bucket, key, prepareBody(Buffer.from(lines.join(''))), false);
  return { ObjectArn: `arn:aws:s3:::${bucket}/${key}`, ETag: String(res.headers.etag) };
}

async function createJob(location: { ObjectArn: string; ETag: string }, value: string): Promise<string> {
  tokens += 1;
  const out = await control.send(
    new CreateJobCommand({
      AccountId: BENCH_ACCOUNT,
      Operation: { S3PutObjectTagging: { TagSet: [{ Key: 'bench', Value: value }] } },
      Manifest: { Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] }, Location: location },
      Report: { Enabled: true, Bucket: `arn:aws:s3:::${reports}`, Format: 'Report_CSV_20180820', Prefix: 'bench', ReportScope: 'AllTasks' },
      Priority: 10,
      RoleArn: BENCH_ROLE_ARN,
      ConfirmationRequired: false,
      ClientRequestToken: `bench-${process.pid}-${tokens}`,
    }),
  );
  return out.JobId!;
}

async function describe(jobId: string): Promise<JobDescriptor> {
  return (await control.send(new DescribeJobCommand({ AccountId: BENCH_ACCOUNT, JobId: jobId }))).Job!;
}

interface BigJob {
  readonly objects: number;
  readonly seconds: number;
  readonly rate: number;
  /** ms from CreateJob's answer: first seen Active, first task counted, every task counted, Complete. */
  readonly phases: { readonly active: number; readonly firstTasks: number; readonly allTasks: number; readonly complete: number };
  readonly reportFiles: number;
  readonly peakRssMb: number;
  /** The server's CPU time from CreateJob to Complete (DescribeJob polls included). */
  readonly serverCpuSeconds: number;
}

/** One job tagging the first `count` objects, CreateJob → Complete (report included), timed from outside. */
async function runBigJob(count: number): Promise<BigJob> {
  process.stderr.write(`uploading a ${count.toLocaleString()}-row manifest…\n`);
  const manifest = await uploadManifest(`manifests/first-${count}.csv`, count);
  let peakRssMb = 0;
  const cpu0 = cpuSecondsOf(server.pid);
  const t0 = performance.now();
  const id = await createJob(manifest, `job-${count}`);
  const created = performance.now();
  const phases = { active: NaN, firstTasks: NaN, allTasks: NaN, complete: NaN };
  let job: JobDescriptor;
  let lastPrint = 0;
  for (;;) {
    job = await describe(id);
    const now = performance.now() - created;
    const done = (job.ProgressSummary?.NumberOfTasksSucceeded ?? 0) + (job.ProgressSummary?.NumberOfTasksFailed ?? 0);
    if (Number.isNaN(phases.active) && (job.Status === 'Active' || job.Status === 'Complete')) phases.active = now;
    if (Number.isNaN(phases.firstTasks) && done > 0) phases.firstTasks = now;
    if (Number.isNaN(phases.allTasks) && done >= count) phases.allTasks = now;
    peakRssMb = Math.max(peakRssMb, memoryOf(server.pid).rssMb);
    if (job.Status === 'Complete' || job.Status === 'Failed' || job.Status === 'Cancelled') {
      phases.complete = now;
      break;
    }
    if (performance.now() - lastPrint > 2000) {
      lastPrint = performance.now();
      process.stderr.write(`  ${job.Status} ${done}/${count}\n`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const seconds = (performance.now() - t0) / 1000;
  const serverCpuSeconds = cpuSecondsOf(server.pid) - cpu0;
  if (job.Status !== 'Complete') throw new Error(`the job ended ${job.Status}: ${JSON.stringify(job.FailureReasons)}`);
  const report = await s3.getObject(reports, `bench/job-${id}/manifest.json`, true);
  const reportManifest = JSON.parse(report.body!.toString('utf8')) as { Results: unknown[] };
  const round = (ms: number): number => Math.round(ms);
  return {
    objects: count,
    seconds,
    rate: count / seconds,
    phases: { active: round(phases.active), firstTasks: round(phases.firstTasks), allTasks: round(phases.allTasks), complete: round(phases.complete) },
    reportFiles: reportManifest.Results.length,
    peakRssMb,
    serverCpuSeconds,
  };
}

try {
  await s3.createBucket(reports);

  // CreateJob → Active, small manifests
  const small = await uploadManifest('manifests/small.csv', 10);
  const toActive: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const id = await createJob(small, `small-${i}`);
    for (;;) {
      const status = (await describe(id)).Status;
      if (status === 'Active' || status === 'Complete') break;
      if (status === 'Failed' || status === 'Cancelled') throw new Error(`small job ${id} ended ${status}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    toActive.push(performance.now() - t0);
    for (;;) {
      if ((await describe(id)).Status === 'Complete') break;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  toActive.sort((a, b) => a - b);
  const activeMs = toActive[2]!;

  // the big jobs: one per size, each timed from outside with its phases (polled every 25 ms)
  const bigJobs: BigJob[] = [];
  for (const size of sizes) bigJobs.push(await runBigJob(size));
  const peakRssMb = Math.max(...bigJobs.map((j) => j.peakRssMb));

  // the client-side loop
  process.stderr.write(`client loop: PutObjectTagging × ${clientObjects.toLocaleString()}, 32 in flight…\n`);
  const tagging = prepareBody(
    Buffer.from('<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>bench</Key><Value>loop</Value></Tag></TagSet></Tagging>'),
  );
  const loop = await runPhase({
    concurrency: 32,
    bound: { count: clientObjects },
    firstSeq: 0,
    op: async (seq) => {
      await s3.putObjectTagging(bucket, benchKey(seq), tagging);
      return 0;
    },
  });
  const loopRate = loop.ops / (loop.elapsedMs / 1000);
  const memory = memoryOf(server.pid);

  const figures = {
    objects,
    jobs: bigJobs.map((j) => ({
      objects: j.objects,
      seconds: Number(j.seconds.toFixed(2)),
      objectsPerSecond: Math.round(j.rate),
      timesClientLoop: Number((j.rate / loopRate).toFixed(1)),
      msFromCreateJob: j.phases,
      serverCpuSeconds: Number(j.serverCpuSeconds.toFixed(2)),
      reportFiles: j.reportFiles,
    })),
    createJobToActiveMs: Number(activeMs.toFixed(1)),
    clientLoop: { objects: loop.ops, errors: loop.errors, seconds: Number((loop.elapsedMs / 1000).toFixed(2)), objectsPerSecond: Math.round(loopRate) },
    serverPeakRssMb: { duringJobs: Math.round(peakRssMb), wholeRun: Math.round(memory.hwmMb) },
  };
  const largest = bigJobs[bigJobs.length - 1]!;
  const at200k = bigJobs.find((j) => j.objects === 200_000);
  const targets = [
    [`job ≥ 130,000 objects/s at ${largest.objects.toLocaleString()}`, largest.rate >= 130_000],
    ...bigJobs.map((j) => [`job ≥ 20× the client loop at ${j.objects.toLocaleString()}`, j.rate / loopRate >= 20] as const),
    ...(at200k !== undefined ? [['CreateJob → Complete ≤ 1.5 s at 200,000', at200k.seconds <= 1.5] as const] : []),
    ['CreateJob → Active < 1 s (small manifest)', activeMs < 1000],
    ['peak RSS during the jobs < 300 MB', peakRssMb < 300],
  ] as const;
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  for (const [name, ok] of targets) process.stdout.write(`${ok ? 'PASS' : 'MISS'}  ${name}\n`);
} finally {
  control.destroy();
  s3.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
