#!/usr/bin/env node
/**
 * `npm run bench`: Tessera against a bare node:http ceiling, side by side, in one run (docs/benchmarks.md).
 * Both servers run as child processes (the server's core); the load comes from a small SigV4 client in this
 * process (the other core). Reports figures and PASS/MISS per target; a MISS never fails the process.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchClient, prepareBody } from './client/BenchClient.js';
import { runPhase, type LoadBound, type LoadOp } from './load/closedLoop.js';
import { Tally } from './load/Tally.js';
import { describeProbe, probeDisk } from './diskProbe.js';
import { quietDisk } from './quietDisk.js';
import { describeMachine, machineInfo } from './machine.js';
import { parseOptions, USAGE, UsageError, type BenchOptions } from './options.js';
import { choosePinning, pinThisProcess } from './process/affinity.js';
import { startCpuSample } from './process/cpu.js';
import { ServerProcess } from './process/ServerProcess.js';
import { monotonicUs, renderSummary, summarizeProfile, type ProfileSummary, type Window } from './profile/summarize.js';
import { isMeasurement, measurementOf, rowOf, type ResultRow, type ServerResult } from './report/results.js';
import { resultsTable } from './report/table.js';
import { SCENARIOS, type Fixture, type Scenario } from './scenarios.js';
import { benchPostgres } from './support/benchPostgres.js';
import { LARGE_SIZE, SMALL_SIZE, objectData, taggingDocument } from './workload.js';
import { fmt, log, messageOf, newestProfile, runMain, writeJsonReport } from './report/output.js';

const here = dirname(fileURLToPath(import.meta.url));
const BUCKET = 'tessera-bench';
const REGION = 'us-east-1';


interface ServerUnderTest {
  readonly proc: ServerProcess;
  readonly fx: Fixture;
}

/** One server's state while a scenario runs on it. */
interface Run {
  readonly target: ServerUnderTest;
  readonly op: LoadOp;
  readonly tally: Tally;
  seq: number;
  failed: string | undefined;
  /** When the measured phases ran (for profiles). */
  readonly windows: Window[];
}


/** With --observed, observation may cost at most a tenth of the unobserved rate (issue 11). */
const OBSERVED_TARGET = { kind: 'ratio', min: 0.9 } as const;

/** Three metrics configurations filtered by tags, as a user watching storage by tag would set up. */
const OBSERVED_CONFIGURATIONS: readonly [string, string][] = [
  ['project-zoo', '<Tag><Key>project</Key><Value>zoo</Value></Tag>'],
  ['classified', '<Tag><Key>classification</Key><Value>secret</Value></Tag>'],
  ['raw-photos', '<And><Prefix>bench/</Prefix><Tag><Key>type</Key><Value>raw</Value></Tag></And>'],
];

/** Put the three tag-filtered metrics configurations on the bench bucket of the observed server. */
async function observeBucket(client: BenchClient): Promise<void> {
  for (const [id, filter] of OBSERVED_CONFIGURATIONS) {
    const xml = `<MetricsConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Id>${id}</Id><Filter>${filter}</Filter></MetricsConfiguration>`;
    await client.putMetricsConfiguration(BUCKET, id, prepareBody(Buffer.from(xml)));
  }
}

function ceilingDescription(options: BenchOptions, baselineCli: string | undefined): string {
  if (options.observed) return ': this build with TESSERA_METRICS=off and no audit log';
  if (options.postgres) return ': this build with its metadata on SQLite';
  return baselineCli === undefined ? '' : `: the baseline build ${baselineCli}`;
}

/** With --postgres, our own goal: PostgreSQL (a network round trip per statement) at least half SQLite's rate. */
const POSTGRES_TARGET = { kind: 'ratio', min: 0.5 } as const;

function ceilingTitle(options: BenchOptions): string {
  if (options.postgres) return 'itself on SQLite (the "ceiling" column), on PostgreSQL (the "tessera" column)';
  if (options.observed) return 'itself unobserved (metrics off, no audit log; the "ceiling" column), observed with metrics, three tag-filtered metrics configurations and the audit log';
  return options.baseline === undefined ? 'bare node:http ceiling' : `baseline build ${options.baseline} (the "ceiling" column)`;
}

/** Split `total` into `parts` near-equal positive integers (fewer parts when total is smaller). */
function split(total: number, parts: number): number[] {
  const n = Math.max(1, Math.min(parts, total));
  return Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0));
}

/**
 * Measure one scenario on both servers: prepare and warm up each, then alternate them round by round (ceiling first
 * in odd rounds, Tessera first in even ones) so the pair shares the machine's conditions.
 */
