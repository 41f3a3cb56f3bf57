import type { DiskSettle } from '../quietDisk.js';
import type { Tally } from '../load/Tally.js';
import { mean, percentile } from '../load/stats.js';
import type { Scenario, ScenarioId } from '../scenarios.js';
import { describeTarget, meets } from '../targets.js';

/** One server's figures for one scenario (the measured phase only). */
export interface Measurement {
  readonly ops: number;
  readonly errors: number;
  readonly errorSamples: readonly string[];
  readonly elapsedMs: number;
  readonly opsPerSec: number;
  /** Body bytes moved per second, in MB/s (10^6 bytes). */
  readonly mbPerSec: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly mean: number; readonly max: number };
  /** CPU used while measuring, in cores (1 = one full core): the server, the client, and other processes. */
  readonly serverCpu: number | null;
  readonly clientCpu: number | null;
  readonly otherCpu: number | null;
  /**
   * Server CPU time per operation in µs (4 KiB/tagging) or per MB moved (64 MiB): what one request costs the server,
   * which other processes on the machine disturb far less than they disturb ops/s.
   */
  readonly serverCpuUsPerOp: number | null;
  readonly serverCpuUsPerMB: number | null;
}

/** A scenario that could not be measured on a server (preparation failed, server gone). */
export interface Failure {
  readonly failed: string;
}

export type ServerResult = Measurement | Failure;

export interface ResultRow {
  readonly id: ScenarioId;
  readonly label: string;
  readonly operation: string;
  readonly unit: 'ops/s' | 'MB/s';
  readonly tessera: ServerResult;
  readonly ceiling: ServerResult;
  /** Tessera's figure / the ceiling's figure. */
  readonly ratio: number | null;
  readonly target: string;
  readonly verdict: 'PASS' | 'MISS';
  /** Why a MISS is not (only) about speed, e.g. errors. */
  readonly note: string | null;
  /** The dirty page cache before the test, and after quieting the disk (unless --no-quiet-disk). */
  readonly diskSettle?: DiskSettle;
}

/** CPU used by other processes (in cores) above which a measurement is flagged as disturbed. */
const NOISY_NEIGHBOUR_CORES = 0.15;

export function isMeasurement(r: ServerResult): r is Measurement {
  return !('failed' in r);
}

export function measurementOf(tally: Tally): Measurement {
  const sorted = tally.latencies.sorted();
  const seconds = tally.elapsedMs / 1000;
  const cores = (ms: number | undefined): number | null => (ms === undefined || tally.elapsedMs === 0 ? null : round(ms / tally.elapsedMs, 2));
  return {
    ops: tally.ops,
    errors: tally.errors,
    errorSamples: [...tally.errorSamples],
    elapsedMs: round(tally.elapsedMs, 1),
    opsPerSec: round(tally.ops / seconds, 1),
    mbPerSec: round(tally.bytes / 1e6 / seconds, 1),
    latencyMs: {
      p50: round(percentile(sorted, 50), 3),
      p99: round(percentile(sorted, 99), 3),
      mean: round(mean(sorted), 3),
      max: round(sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] as number), 3),
    },
    serverCpu: cores(tally.serverCpuMs),
    clientCpu: cores(tally.clientCpuMs),
    otherCpu: cores(tally.otherCpuMs),
    serverCpuUsPerOp: tally.serverCpuMs === undefined || tally.ops === 0 ? null : round((tally.serverCpuMs * 1000) / tally.ops, 1),
    serverCpuUsPerMB: tally.serverCpuMs === undefined || tally.bytes === 0 ? null : round((tally.serverCpuMs * 1000) / (tally.bytes / 1e6), 1),
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The figure a scenario is judged by: ops/s for 4 KiB and tagging tests, MB/s for 64 MiB ones. */
export function figureOf(result: ServerResult, unit: ResultRow['unit']): number {
  if (!isMeasurement(result) || result.ops === 0) return Number.NaN;
  return unit === 'ops/s' ? result.opsPerSec : result.mbPerSec;
}

export function rowOf(scenario: Scenario, tessera: ServerResult, ceiling: ServerResult, settle?: DiskSettle): ResultRow {
  const unit = scenario.size === 'small' ? 'ops/s' : 'MB/s';
  const t = figureOf(tessera, unit);
  const c = figureOf(ceiling, unit);
  const ratio = Number.isFinite(t) && Number.isFinite(c) && c > 0 ? round(t / c, 3) : null;
  const notes: string[] = [];
  if (!isMeasurement(tessera)) notes.push(`tessera: ${tessera.failed}`);
  else if (tessera.errors > 0) notes.push(`tessera: ${tessera.errors} errors (${tessera.errorSamples[0] ?? ''})`);
  if (!isMeasurement(ceiling)) notes.push(`ceiling: ${ceiling.failed}`);
  else if (ceiling.errors > 0) notes.push(`ceiling: ${ceiling.errors} errors (${ceiling.errorSamples[0] ?? ''})`);
  if (settle !== undefined && scenario.size !== 'small') {
    notes.push(`disk quieted before it: ${settle.dirtyMbBefore} MB dirty left by the test before, ${settle.dirtyMbAfter} MB after sync (${settle.ms} ms)`);
  }
  const busy = [tessera, ceiling].filter(isMeasurement).map((m) => m.otherCpu ?? 0);
  if (busy.some((c) => c > NOISY_NEIGHBOUR_CORES)) {
    notes.push(`other processes used up to ${Math.round(Math.max(...busy) * 100)}% of a core meanwhile; figures are less reliable`);
  }
  const clean = isMeasurement(tessera) && tessera.errors === 0;
  const pass = clean && meets(scenario.target, t, ratio ?? Number.NaN);
  return {
    id: scenario.id,
    label: scenario.label,
    operation: scenario.operation,
    unit,
    tessera,
    ceiling,
    ratio,
    target: describeTarget(scenario.target),
    verdict: pass ? 'PASS' : 'MISS',
    note: notes.length === 0 ? null : notes.join('; '),
    ...(settle !== undefined ? { diskSettle: settle } : {}),
  };
}
