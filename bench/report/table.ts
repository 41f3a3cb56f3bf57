import { figureOf, isMeasurement, type ResultRow, type ServerResult } from './results.js';

function fmtNumber(value: number, digits: number): string {
  if (!Number.isFinite(value)) return '-';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function figure(result: ServerResult, unit: ResultRow['unit']): string {
  const value = figureOf(result, unit);
  return Number.isFinite(value) ? `${fmtNumber(value, 0)} ${unit}` : 'n/a';
}

function latency(result: ServerResult): string {
  if (!isMeasurement(result) || result.ops === 0) return '-';
  return `${fmtNumber(result.latencyMs.p50, 2)} / ${fmtNumber(result.latencyMs.p99, 2)}`;
}

function cpuCost(result: ServerResult, unit: ResultRow['unit']): string {
  if (!isMeasurement(result)) return '-';
  const value = unit === 'ops/s' ? result.serverCpuUsPerOp : result.serverCpuUsPerMB;
  return value === null ? '?' : `${fmtNumber(value, 0)} ${unit === 'ops/s' ? 'us/op' : 'us/MB'}`;
}

function cpu(result: ServerResult): string {
  if (!isMeasurement(result)) return '-';
  const part = (v: number | null): string => (v === null ? '?' : `${Math.round(v * 100)}%`);
  return `${part(result.serverCpu)} / ${part(result.clientCpu)} / ${part(result.otherCpu)}`;
}

/** Render rows as a plain-text table with right-aligned number columns. */
export function renderTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, rightAligned: ReadonlySet<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/**
 * The results table: operation, Tessera, ceiling, ratio, target and verdict, then latency, the server's CPU time per
 * operation (or per MB), and the CPU used while measuring (server / client / other processes, in % of one core).
 */
export function resultsTable(rows: readonly ResultRow[]): string {
  const main = renderTable(
    [
      'Operation',
      'Tessera',
      'Ceiling',
      'Ratio',
      'Target',
      'Result',
      'Tessera p50/p99 ms',
      'Ceiling p50/p99 ms',
      'Tessera srv CPU',
      'Ceiling srv CPU',
      'Tessera CPU s/c/o',
      'Ceiling CPU s/c/o',
    ],
    rows.map((r) => [
      r.label,
      figure(r.tessera, r.unit),
      figure(r.ceiling, r.unit),
      r.ratio === null ? '-' : `${fmtNumber(r.ratio * 100, 0)}%`,
      r.target,
      r.verdict,
      latency(r.tessera),
      latency(r.ceiling),
      cpuCost(r.tessera, r.unit),
      cpuCost(r.ceiling, r.unit),
      cpu(r.tessera),
      cpu(r.ceiling),
    ]),
    new Set([1, 2, 3, 6, 7, 8, 9, 10, 11]),
  );
  const notes = rows.filter((r) => r.note !== null).map((r) => `  ${r.label}: ${r.note ?? ''}`);
  return notes.length === 0 ? main : `${main}\n\nNotes:\n${notes.join('\n')}`;
}