async function measurePair(
  scenario: Scenario,
  ceiling: ServerUnderTest,
  tessera: ServerUnderTest,
  options: BenchOptions,
): Promise<{ ceiling: ServerResult; tessera: ServerResult; tesseraWindows: Window[] }> {
  const small = scenario.size === 'small';
  const concurrency = small ? options.concurrency : options.largeConcurrency;
  const runs: Run[] = [];
  for (const target of [ceiling, tessera]) {
    const run: Run = { target, op: scenario.op(target.fx), tally: new Tally(), seq: 0, failed: undefined, windows: [] };
    runs.push(run);
    if (!target.proc.alive) {
      run.failed = `server process exited\n${target.proc.recentOutput()}`;
      continue;
    }
    try {
      await scenario.prepare(target.fx);
    } catch (err) {
      run.failed = messageOf(err);
      continue;
    }
    const warmup: LoadBound | undefined = small
      ? options.warmupMs > 0 ? { durationMs: options.warmupMs } : undefined
      : options.largeWarmup > 0 ? { count: options.largeWarmup } : undefined;
    if (warmup === undefined) continue;
    const w = await runPhase({ concurrency, bound: warmup, op: run.op, firstSeq: run.seq, abandonAfterErrors: 50 });
    run.seq = w.nextSeq;
    if (w.ops === 0 && w.errors > 0) run.failed = w.errorSamples[0] ?? 'every request failed';
  }

  const bounds: LoadBound[] = small
    ? Array.from({ length: options.rounds }, () => ({ durationMs: options.durationMs / options.rounds }))
    : split(options.largeCount, options.rounds).map((count) => ({ count }));
  for (const [round, bound] of bounds.entries()) {
    const order = round % 2 === 0 ? runs : [...runs].reverse();
    for (const run of order) {
      if (run.failed !== undefined || run.tally.abandoned) continue;
      if (!run.target.proc.alive) {
        run.failed = `server process exited\n${run.target.proc.recentOutput()}`;
        continue;
      }
      const cpu = startCpuSample(run.target.proc.pid);
      const from = monotonicUs();
      const outcome = await runPhase({ concurrency, bound, op: run.op, firstSeq: run.seq, abandonAfterErrors: 50 });
      run.tally.add(outcome, cpu());
      run.windows.push([from, monotonicUs()]);
      run.seq = outcome.nextSeq;
    }
  }
  const resultOf = (run: Run): ServerResult => {
    if (run.failed !== undefined) return { failed: run.failed };
    if (run.tally.abandoned && run.tally.ops === 0) return { failed: run.tally.errorSamples[0] ?? 'every request failed' };
    return measurementOf(run.tally);
  };
  return { ceiling: resultOf(runs[0] as Run), tessera: resultOf(runs[1] as Run), tesseraWindows: (runs[1] as Run).windows };
}

function progress(scenario: Scenario, who: string, result: ServerResult): void {
  if (!isMeasurement(result)) {
    log(`  ${who.padEnd(8)} ${scenario.label}: FAILED ${result.failed.split('\n')[0] ?? ''}`);
    return;
  }
  const figure = scenario.size === 'small' ? `${fmt(result.opsPerSec)} ops/s` : `${fmt(result.mbPerSec)} MB/s`;
  log(
    `  ${who.padEnd(8)} ${scenario.label}: ${figure}, p50 ${fmt(result.latencyMs.p50, 2)} ms, p99 ${fmt(result.latencyMs.p99, 2)} ms` +
      `, ${result.ops} ok, ${result.errors} errors, cpu server/client/other ${[result.serverCpu, result.clientCpu, result.otherCpu].map((c) => (c === null ? '?' : `${Math.round(c * 100)}%`)).join('/')}${result.errors > 0 ? ` (${result.errorSamples[0] ?? ''})` : ''}`,
  );
}


