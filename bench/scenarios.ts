import { BenchRequestError, type BenchClient, type PreparedBody } from './client/BenchClient.js';
import { runPhase, type LoadOp } from './load/closedLoop.js';
import type { Target } from './targets.js';
import { BENCH_TAGS, LARGE_SIZE, SMALL_SIZE } from './workload.js';

export const SCENARIO_IDS = ['put-small', 'get-small', 'head-small', 'put-tagging', 'get-tagging', 'put-large', 'get-large'] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

/** Everything a scenario needs about one server under test. */
export interface Fixture {
  readonly server: 'tessera' | 'ceiling';
  readonly client: BenchClient;
  readonly bucket: string;
  readonly small: PreparedBody;
  readonly large: PreparedBody;
  readonly tagging: PreparedBody;
  /** Number of 4 KiB objects in the read set (obj/0 … obj/n-1). */
  readonly objects: number;
  /** Number of 64 MiB objects in the read set (large/get-0 …). */
  readonly largeObjects: number;
  readonly concurrency: number;
  readonly md5: boolean;
  /** Check that what comes back is what was stored (Tessera only; the ceiling answers filler bytes). */
  readonly verifyContent: boolean;
  /** Preparation steps already done on this server. */
  readonly done: Set<string>;
}

export interface Scenario {
  readonly id: ScenarioId;
  /** 'PutObject 4 KiB' */
  readonly label: string;
  /** The AWS operation name. */
  readonly operation: string;
  /** small: time-bound, figure in ops/s; large: count-bound, figure in MB/s. */
  readonly size: 'small' | 'large';
  readonly target: Target;
  /** Create what the operation reads (outside the measurement). */
  prepare(fx: Fixture): Promise<void>;
  op(fx: Fixture): LoadOp;
}

function expectBytes(what: string, got: number, want: number): void {
  if (got !== want) throw new BenchRequestError(200, 'ShortBody', `${what}: got ${got} bytes, expected ${want}`);
}

async function once(fx: Fixture, step: string, work: () => Promise<void>): Promise<void> {
  if (fx.done.has(step)) return;
  await work();
  fx.done.add(step);
}

async function runAll(fx: Fixture, count: number, concurrency: number, op: LoadOp, what: string): Promise<void> {
  const outcome = await runPhase({ concurrency, bound: { count }, op, firstSeq: 0, abandonAfterErrors: 1 });
  if (outcome.errors > 0) throw new Error(`preparing ${what} failed: ${outcome.errorSamples[0] ?? 'unknown error'}`);
}

/** The 4 KiB read set: obj/0 … obj/n-1. */
function smallSet(fx: Fixture): Promise<void> {
  return once(fx, 'small-set', async () => {
    await runAll(fx, fx.objects, fx.concurrency, (i) => fx.client.putObject(fx.bucket, `obj/${i}`, fx.small, fx.md5).then(() => SMALL_SIZE), '4 KiB objects');
    if (fx.verifyContent) {
      const got = await fx.client.getObject(fx.bucket, 'obj/0', true);
      if (got.body === undefined || !got.body.equals(fx.small.data)) throw new Error('GET obj/0 did not return the bytes PUT there');
    }
  });
}

/** The read set, each object carrying the four benchmark tags. */
function taggedSet(fx: Fixture): Promise<void> {
  return once(fx, 'tagged-set', async () => {
    await smallSet(fx);
    await runAll(fx, fx.objects, fx.concurrency, (i) => fx.client.putObjectTagging(fx.bucket, `obj/${i}`, fx.tagging).then(() => 0), 'object tags');
    if (fx.verifyContent) {
      const got = await fx.client.getObjectTagging(fx.bucket, 'obj/0', true);
      const text = got.body?.toString('utf8') ?? '';
      for (const tag of BENCH_TAGS) {
        if (!text.includes(`<Key>${tag.Key}</Key>`) || !text.includes(`<Value>${tag.Value}</Value>`)) {
          throw new Error(`GetObjectTagging obj/0 lacks the tag ${tag.Key}=${tag.Value}: ${text.slice(0, 300)}`);
        }
      }
    }
  });
}

