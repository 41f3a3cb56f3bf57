import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { SCENARIO_IDS, type ScenarioId } from './scenarios.js';

export interface BenchOptions {
  readonly quick: boolean;
  /** The scenarios to run, in the standard order. */
  readonly scenarios: readonly ScenarioId[];
  /** Requests in flight for the 4 KiB and tagging tests. */
  readonly concurrency: number;
  /** Requests in flight for the 64 MiB tests. */
  readonly largeConcurrency: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** The measured time (or transfers) is split into this many rounds, alternating the two servers. */
  readonly rounds: number;
  /** 64 MiB transfers before measuring, and measured. */
  readonly largeWarmup: number;
  readonly largeCount: number;
  /** How many 4 KiB objects the GET/HEAD/tagging tests cycle over. */
  readonly objects: number;
  /** Send Content-MD5 with object PUTs. */
  readonly md5: boolean;
  readonly out: string | undefined;
  /** Parent of Tessera's temporary data dir. */
  readonly dataParent: string;
  /** Profile the Tessera child with --cpu-prof into profileDir. */
  readonly profile: boolean;
  readonly profileDir: string | undefined;
  /** Pin the client and the servers to different cores with taskset (default on where possible). */
  readonly pin: boolean;
  /** sync and wait for the dirty page cache to drain before each test (default on; bench/quietDisk.ts). */
  readonly quietDisk: boolean;
  /**
   * A checkout of an earlier Tessera (built: <dir>/dist/src/cli/main.js) measured in place of the bare ceiling, so
   * the ratio column reads "this build / that build" in one run.
   */
  readonly baseline: string | undefined;
  /**
   * Measure what observation costs: this build with the metrics on, three tag-filtered metrics configurations on the
   * bucket and the audit log on, against this build with TESSERA_METRICS=off in place of the ceiling.
   */
  readonly observed: boolean;
  /** This build on PostgreSQL against itself on SQLite. */
  readonly postgres: boolean;
  readonly help: boolean;
}

export const USAGE = `Usage: node dist/bench/run.js [options]   (npm run bench -- [options])

Runs Tessera and a bare node:http ceiling server as child processes and loads both, side by side, with a
SigV4 client running in this process. Prints a table and, with --out, writes the results as JSON.

Options:
  --quick                 a short smoke run (about 30 s)
  --only <ids>            comma-separated scenarios: ${SCENARIO_IDS.join(', ')}
  --concurrency <n>       requests in flight for 4 KiB and tagging tests (default 32)
  --large-concurrency <n> requests in flight for 64 MiB tests (default 2)
  --warmup <s>            warm-up seconds before each 4 KiB/tagging test (default 3; quick 0.5)
  --duration <s>          measured seconds of each 4 KiB/tagging test (default 10; quick 1.5)
  --rounds <n>            split each measurement into n rounds alternating ceiling and Tessera, so a busy
                          neighbour or a slow moment hits both alike (default 5; quick 1)
  --large-count <n>       measured 64 MiB transfers (default 8; quick 2), after --large-warmup <n> (default 2; quick 1)
  --objects <n>           4 KiB objects the GET/HEAD/tagging tests cycle over (default 1024; quick 256)
  --baseline <checkout>   measure an earlier Tessera build (<checkout>/dist/src/cli/main.js, built) in place of
                          the bare ceiling: the ratio column is then this build / that build, in one run
  --observed              the cost of observation (issue 11): this build with metrics, three tag-filtered metrics
                          configurations and the audit log on, against this build with them off (the "ceiling"
                          column); PutObject and GetObject 4 KiB unless --only says otherwise, target >= 90%
  --postgres              the PostgreSQL backend: this build with its metadata on PostgreSQL against this build on
                          SQLite (the "ceiling" column). The bench starts a throwaway cluster with fsync on (Debian's
                          postgresql), or uses the server at TESSERA_BENCH_POSTGRES_URL (a database it may create
                          tables in); target >= 50% of SQLite
  --no-pin                do not pin the client (core 0) and the servers (core 1) with taskset
  --no-quiet-disk         do not sync and wait for dirty pages to drain before each test (the figures then
                          depend on what the test before left for the disk to write)
  --md5                   send Content-MD5 with object PUTs (off by default)
  --data-dir <dir>        create Tessera's (temporary) data dir under <dir> (default the OS temp dir, $TMPDIR)
  --out <file>            write the results as JSON to <file>
  --profile               run Tessera with --cpu-prof and print its hottest functions after the run
  --profile-dir <dir>     where --profile writes .cpuprofile files (default a new folder under the OS temp dir)
  -h, --help              this text
`;

