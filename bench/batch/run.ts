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
 * --postgres [--nodes 1|2]: the metadata on a PostgreSQL database (a throwaway cluster with fsync on, or the server at
 * TESSERA_BENCH_POSTGRES_URL); with --nodes 2, two server processes share that database and one data dir. Seeding goes
 * through PostgreSQL (one statement per object, about 1,000 objects/s on two cores), so the default is 100,000 objects
 * (--quick: 30,000), which keeps a run within about five minutes. The jobs: one tagging the first half of the bucket
 * (its ranges of rows run on every node), then two at once (the first half and the second half, created on node 1
 * and node 2), and the client loop alternating its requests between the nodes (10,000 requests; --quick: 4,000). No
 * targets: the figures say what a second node adds, and each job's CPU seconds per node show where the work ran.
 *
 *   node dist/bench/batch/run.js [--objects N] [--client-objects M] [--sizes a,b,…] [--quick]
 *   node dist/bench/batch/run.js --postgres [--nodes 1|2] [--objects N] [--client-objects M] [--sizes a,…] [--quick]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CreateJobCommand, DescribeJobCommand, S3ControlClient, type JobDescriptor } from '@aws-sdk/client-s3-control';
import { BenchClient, prepareBody } from '../client/BenchClient.js';
import { runPhase } from '../load/closedLoop.js';
import { ServerProcess } from '../process/ServerProcess.js';
import { benchDatabase, benchPostgres } from '../support/benchPostgres.js';
import { BENCH_ACCOUNT, BENCH_CREDENTIALS, BENCH_ROLE_ARN, benchKey } from './shared.js';

function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

const quick = process.argv.includes('--quick');
const onPostgres = process.argv.includes('--postgres');
const nodes = numberArg('nodes', 1);
if (nodes !== 1 && nodes !== 2) throw new Error('--nodes must be 1 or 2');
if (nodes > 1 && !onPostgres) throw new Error('--nodes 2 needs --postgres (nodes share their metadata through PostgreSQL)');
/** On PostgreSQL seeding runs at about 1,000 objects/s on two busy cores: 100,000 by default. */
const objects = numberArg('objects', onPostgres ? (quick ? 30_000 : 100_000) : quick ? 100_000 : 1_000_000);
/** On PostgreSQL each PutObjectTagging commits (and flushes the WAL) on its own: a few hundred a second, so fewer. */
const clientObjects = Math.min(objects, numberArg('client-objects', onPostgres ? (quick ? 4_000 : 10_000) : quick ? 20_000 : 100_000));
/**
 * Job sizes (manifests of the first n objects): 200,000 (where fixed costs show) and the whole bucket. On PostgreSQL
 * at most half the bucket (the two jobs at once tag disjoint halves); default: half.
 */
const maxSize = onPostgres ? Math.floor(objects / 2) : objects;
const sizesArg = process.argv.indexOf('--sizes');
const sizes = (sizesArg < 0 ? (onPostgres ? [maxSize] : [200_000, objects]) : process.argv[sizesArg + 1]!.split(',').map(Number))
  .filter((n, i, all) => n > 0 && n <= maxSize && all.indexOf(n) === i)
  .sort((a, b) => a - b);
if (sizes.length === 0) throw new Error(`no job size between 1 and ${maxSize.toLocaleString()}`);
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

