#!/usr/bin/env node
/**
 * `npm run bench:policy` (issue 4): GetObject (1 KiB) and PutObjectTagging ops/s for an IAM user governed by a
 * 20-statement policy with tag conditions, against the root user, in the same run and on the same server. Rounds
 * alternate root and user so both share the machine's conditions. Target: the user at most 10% slower (ratio
 * user/root ≥ 90%). A MISS is reported, never fatal.
 *
 *   node dist/bench/policy/run.js [--quick] [--duration S] [--concurrency N] [--objects N] [--out FILE] [--profile]
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BenchClient, BenchRequestError, prepareBody, type PreparedBody } from '../client/BenchClient.js';
import { SigV4Signer, type Credentials } from '../client/SigV4Signer.js';
import { runPhase, type LoadOp } from '../load/closedLoop.js';
import { Tally } from '../load/Tally.js';
import { describeMachine, machineInfo } from '../machine.js';
import { choosePinning, pinThisProcess } from '../process/affinity.js';
import { startCpuSample } from '../process/cpu.js';
import { ServerProcess } from '../process/ServerProcess.js';
import { monotonicUs, renderSummary, summarizeProfile, type ProfileSummary, type Window } from '../profile/summarize.js';
import { isMeasurement, measurementOf, type ServerResult } from '../report/results.js';
import { renderTable } from '../report/table.js';
import { OBJECT_SIZE, POLICY_BUCKET, POLICY_USER, PUBLIC_TAGS, benchPolicy, benchTagging, publicKey, taggingOf } from './policyDocument.js';
import { fmt, log, messageOf, newestProfile, runMain, writeJsonReport } from '../report/output.js';

const here = dirname(fileURLToPath(import.meta.url));
const REGION = 'us-east-1';
/** The user may be at most 10% slower than root. */
const TARGET_RATIO = 0.9;



interface Options {
  readonly quick: boolean;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly rounds: number;
  readonly concurrency: number;
  readonly objects: number;
  readonly out: string | undefined;
  readonly profile: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      concurrency: { type: 'string' },
      objects: { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const quick = values.quick === true;
  const num = (name: string, raw: string | undefined, fallback: number): number => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} wants a positive number, got '${raw}'`);
    return n;
  };
  return {
    quick,
    durationMs: num('duration', values.duration, quick ? 4 : 20) * 1000,
    warmupMs: quick ? 1000 : 3000,
    rounds: quick ? 2 : 6,
    concurrency: Math.round(num('concurrency', values.concurrency, 32)),
    objects: Math.round(num('objects', values.objects, quick ? 500 : 2000)),
    out: values.out,
    profile: values.profile === true,
  };
}

/** One IAM query call (POST form to `/`, SigV4 service `iam`), signed with the bench's own signer. */
async function iam(endpoint: string, credentials: Credentials, params: Record<string, string>): Promise<string> {
  const body = new URLSearchParams({ Version: '2010-05-08', ...params }).toString();
  const url = new URL(endpoint);
  const headers = new SigV4Signer(credentials, REGION, 'iam').sign(
    'POST',
    '/',
    '',
    { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    createHash('sha256').update(body).digest('hex'),
  );
  const res = await fetch(`${endpoint}/`, { method: 'POST', headers, body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`IAM ${params.Action ?? ''}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return text;
}

const xmlText = (xml: string, name: string): string => {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  if (m?.[1] === undefined) throw new Error(`no <${name}> in ${xml.slice(0, 200)}`);
  return m[1];
};

/** Expect a request to succeed (`want` 200) or to be refused with 403 AccessDenied. */
async function check(what: string, want: 200 | 403, attempt: () => Promise<unknown>): Promise<void> {
  let status: number;
  try {
    await attempt();
    status = 200;
  } catch (err) {
    if (!(err instanceof BenchRequestError)) throw err;
    status = err.status;
  }
  if (status !== want) throw new Error(`check failed: ${what}: HTTP ${status}, expected ${want}`);
  log(`  check: ${what} -> ${status}`);
}

interface Scenario {
  readonly label: string;
  readonly operation: 'GetObject' | 'PutObjectTagging';
  op(client: BenchClient): LoadOp;
}