export class UsageError extends Error {}

function numberOption(name: string, raw: string | undefined, fallback: number, integer: boolean, zeroOk = false): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || (value === 0 && !zeroOk) || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be a ${zeroOk ? 'non-negative' : 'positive'} ${integer ? 'integer' : 'number'}, got '${raw}'`);
  }
  return value;
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      concurrency: { type: 'string' },
      'large-concurrency': { type: 'string' },
      warmup: { type: 'string' },
      duration: { type: 'string' },
      rounds: { type: 'string' },
      'large-warmup': { type: 'string' },
      'large-count': { type: 'string' },
      objects: { type: 'string' },
      md5: { type: 'boolean', default: false },
      'no-pin': { type: 'boolean', default: false },
      'no-quiet-disk': { type: 'boolean', default: false },
      baseline: { type: 'string' },
      observed: { type: 'boolean', default: false },
      postgres: { type: 'boolean', default: false },
      out: { type: 'string' },
      'data-dir': { type: 'string' },
      profile: { type: 'boolean', default: false },
      'profile-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const quick = values.quick === true;
  const observed = values.observed === true;
  const postgres = values.postgres === true;
  if ([observed, postgres, values.baseline !== undefined].filter(Boolean).length > 1) {
    throw new UsageError('--observed, --postgres and --baseline each choose what the ceiling column is: give one');
  }
  let scenarios: readonly ScenarioId[] = observed ? ['put-small', 'get-small'] : SCENARIO_IDS;
  if (values.only !== undefined) {
    const wanted = values.only.split(',').map((s) => s.trim()).filter((s) => s !== '');
    for (const id of wanted) {
      if (!(SCENARIO_IDS as readonly string[]).includes(id)) {
        throw new UsageError(`--only: unknown scenario '${id}' (known: ${SCENARIO_IDS.join(', ')})`);
      }
    }
    scenarios = SCENARIO_IDS.filter((id) => wanted.includes(id));
  }
  const profileDir = values['profile-dir'];
  return {
    quick,
    scenarios,
    concurrency: numberOption('concurrency', values.concurrency, 32, true),
    largeConcurrency: numberOption('large-concurrency', values['large-concurrency'], 2, true),
    warmupMs: numberOption('warmup', values.warmup, quick ? 0.5 : 3, false, true) * 1000,
    durationMs: numberOption('duration', values.duration, quick ? 1.5 : 10, false) * 1000,
    rounds: numberOption('rounds', values.rounds, quick ? 1 : 5, true),
    largeWarmup: numberOption('large-warmup', values['large-warmup'], quick ? 1 : 2, true, true),
    largeCount: numberOption('large-count', values['large-count'], quick ? 2 : 8, true),
    objects: numberOption('objects', values.objects, quick ? 256 : 1024, true),
    md5: values.md5 === true,
    out: values.out,
    dataParent: values['data-dir'] ?? tmpdir(),
    profile: values.profile === true || profileDir !== undefined,
    profileDir,
    pin: values['no-pin'] !== true,
    quietDisk: values['no-quiet-disk'] !== true,
    baseline: values.baseline,
    observed,
    postgres,
    help: values.help === true,
  };
}