const loadAtStart = loadavg()[0]!;
const dataDir = mkdtempSync(join(tmpdir(), 'tessera-bench-batch-'));
const script = new URL('./server.js', import.meta.url).pathname;
const postgres = onPostgres ? await benchPostgres() : undefined;
const database = postgres !== undefined ? await benchDatabase(postgres.url, 'tessera_bench_batch') : undefined;
const metadataArgs = database !== undefined ? ['--metadata-url', database.url] : [];
const servers: ServerProcess[] = [];
const cleanup = async (): Promise<void> => {
  await Promise.all(servers.map((s) => s.stop()));
  await database?.drop().catch(() => undefined);
  postgres?.stop();
  rmSync(dataDir, { recursive: true, force: true });
};
process.stderr.write(`seeding ${objects.toLocaleString()} objects${onPostgres ? ' (metadata on PostgreSQL, fsync on)' : ''}…\n`);
const seedStart = performance.now();
try {
  const seeder = await ServerProcess.start({
    name: 'tessera-batch-seed',
    script,
    args: ['--data-dir', dataDir, '--bucket', bucket, '--objects', String(objects), ...metadataArgs, '--seed-only'],
    nodeArgs: [],
    env: {},
    startTimeoutMs: 30 * 60 * 1000,
  });
  await seeder.stop();
  // the measured servers start fresh on the seeded data; with --nodes 2 both share the database and the data dir
  for (let n = 0; n < nodes; n++) {
    servers.push(
      await ServerProcess.start({
        name: `tessera-batch-${n + 1}`,
        script,
        args: ['--data-dir', dataDir, '--bucket', bucket, '--objects', String(objects), ...metadataArgs],
        nodeArgs: (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== ''),
        env: {},
        startTimeoutMs: 5 * 60 * 1000,
      }),
    );
  }
} catch (error) {
  await cleanup();
  throw error;
}
const seedSeconds = (performance.now() - seedStart) / 1000;
process.stderr.write(`seeded in ${seedSeconds.toFixed(1)} s\n`);
const clients = servers.map((node) => new BenchClient(node.endpoint, BENCH_CREDENTIALS, { maxSockets: 32 }));
const controls = servers.map(
  (node) =>
    new S3ControlClient({
      region: 'us-east-1',
      credentials: BENCH_CREDENTIALS,
      endpointProvider: () => ({ url: new URL(`${node.endpoint}/`) }),
    }),
);
const s3 = clients[0]!;
let tokens = 0;

/** Every server's CPU seconds so far (one entry per node). */
function cpuOfNodes(): number[] {
  return servers.map((node) => cpuSecondsOf(node.pid));
}

async function uploadManifest(key: string, count: number, first = 0): Promise<{ ObjectArn: string; ETag: string }> {
  const lines: string[] = [];
  for (let i = first; i < first + count; i++) lines.push(`${bucket},${benchKey(i)}\n`);
  const res = await s3.putObject(bucket, key, prepareBody(Buffer.from(lines.join(''))), false);
  return { ObjectArn: `arn:aws:s3:::${bucket}/${key}`, ETag: String(res.headers.etag) };
}