interface Side {
  readonly who: 'root' | 'user';
  readonly client: BenchClient;
  readonly tally: Tally;
  readonly windows: Window[];
  /** Each round's throughput, ops/s. */
  readonly rounds: number[];
  seq: number;
}

interface Row {
  readonly label: string;
  readonly operation: string;
  readonly root: ServerResult;
  readonly user: ServerResult;
  /** user ops/s ÷ root ops/s. */
  readonly ratio: number | null;
  /**
   * The same ratio within each round (the user's phase against root's in the same round): its spread shows how much
   * the machine moved during the run. The verdict is taken from `ratio`, over all rounds.
   */
  readonly roundRatios: readonly number[];
  readonly target: string;
  readonly verdict: 'PASS' | 'MISS';
  readonly note: string | null;
}

function figure(r: ServerResult): number {
  return isMeasurement(r) && r.ops > 0 ? r.opsPerSec : Number.NaN;
}

function roundRatiosOf(root: readonly number[], user: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.min(root.length, user.length); i++) {
    const r = root[i] as number;
    if (r > 0) out.push(Math.round(((user[i] as number) / r) * 1000) / 1000);
  }
  return out;
}

/** `min – median – max` of the per-round ratios, in percent. */
function spread(ratios: readonly number[]): string {
  if (ratios.length === 0) return '-';
  const sorted = [...ratios].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? (sorted[Math.floor(mid)] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return [sorted[0] as number, median, sorted[sorted.length - 1] as number].map((r) => `${fmt(r * 100, 1)}`).join(' – ') + '%';
}

function rowOf(scenario: Scenario, root: ServerResult, user: ServerResult, roundRatios: readonly number[]): Row {
  const r = figure(root);
  const u = figure(user);
  const ratio = Number.isFinite(r) && Number.isFinite(u) && r > 0 ? Math.round((u / r) * 1000) / 1000 : null;
  const notes: string[] = [];
  for (const [who, m] of [['root', root], ['user', user]] as const) {
    if (!isMeasurement(m)) notes.push(`${who}: ${m.failed}`);
    else if (m.errors > 0) notes.push(`${who}: ${m.errors} errors (${m.errorSamples[0] ?? ''})`);
  }
  const other = [root, user].filter(isMeasurement).map((m) => m.otherCpu ?? 0);
  if (other.some((c) => c > 0.15)) notes.push(`other processes used up to ${Math.round(Math.max(...other) * 100)}% of a core meanwhile`);
  const clean = isMeasurement(user) && user.errors === 0 && isMeasurement(root) && root.errors === 0;
  return {
    label: scenario.label,
    operation: scenario.operation,
    root,
    user,
    ratio,
    roundRatios,
    target: `user >= ${Math.round(TARGET_RATIO * 100)}% of root`,
    verdict: clean && ratio !== null && ratio >= TARGET_RATIO ? 'PASS' : 'MISS',
    note: notes.length === 0 ? null : notes.join('; '),
  };
}

function table(rows: readonly Row[]): string {
  const lat = (m: ServerResult): string => (isMeasurement(m) && m.ops > 0 ? `${fmt(m.latencyMs.p50, 2)} / ${fmt(m.latencyMs.p99, 2)}` : '-');
  const cpu = (m: ServerResult): string => (isMeasurement(m) && m.serverCpuUsPerOp !== null ? `${fmt(m.serverCpuUsPerOp)} us/op` : '?');
  const other = (m: ServerResult): string => (isMeasurement(m) && m.otherCpu !== null ? `${Math.round(m.otherCpu * 100)}%` : '?');
  const main = renderTable(
    ['Operation', 'Root', 'User', 'User/root', 'Per round (min – median – max)', 'Target', 'Result', 'Root p50/p99 ms', 'User p50/p99 ms', 'Root srv CPU', 'User srv CPU', 'Other CPU r/u'],
    rows.map((r) => [
      r.label,
      `${fmt(figure(r.root))} ops/s`,
      `${fmt(figure(r.user))} ops/s`,
      r.ratio === null ? '-' : `${fmt(r.ratio * 100, 1)}%`,
      spread(r.roundRatios),
      r.target,
      r.verdict,
      lat(r.root),
      lat(r.user),
      cpu(r.root),
      cpu(r.user),
      `${other(r.root)} / ${other(r.user)}`,
    ]),
    new Set([1, 2, 3, 4, 7, 8, 9, 10, 11]),
  );
  const notes = rows.filter((r) => r.note !== null).map((r) => `  ${r.label}: ${r.note ?? ''}`);
  return notes.length === 0 ? main : `${main}\n\nNotes:\n${notes.join('\n')}`;
}


async function main(argv: readonly string[]): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(argv);
  } catch (err) {
    log(`bench:policy: ${messageOf(err)}\nUsage: node dist/bench/policy/run.js [--quick] [--duration S] [--concurrency N] [--objects N] [--out FILE] [--profile]`);
    return 2;
  }
  const cli = resolve(here, '../../src/cli/main.js');
  if (!existsSync(cli)) {
    log(`bench:policy: ${cli} not found; build first (npm run build)`);
    return 1;
  }
  const machine = machineInfo();
  const startedAt = new Date();
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-bench-policy-'));
  const profileDir = options.profile ? mkdtempSync(join(tmpdir(), 'tessera-bench-policy-profile-')) : undefined;
  const rootCreds = { accessKeyId: 'BENCHROOTKEY' + randomBytes(4).toString('hex').toUpperCase(), secretAccessKey: randomBytes(20).toString('hex') };

  const pinning = choosePinning();
  const pinned = typeof pinning !== 'string' && pinThisProcess(pinning.clientCpu);
  const serverCpu = typeof pinning !== 'string' && pinned ? pinning.serverCpu : undefined;
  log(`Tessera access-control benchmark: ${describeMachine(machine)}`);
  log(serverCpu === undefined ? '  not pinned to cores' : `  client pinned to core ${typeof pinning === 'string' ? '?' : pinning.clientCpu}, server to core ${serverCpu}`);
  log(
    `  ${options.quick ? 'quick run; ' : ''}${options.objects} objects of ${OBJECT_SIZE} B, ${options.concurrency} in flight, ` +
      `${options.warmupMs / 1000} s warm-up + ${options.durationMs / 1000} s per identity in ${options.rounds} alternating rounds`,
  );

  const server = await ServerProcess.start({
    name: 'tessera',
    script: cli,
    args: ['server'],
    nodeArgs: profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
    env: {
      TESSERA_ADDRESS: '127.0.0.1:0',
      TESSERA_DATA_DIR: dataDir,
      TESSERA_REGION: REGION,
      TESSERA_ROOT_ACCESS_KEY_ID: rootCreds.accessKeyId,
      TESSERA_ROOT_SECRET_ACCESS_KEY: rootCreds.secretAccessKey,
      TESSERA_LOG_LEVEL: 'error',
    },
    startTimeoutMs: 30_000,
    ...(serverCpu !== undefined ? { cpu: serverCpu } : {}),
  });
  const clients: BenchClient[] = [];
  try {
    log(`  tessera ${server.endpoint} (pid ${server.pid}, data ${dataDir})`);
    const root = new BenchClient(server.endpoint, rootCreds, { region: REGION, maxSockets: options.concurrency });
    clients.push(root);

    // setup: the bucket, N tagged objects, a few the policy must refuse, the user with its key and policy
    const bucket = POLICY_BUCKET;
    await root.createBucket(bucket);
    const data = prepareBody(randomBytes(OBJECT_SIZE));
    const put = (key: string, tags: string): Promise<unknown> =>
      root.send({ method: 'PUT', bucket, key, body: data, headers: { 'x-amz-tagging': tags } });
    const seeded = await runPhase({ concurrency: 32, bound: { count: options.objects }, firstSeq: 0, abandonAfterErrors: 1, op: async (i) => (await put(publicKey(i), PUBLIC_TAGS), 0) });
    if (seeded.errors > 0) throw new Error(`seeding failed: ${seeded.errorSamples[0] ?? ''}`);
    await put('data/private/00000', 'security=private&Project=X');
    await put('data/other-project/00000', 'security=public&Project=Z');
    await put('secret/00000', PUBLIC_TAGS);
    await iam(server.endpoint, rootCreds, { Action: 'CreateUser', UserName: POLICY_USER });
    const keyXml = await iam(server.endpoint, rootCreds, { Action: 'CreateAccessKey', UserName: POLICY_USER });
    const userCreds = { accessKeyId: xmlText(keyXml, 'AccessKeyId'), secretAccessKey: xmlText(keyXml, 'SecretAccessKey') };
    const policy = benchPolicy(bucket);
    // ~4 KiB: over IAM's 2,048-character limit for a user's inline policies, so a customer managed policy (6,144)
    const created = await iam(server.endpoint, rootCreds, { Action: 'CreatePolicy', PolicyName: 'bench-20-statements', PolicyDocument: policy });
    await iam(server.endpoint, rootCreds, { Action: 'AttachUserPolicy', UserName: POLICY_USER, PolicyArn: xmlText(created, 'Arn') });
    const statements = (JSON.parse(policy) as { Statement: unknown[] }).Statement.length;
    log(`  IAM user ${POLICY_USER} (${userCreds.accessKeyId}) with an attached ${statements}-statement managed policy (${policy.length} characters)`);
    const user = new BenchClient(server.endpoint, userCreds, { region: REGION, maxSockets: options.concurrency });
    clients.push(user);

    const tagging = prepareBody(Buffer.from(benchTagging()));
    const doc = (tags: ReadonlyArray<readonly [string, string]>): PreparedBody => prepareBody(Buffer.from(taggingOf(tags)));
    // by hand: what must pass and what must be refused (the measurement is meaningless otherwise)
    await check('user GetObject data/public (existing tags security=public, Project=X)', 200, () => user.getObject(bucket, publicKey(0)));
    await check('user PutObjectTagging data/public (allowed request tags)', 200, () => user.putObjectTagging(bucket, publicKey(1), tagging));
    await check('user GetObject data/private (existing tag security=private)', 403, () => user.getObject(bucket, 'data/private/00000'));
    await check('user GetObject data/other-project (existing tag Project=Z)', 403, () => user.getObject(bucket, 'data/other-project/00000'));
    await check('user GetObject secret/ (Deny on the prefix)', 403, () => user.getObject(bucket, 'secret/00000'));
    await check('user PutObjectTagging security=private (Deny on the request tag)', 403, () =>
      user.putObjectTagging(bucket, publicKey(2), doc([['security', 'private'], ['Project', 'X']])),
    );
    await check('user PutObjectTagging with an unlisted tag key (ForAllValues)', 403, () =>
      user.putObjectTagging(bucket, publicKey(2), doc([['security', 'public'], ['Project', 'X'], ['color', 'red']])),
    );
    await check('user PutObjectTagging without Project (ForAnyValue)', 403, () => user.putObjectTagging(bucket, publicKey(2), doc([['security', 'public']])));
    await check('root GetObject data/private', 200, () => root.getObject(bucket, 'data/private/00000'));

    const n = options.objects;
    const scenarios: Scenario[] = [
      {
        label: `GetObject ${OBJECT_SIZE / 1024} KiB`,
        operation: 'GetObject',
        op: (c) => async (seq) => {
          const res = await c.getObject(bucket, publicKey(seq % n));
          if (res.bytes !== OBJECT_SIZE) throw new BenchRequestError(200, 'ShortBody', `got ${res.bytes} bytes`);
          return res.bytes;
        },
      },
      {
        label: 'PutObjectTagging (4 tags)',
        operation: 'PutObjectTagging',
        op: (c) => async (seq) => {
          await c.putObjectTagging(bucket, publicKey(seq % n), tagging);
          return 0;
        },
      },
    ];

    const rows: Row[] = [];
    const windows: Array<{ label: string; windows: Window[] }> = [];
    for (const scenario of scenarios) {
      log(scenario.label);
      const sides: Side[] = [
        { who: 'root', client: root, tally: new Tally(), windows: [], rounds: [], seq: 0 },
        { who: 'user', client: user, tally: new Tally(), windows: [], rounds: [], seq: 0 },
      ];
      const ops = new Map(sides.map((s) => [s, scenario.op(s.client)]));
      for (const side of sides) {
        const w = await runPhase({ concurrency: options.concurrency, bound: { durationMs: options.warmupMs }, op: ops.get(side)!, firstSeq: 0, abandonAfterErrors: 50 });
        side.seq = w.nextSeq;
        if (w.errors > 0) log(`  ${side.who} warm-up: ${w.errors} errors (${w.errorSamples[0] ?? ''})`);
      }
      for (let round = 0; round < options.rounds; round++) {
        // root first in even rounds, the user first in odd ones
        for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
          if (!server.alive) throw new Error(`server exited\n${server.recentOutput()}`);
          const cpu = startCpuSample(server.pid);
          const from = monotonicUs();
          const outcome = await runPhase({
            concurrency: options.concurrency,
            bound: { durationMs: options.durationMs / options.rounds },
            op: ops.get(side)!,
            firstSeq: side.seq,
            abandonAfterErrors: 50,
          });
          side.tally.add(outcome, cpu());
          side.windows.push([from, monotonicUs()]);
          side.rounds.push(outcome.elapsedMs > 0 ? (outcome.ops * 1000) / outcome.elapsedMs : 0);
          side.seq = outcome.nextSeq;
        }
      }
      const [r, u] = sides.map((s) => (s.tally.ops === 0 ? { failed: s.tally.errorSamples[0] ?? 'every request failed' } : measurementOf(s.tally))) as [
        ServerResult,
        ServerResult,
      ];
      for (const [who, m] of [['root', r], ['user', u]] as const) {
        if (isMeasurement(m)) {
          log(
            `  ${who}: ${fmt(m.opsPerSec)} ops/s, p50 ${fmt(m.latencyMs.p50, 2)} ms, p99 ${fmt(m.latencyMs.p99, 2)} ms, ${m.errors} errors, ` +
              `server ${fmt(m.serverCpuUsPerOp ?? Number.NaN)} us/op, other CPU ${m.otherCpu === null ? '?' : `${Math.round(m.otherCpu * 100)}%`}`,
          );
        } else log(`  ${who}: FAILED ${m.failed}`);
      }
      rows.push(rowOf(scenario, r, u, roundRatiosOf(sides[0]!.rounds, sides[1]!.rounds)));
      windows.push({ label: `${scenario.label}, root`, windows: sides[0]!.windows }, { label: `${scenario.label}, user`, windows: sides[1]!.windows });
    }

    for (const c of clients) c.close();
    await server.stop();
    const finishedAt = new Date();
    const profiles: ProfileSummary[] = [];
    if (profileDir !== undefined) {
      const file = newestProfile(profileDir);
      if (file === undefined) log(`bench:policy: no .cpuprofile in ${profileDir}`);
      else for (const w of windows) profiles.push(summarizeProfile(file, { top: 30, windows: w.windows, label: `${w.label} (measured phases only)` }));
    }

    process.stdout.write(`\nRoot vs a policy-governed IAM user (${statements} statements, tag conditions): ${describeMachine(machine)}\n\n${table(rows)}\n`);
    process.stdout.write(`\n${rows.filter((r) => r.verdict === 'PASS').length}/${rows.length} targets met (a MISS is reported, never fatal). ${((finishedAt.getTime() - startedAt.getTime()) / 1000).toFixed(0)} s.\n`);
    for (const p of profiles) process.stdout.write(`\nTessera CPU profile: ${renderSummary(p)}\n`);

    if (options.out !== undefined) {
      const report = {
        benchmark: 'tessera-policy-user-vs-root',
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        machine,
        settings: {
          quick: options.quick,
          concurrency: options.concurrency,
          warmupSeconds: options.warmupMs / 1000,
          durationSeconds: options.durationMs / 1000,
          rounds: options.rounds,
          objects: options.objects,
          objectBytes: OBJECT_SIZE,
          pinning: serverCpu === undefined ? null : pinning,
          policyStatements: statements,
        },
        policy: JSON.parse(policy) as unknown,
        results: rows,
        ...(profiles.length > 0 ? { profiles } : {}),
      };
      writeJsonReport(options.out, report);
    }
    return 0;
  } finally {
    for (const c of clients) c.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runMain('bench:policy', main);
