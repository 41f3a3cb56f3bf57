import { performance } from 'node:perf_hooks';
import { LatencyRecorder } from './stats.js';

/** One operation of the load: resolves to the bytes it moved (body bytes sent or received). */
export type LoadOp = (seq: number) => Promise<number>;

/** Stop after a time (ms) or after a number of operations. */
export type LoadBound = { readonly durationMs: number } | { readonly count: number };

export interface LoadOutcome {
  /** Operations that succeeded. */
  readonly ops: number;
  readonly errors: number;
  /** The first few distinct error messages. */
  readonly errorSamples: readonly string[];
  /** Wall time of the phase, ms. */
  readonly elapsedMs: number;
  readonly bytes: number;
  readonly latencies: LatencyRecorder;
  /** True when the phase stopped early because nothing succeeded. */
  readonly abandoned: boolean;
  /** The sequence number after the last one used (the next phase's firstSeq). */
  readonly nextSeq: number;
}

export interface LoadPhase {
  readonly concurrency: number;
  readonly bound: LoadBound;
  readonly op: LoadOp;
  /** The first sequence number (so warm-up and measurement use different keys for PUTs). */
  readonly firstSeq: number;
  /** Give up once this many operations failed without a single success. */
  readonly abandonAfterErrors?: number;
}

/**
 * A closed loop: `concurrency` workers each send one request, wait for it, and send the next, until the bound is
 * reached. Time-bound phases count the operations completed within the window; count-bound phases run exactly
 * `count` operations and take the wall time to the last completion.
 */
export async function runPhase(phase: LoadPhase): Promise<LoadOutcome> {
  const latencies = new LatencyRecorder();
  const errorSamples: string[] = [];
  let seq = phase.firstSeq;
  let started = 0;
  let ops = 0;
  let errors = 0;
  let bytes = 0;
  let abandoned = false;
  const abandonAfter = phase.abandonAfterErrors ?? 200;
  const begin = performance.now();
  const deadline = 'durationMs' in phase.bound ? begin + phase.bound.durationMs : Number.POSITIVE_INFINITY;
  const limit = 'count' in phase.bound ? phase.bound.count : Number.POSITIVE_INFINITY;
  let lastEnd = begin;

  const worker = async (): Promise<void> => {
    while (!abandoned && started < limit) {
      const t0 = performance.now();
      if (t0 >= deadline) return;
      started += 1;
      const mySeq = seq++;
      try {
        const moved = await phase.op(mySeq);
        const t1 = performance.now();
        if (t1 <= deadline) {
          ops += 1;
          bytes += moved;
          latencies.add(t1 - t0);
          lastEnd = t1;
        }
      } catch (err) {
        const t1 = performance.now();
        if (t1 <= deadline) {
          errors += 1;
          lastEnd = t1;
        }
        const message = err instanceof Error ? err.message : String(err);
        if (errorSamples.length < 5 && !errorSamples.includes(message)) errorSamples.push(message);
        if (ops === 0 && errors >= abandonAfter) abandoned = true;
      }
    }
  };

  const workers: Promise<void>[] = [];
  for (let i = 0; i < phase.concurrency; i++) workers.push(worker());
  await Promise.all(workers);
  const elapsedMs = 'durationMs' in phase.bound && !abandoned ? phase.bound.durationMs : lastEnd - begin;
  return { ops, errors, errorSamples, elapsedMs, bytes, latencies, abandoned, nextSeq: seq };
}