async function createJob(location: { ObjectArn: string; ETag: string }, value: string, node = 0): Promise<string> {
  tokens += 1;
  const out = await controls[node]!.send(
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

async function describe(jobId: string, node = 0): Promise<JobDescriptor> {
  return (await controls[node]!.send(new DescribeJobCommand({ AccountId: BENCH_ACCOUNT, JobId: jobId }))).Job!;
}

interface BigJob {
  readonly objects: number;
  readonly seconds: number;
  readonly rate: number;
  /** ms from CreateJob's answer: first seen Active, first task counted, every task counted, Complete. */
  readonly phases: { readonly active: number; readonly firstTasks: number; readonly allTasks: number; readonly complete: number };
  readonly reportFiles: number;
  readonly peakRssMb: number;
  /** The servers' CPU time from CreateJob to Complete (DescribeJob polls included), all nodes together. */
  readonly serverCpuSeconds: number;
  /** The same, node by node (which nodes did the work: a job's ranges of rows run on every node). */
  readonly cpuSecondsPerNode: readonly number[];
  /** The node CreateJob and the DescribeJob polls went to (0-based). */
  readonly node: number;
}

type Manifest = { ObjectArn: string; ETag: string };

/** Upload the manifest of `count` objects from object `first` on. */
async function prepareJob(count: number, first = 0): Promise<Manifest> {
  process.stderr.write(`uploading a ${count.toLocaleString()}-row manifest…\n`);
  return uploadManifest(first === 0 ? `manifests/first-${count}.csv` : `manifests/${first}-${count}.csv`, count, first);
}

/** One job tagging the manifest's `count` objects, CreateJob → Complete (report included), timed from outside. */
async function runBigJob(count: number, manifest: Manifest, node = 0, label = `job-${count}`): Promise<BigJob> {
  let peakRssMb = 0;
  const cpuAtStart = cpuOfNodes();
  const cpu0 = cpuAtStart.reduce((a, b) => a + b, 0);
  const t0 = performance.now();
  const id = await createJob(manifest, label, node);
  const created = performance.now();
  const phases = { active: NaN, firstTasks: NaN, allTasks: NaN, complete: NaN };
  let job: JobDescriptor;
  let lastPrint = 0;
  for (;;) {
    job = await describe(id, node);
    const now = performance.now() - created;
    const done = (job.ProgressSummary?.NumberOfTasksSucceeded ?? 0) + (job.ProgressSummary?.NumberOfTasksFailed ?? 0);
    if (Number.isNaN(phases.active) && (job.Status === 'Active' || job.Status === 'Complete')) phases.active = now;
    if (Number.isNaN(phases.firstTasks) && done > 0) phases.firstTasks = now;
    if (Number.isNaN(phases.allTasks) && done >= count) phases.allTasks = now;
    peakRssMb = Math.max(peakRssMb, ...servers.map((s) => memoryOf(s.pid).rssMb));
    if (job.Status === 'Complete' || job.Status === 'Failed' || job.Status === 'Cancelled') {
      phases.complete = now;
      break;
    }
    if (performance.now() - lastPrint > 2000) {
      lastPrint = performance.now();
      process.stderr.write(`  ${nodes > 1 ? `node ${node + 1}: ` : ''}${job.Status} ${done}/${count}\n`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpuAtEnd = cpuOfNodes();
  const serverCpuSeconds = cpuAtEnd.reduce((a, b) => a + b, 0) - cpu0;
  if (job.Status !== 'Complete') throw new Error(`the job ended ${job.Status}: ${JSON.stringify(job.FailureReasons)}`);
  const report = await clients[node]!.getObject(reports, `bench/job-${id}/manifest.json`, true);
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
    cpuSecondsPerNode: cpuAtEnd.map((c, i) => Number((c - cpuAtStart[i]!).toFixed(2))),
    node,
  };
}

interface JobPair {
  readonly objectsEach: number;
  /** From the first CreateJob to the later Complete. */
  readonly seconds: number;
  /** Both jobs' objects over `seconds`. */
  readonly rate: number;
  readonly jobs: readonly BigJob[];
  /** Each node's CPU seconds over the pair (which node did the work). */
  readonly cpuSecondsPerNode: readonly number[];
}

/** Two jobs at once on disjoint halves (objects [0, n) and [n, 2n)), created on node 1 and node 2 (or both on node 1). */
async function runJobPair(count: number): Promise<JobPair> {
  const manifests = [await prepareJob(count, 0), await prepareJob(count, count)];
  const cpu0 = cpuOfNodes();
  const t0 = performance.now();
  const jobs = await Promise.all(manifests.map((m, i) => runBigJob(count, m, i % nodes, `pair-${i + 1}-${count}`)));
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = cpuOfNodes();
  return { objectsEach: count, seconds, rate: (2 * count) / seconds, jobs, cpuSecondsPerNode: cpu1.map((c, i) => c - cpu0[i]!) };
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
  for (const size of sizes) bigJobs.push(await runBigJob(size, await prepareJob(size)));
  // on PostgreSQL: two jobs at once (the largest size each), one per node when there are two
  const pair = onPostgres ? await runJobPair(sizes[sizes.length - 1]!) : undefined;
  const peakRssMb = Math.max(...bigJobs.map((j) => j.peakRssMb), ...(pair?.jobs.map((j) => j.peakRssMb) ?? []));

  // the client-side loop
  process.stderr.write(
    `client loop: PutObjectTagging × ${clientObjects.toLocaleString()}, 32 in flight${nodes > 1 ? `, alternating between ${nodes} nodes` : ''}…\n`,
  );
  const tagging = prepareBody(
    Buffer.from('<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>bench</Key><Value>loop</Value></Tag></TagSet></Tagging>'),
  );
  const loop = await runPhase({
    concurrency: 32,
    bound: { count: clientObjects },
    firstSeq: 0,
    op: async (seq) => {
      await clients[seq % nodes]!.putObjectTagging(bucket, benchKey(seq), tagging);
      return 0;
    },
  });
  const loopRate = loop.ops / (loop.elapsedMs / 1000);
  const hwmMb = Math.max(...servers.map((s) => memoryOf(s.pid).hwmMb));

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
    serverPeakRssMb: { duringJobs: Math.round(peakRssMb), wholeRun: Math.round(hwmMb) },
  };
  if (onPostgres && pair !== undefined) {
    const single = bigJobs[bigJobs.length - 1]!;
    const scaleOut = {
      metadata: 'PostgreSQL, fsync on',
      nodes,
      seedSeconds: Number(seedSeconds.toFixed(1)),
      twoJobsAtOnce: {
        objectsEach: pair.objectsEach,
        seconds: Number(pair.seconds.toFixed(2)),
        objectsPerSecond: Math.round(pair.rate),
        jobs: pair.jobs.map((j) => ({ createdOnNode: j.node + 1, seconds: Number(j.seconds.toFixed(2)), objectsPerSecond: Math.round(j.rate) })),
        serverCpuSecondsPerNode: pair.cpuSecondsPerNode.map((c) => Number(c.toFixed(2))),
        timesOneJobsTime: Number((pair.seconds / single.seconds).toFixed(2)),
      },
      loadAverage: { start: Number(loadAtStart.toFixed(2)), end: Number(loadavg()[0]!.toFixed(2)) },
    };
    process.stdout.write(`${JSON.stringify({ ...figures, ...scaleOut }, null, 2)}\n`);
    const row = (what: string, seconds: number, rate: number, note: string): string =>
      `${what.padEnd(46)} ${seconds.toFixed(2).padStart(8)} ${Math.round(rate).toLocaleString('en-US').padStart(10)}  ${note}\n`;
    process.stdout.write(
      `\nBatch jobs on PostgreSQL (fsync on), ${nodes} node${nodes > 1 ? 's' : ''}, ${objects.toLocaleString('en-US')} objects; ` +
        `load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end\n` +
        `${''.padEnd(46)} ${'seconds'.padStart(8)} ${'objects/s'.padStart(10)}\n` +
        row(
          `one job, ${single.objects.toLocaleString('en-US')} objects`,
          single.seconds,
          single.rate,
          `CreateJob → Complete; CPU s per node ${single.cpuSecondsPerNode.map((c) => c.toFixed(1)).join(' / ')}`,
        ) +
        row(
          `two jobs at once, 2 × ${pair.objectsEach.toLocaleString('en-US')} objects`,
          pair.seconds,
          pair.rate,
          `${(pair.seconds / single.seconds).toFixed(2)}× one job's time; Complete at ` +
            `${pair.jobs.map((j) => `${j.seconds.toFixed(1)} s (node ${j.node + 1})`).join(' and ')}; ` +
            `CPU s per node ${pair.cpuSecondsPerNode.map((c) => c.toFixed(1)).join(' / ')}`,
        ) +
        row(
          `client loop, ${loop.ops.toLocaleString('en-US')} × PutObjectTagging`,
          loop.elapsedMs / 1000,
          loopRate,
          `32 in flight${nodes > 1 ? ', alternating between the nodes' : ''}; ${loop.errors} errors`,
        ) +
        `CreateJob → Active (small manifest, median of 5): ${activeMs.toFixed(0)} ms; seeding: ${seedSeconds.toFixed(1)} s; ` +
        `peak RSS per server during the jobs: ${Math.round(peakRssMb)} MB\n` +
        `Reading: a job's ranges of rows run on every node, so a second node shares one job's units as well as two ` +
        `jobs' (CPU s per node); how much faster that makes it depends on the cores and the database, which every ` +
        `node shares.\n`,
    );
  }
  const largest = bigJobs[bigJobs.length - 1]!;
  const at200k = bigJobs.find((j) => j.objects === 200_000);
  const targets = [
    [`job ≥ 130,000 objects/s at ${largest.objects.toLocaleString()}`, largest.rate >= 130_000],
    ...bigJobs.map((j) => [`job ≥ 20× the client loop at ${j.objects.toLocaleString()}`, j.rate / loopRate >= 20] as const),
    ...(at200k !== undefined ? [['CreateJob → Complete ≤ 1.5 s at 200,000', at200k.seconds <= 1.5] as const] : []),
    ['CreateJob → Active < 1 s (small manifest)', activeMs < 1000],
    ['peak RSS during the jobs < 300 MB', peakRssMb < 300],
  ] as const;
  if (!onPostgres) {
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    for (const [name, ok] of targets) process.stdout.write(`${ok ? 'PASS' : 'MISS'}  ${name}\n`);
  }
} finally {
  for (const c of controls) c.destroy();
  for (const c of clients) c.close();
  await cleanup();
}