async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(argv);
  } catch (err) {
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err)) {
      log(`bench: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  const tesseraCli = resolve(here, '../src/cli/main.js');
  const bareScript = resolve(here, 'bareServer.js');
  const baselineCli = options.baseline === undefined ? undefined : resolve(options.baseline, 'dist/src/cli/main.js');
  for (const cli of [tesseraCli, baselineCli]) {
    if (cli !== undefined && !existsSync(cli)) {
      log(`bench: ${cli} not found; build first (npm run build)`);
      return 1;
    }
  }

  const machine = machineInfo();
  const startedAt = new Date();
  mkdirSync(options.dataParent, { recursive: true });
  const dataDir = mkdtempSync(join(resolve(options.dataParent), 'tessera-bench-'));
  // the ceiling column: the bare server, an earlier build (--baseline), or this build unobserved (--observed)
  const ceilingCli = baselineCli ?? (options.observed || options.postgres ? tesseraCli : undefined);
  const postgres = options.postgres ? await benchPostgres() : undefined;
  const baselineDir = ceilingCli === undefined ? undefined : mkdtempSync(join(resolve(options.dataParent), 'tessera-bench-baseline-'));
  const profileDir = options.profile
    ? resolve(options.profileDir ?? join(tmpdir(), `tessera-bench-profiles-${startedAt.toISOString().replace(/[:.]/g, '-')}`))
    : undefined;
  if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });
  const credentials = { accessKeyId: 'BENCHROOTKEY' + randomBytes(4).toString('hex').toUpperCase(), secretAccessKey: randomBytes(20).toString('hex') };

  const started: ServerProcess[] = [];
  const clients: BenchClient[] = [];
  let cleaned = false;
  const cleanup = async (): Promise<void> => {
    if (cleaned) return;
    cleaned = true;
    for (const c of clients) c.close();
    await Promise.all(started.map((p) => p.stop()));
    postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (baselineDir !== undefined) rmSync(baselineDir, { recursive: true, force: true });
  };
  const onSignal = (): void => {
    log('bench: interrupted; stopping servers');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const pinning = options.pin ? choosePinning() : 'turned off (--no-pin)';
  const pinned = typeof pinning !== 'string' && pinThisProcess(pinning.clientCpu);
  const serverCpu = typeof pinning !== 'string' && pinned ? pinning.serverCpu : undefined;

  const disk = probeDisk(dataDir);
  log(`Tessera benchmark: ${describeMachine(machine)}`);
  log(`  data dir ${dataDir}: ${describeProbe(disk)}`);
  log(
    typeof pinning === 'string' || !pinned
      ? `  not pinned to cores (${typeof pinning === 'string' ? pinning : 'taskset refused'})`
      : `  client pinned to core ${pinning.clientCpu}, servers to core ${pinning.serverCpu}`,
  );
  log(
    `  ${options.quick ? 'quick run; ' : ''}4 KiB/tagging: ${options.concurrency} in flight, ${options.warmupMs / 1000} s warm-up + ${options.durationMs / 1000} s in ${options.rounds} round(s); ` +
      `64 MiB: ${options.largeConcurrency} in flight, ${options.largeWarmup} warm-up + ${options.largeCount} measured transfers`,
  );
  try {
    const startTimeoutMs = 30_000;
    const launches = await Promise.allSettled([
      ServerProcess.start({
        name: 'tessera',
        script: tesseraCli,
        args: ['server'],
        nodeArgs: profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
        env: {
          TESSERA_ADDRESS: '127.0.0.1:0',
          TESSERA_DATA_DIR: dataDir,
          TESSERA_REGION: REGION,
          TESSERA_ROOT_ACCESS_KEY_ID: credentials.accessKeyId,
          TESSERA_ROOT_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          TESSERA_LOG_LEVEL: 'error',
          ...(options.observed ? { TESSERA_AUDIT_LOG: join(dataDir, 'audit', 'audit.log'), TESSERA_METRICS_TAG_KEYS: 'project,classification' } : {}),
          ...(postgres !== undefined ? { TESSERA_METADATA_URL: postgres.url } : {}),
        },
        startTimeoutMs,
        ...(serverCpu !== undefined ? { cpu: serverCpu } : {}),
      }),
      ServerProcess.start({
        name: 'ceiling',
        script: ceilingCli ?? bareScript,
        args: ceilingCli === undefined ? [] : ['server'],
        nodeArgs: [],
        env:
          ceilingCli === undefined
            ? { BARE_ADDRESS: '127.0.0.1:0' }
            : {
                TESSERA_ADDRESS: '127.0.0.1:0',
                TESSERA_DATA_DIR: baselineDir ?? '',
                TESSERA_REGION: REGION,
                TESSERA_ROOT_ACCESS_KEY_ID: credentials.accessKeyId,
                TESSERA_ROOT_SECRET_ACCESS_KEY: credentials.secretAccessKey,
                TESSERA_LOG_LEVEL: 'error',
                ...(options.observed ? { TESSERA_METRICS: 'off' } : {}),
              },
        startTimeoutMs,
        ...(serverCpu !== undefined ? { cpu: serverCpu } : {}),
      }),
    ]);
    for (const l of launches) if (l.status === 'fulfilled') started.push(l.value);
    const failure = launches.find((l): l is PromiseRejectedResult => l.status === 'rejected');
    if (failure !== undefined) {
      log(`bench: ${failure.reason instanceof Error ? failure.reason.message : String(failure.reason)}`);
      return 1;
    }
    const [tesseraProc, ceilingProc] = started as [ServerProcess, ServerProcess];
    log(`  tessera  ${tesseraProc.endpoint} (pid ${tesseraProc.pid}, data ${dataDir})`);
    log(`  ceiling  ${ceilingProc.endpoint} (pid ${ceilingProc.pid})${ceilingDescription(options, baselineCli)}`);

    const small = prepareBody(objectData(SMALL_SIZE));
    const large = prepareBody(objectData(LARGE_SIZE));
    const tagging = prepareBody(Buffer.from(taggingDocument()));
    const fixture = (server: Fixture['server'], client: BenchClient): Fixture => ({
      server,
      client,
      bucket: BUCKET,
      small,
      large,
      tagging,
      objects: options.objects,
      largeObjects: options.largeConcurrency,
      concurrency: options.concurrency,
      md5: options.md5,
      verifyContent: server === 'tessera',
      done: new Set(),
    });
    const maxSockets = Math.max(options.concurrency, options.largeConcurrency);
    const tesseraClient = new BenchClient(tesseraProc.endpoint, credentials, { region: REGION, maxSockets });
    const ceilingClient = new BenchClient(ceilingProc.endpoint, credentials, { region: REGION, maxSockets });
    clients.push(tesseraClient, ceilingClient);
    const targets = {
      tessera: { proc: tesseraProc, fx: fixture('tessera', tesseraClient) },
      ceiling: { proc: ceilingProc, fx: fixture('ceiling', ceilingClient) },
    };
    try {
      await tesseraClient.createBucket(BUCKET);
      await ceilingClient.createBucket(BUCKET);
      if (options.observed) await observeBucket(tesseraClient);
    } catch (err) {
      log(`bench: CreateBucket failed: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }

    const rows: ResultRow[] = [];
    const windows = new Map<Scenario, Window[]>();
    for (const id of options.scenarios) {
      const scenario = SCENARIOS[id];
      log(`${scenario.label}`);
      const settle = options.quietDisk ? await quietDisk() : undefined;
      if (settle !== undefined) log(`  disk: ${settle.dirtyMbBefore} MB dirty, ${settle.dirtyMbAfter} MB after sync and drain (${settle.ms} ms)`);
      const { ceiling, tessera, tesseraWindows } = await measurePair(scenario, targets.ceiling, targets.tessera, options);
      windows.set(scenario, tesseraWindows);
      progress(scenario, 'ceiling', ceiling);
      progress(scenario, 'tessera', tessera);
      const target = options.observed ? OBSERVED_TARGET : options.postgres ? POSTGRES_TARGET : undefined;
      rows.push(rowOf(target === undefined ? scenario : { ...scenario, target }, tessera, ceiling, settle));
    }

    await cleanup();
    const finishedAt = new Date();

    // the whole run, then each scenario's measured phases alone
    const profiles: ProfileSummary[] = [];
    if (profileDir !== undefined) {
      const file = newestProfile(profileDir);
      if (file === undefined) log(`bench: no .cpuprofile was written to ${profileDir}`);
      else {
        profiles.push(summarizeProfile(file, { top: 30 }));
        for (const [scenario, w] of windows) {
          if (w.length > 0) profiles.push(summarizeProfile(file, { top: 15, windows: w, label: `${scenario.label} (measured phases only)` }));
        }
      }
    }

    process.stdout.write(
      `\nTessera vs ${ceilingTitle(options)}: ${describeMachine(machine)}\nData dir: ${describeProbe(disk)}\n\n${resultsTable(rows)}\n`,
    );
    const passed = rows.filter((r) => r.verdict === 'PASS').length;
    process.stdout.write(`\n${passed}/${rows.length} targets met (a MISS is reported, never fatal). ${((finishedAt.getTime() - startedAt.getTime()) / 1000).toFixed(0)} s.\n`);
    for (const profile of profiles) process.stdout.write(`\nTessera CPU profile: ${renderSummary(profile)}\n`);

    if (options.out !== undefined) {
      const report = {
        benchmark: 'tessera-vs-bare-node-http',
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        machine,
        disk,
        settings: {
          quick: options.quick,
          concurrency: options.concurrency,
          largeConcurrency: options.largeConcurrency,
          warmupSeconds: options.warmupMs / 1000,
          durationSeconds: options.durationMs / 1000,
          rounds: options.rounds,
          largeWarmup: options.largeWarmup,
          largeCount: options.largeCount,
          objects: options.objects,
          contentMd5: options.md5,
          pinning: serverCpu === undefined ? null : pinning,
          smallObjectBytes: SMALL_SIZE,
          largeObjectBytes: LARGE_SIZE,
          megabyte: 1e6,
        },
        results: rows,
        ...(profiles.length > 0 ? { profiles } : {}),
      };
      writeJsonReport(options.out, report);
    }
    return 0;
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

runMain('bench', main);