/** The 64 MiB read set: large/get-0 … */
function largeSet(fx: Fixture): Promise<void> {
  return once(fx, 'large-set', () =>
    runAll(fx, fx.largeObjects, fx.largeObjects, (i) => fx.client.putObject(fx.bucket, `large/get-${i}`, fx.large, fx.md5).then(() => LARGE_SIZE), '64 MiB objects'),
  );
}

const nothing = (): Promise<void> => Promise.resolve();

export const SCENARIOS: Readonly<Record<ScenarioId, Scenario>> = {
  'put-small': {
    id: 'put-small',
    label: 'PutObject 4 KiB',
    operation: 'PutObject',
    size: 'small',
    target: { kind: 'ratio', min: 0.25 },
    prepare: nothing,
    // a new key every time: measures creating objects
    op: (fx) => (seq) => fx.client.putObject(fx.bucket, `put/${seq}`, fx.small, fx.md5).then(() => SMALL_SIZE),
  },
  'get-small': {
    id: 'get-small',
    label: 'GetObject 4 KiB',
    operation: 'GetObject',
    size: 'small',
    target: { kind: 'ratio', min: 0.5 },
    prepare: smallSet,
    op: (fx) => async (seq) => {
      const res = await fx.client.getObject(fx.bucket, `obj/${seq % fx.objects}`);
      expectBytes('GetObject', res.bytes, SMALL_SIZE);
      return res.bytes;
    },
  },
  'head-small': {
    id: 'head-small',
    label: 'HeadObject 4 KiB',
    operation: 'HeadObject',
    size: 'small',
    target: { kind: 'ratio', min: 0.5 },
    prepare: smallSet,
    op: (fx) => async (seq) => {
      const res = await fx.client.headObject(fx.bucket, `obj/${seq % fx.objects}`);
      expectBytes('HeadObject Content-Length', Number(res.headers['content-length']), SMALL_SIZE);
      return 0;
    },
  },
  'put-tagging': {
    id: 'put-tagging',
    label: 'PutObjectTagging (4 tags)',
    operation: 'PutObjectTagging',
    size: 'small',
    target: { kind: 'ratio', min: 0.5 },
    prepare: smallSet,
    op: (fx) => (seq) => fx.client.putObjectTagging(fx.bucket, `obj/${seq % fx.objects}`, fx.tagging).then(() => 0),
  },
  'get-tagging': {
    id: 'get-tagging',
    label: 'GetObjectTagging (4 tags)',
    operation: 'GetObjectTagging',
    size: 'small',
    target: { kind: 'ratio', min: 0.5 },
    prepare: taggedSet,
    op: (fx) => async (seq) => {
      const res = await fx.client.getObjectTagging(fx.bucket, `obj/${seq % fx.objects}`);
      if (res.bytes === 0) throw new BenchRequestError(200, 'EmptyBody', 'GetObjectTagging: empty body');
      return res.bytes;
    },
  },
  'put-large': {
    id: 'put-large',
    label: 'PutObject 64 MiB',
    operation: 'PutObject',
    size: 'large',
    target: { kind: 'throughput', minMBps: 250 },
    prepare: nothing,
    op: (fx) => (seq) => fx.client.putObject(fx.bucket, `large/put-${seq}`, fx.large, fx.md5).then(() => LARGE_SIZE),
  },
  'get-large': {
    id: 'get-large',
    label: 'GetObject 64 MiB',
    operation: 'GetObject',
    size: 'large',
    target: { kind: 'throughput', minMBps: 700 },
    prepare: largeSet,
    op: (fx) => async (seq) => {
      const res = await fx.client.getObject(fx.bucket, `large/get-${seq % fx.largeObjects}`);
      expectBytes('GetObject', res.bytes, LARGE_SIZE);
      return res.bytes;
    },
  },
};
