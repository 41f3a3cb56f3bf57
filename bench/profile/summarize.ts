#!/usr/bin/env node
/**
 * Summarise a V8 .cpuprofile (from node --cpu-prof): the functions with the most self time, their inclusive time,
 * and self time by source (Tessera file, npm package, node internals, GC).
 * Usage: node dist/bench/profile/summarize.js <file.cpuprofile> [--top N]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderTable } from '../report/table.js';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly hitCount?: number;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface HotSpot {
  readonly name: string;
  readonly where: string;
  readonly selfMs: number;
  readonly selfShare: number;
  readonly totalMs: number;
  readonly totalShare: number;
  /** The callers this function's self time came through, most first (up to 3), as 'name (where)'. */
  readonly callers: readonly string[];
}

export interface ProfileSummary {
  readonly file: string;
  /** What the summary covers (a scenario's label, or the whole run). */
  readonly label: string;
  /** Sampled time excluding (idle). */
  readonly busyMs: number;
  readonly idleMs: number;
  readonly functions: readonly HotSpot[];
  readonly sources: ReadonlyArray<{ readonly source: string; readonly selfMs: number; readonly share: number }>;
}

/** Where a frame's code lives, shortened: 'src/s3/pipeline.ts', 'pkg:pino', 'node:internal/…', '(garbage collector)'. */
export function sourceOf(frame: CallFrame): string {
  const url = frame.url;
  if (url === '') return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return `pkg:${rest[0]?.startsWith('@') === true ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? '')}`;
  }
  if (url.startsWith('node:')) return url;
  let path = url;
  if (url.startsWith('file://')) {
    try {
      path = fileURLToPath(url);
    } catch {
      path = url;
    }
  }
  const m = /\/(?:dist|\.build\/[^/]+)\/((?:src|bench|test)\/.*)$/.exec(path);
  return m ? (m[1] as string).replace(/\.js$/, '.ts') : path;
}

/** A time window on the monotonic clock in µs (process.hrtime), which is the clock V8 stamps profile samples with. */
export type Window = readonly [startUs: number, endUs: number];

/** The monotonic clock in µs, comparable with .cpuprofile timestamps of any process on the machine. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export interface SummaryOptions {
  readonly top?: number;
  /** Count only samples taken inside these windows (e.g. the measured phases of one scenario). */
  readonly windows?: readonly Window[];
  readonly label?: string;
}

export function summarizeProfile(file: string, options: SummaryOptions = {}): ProfileSummary {
  const top = options.top ?? 25;
  const windows = options.windows;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) byId.set(node.id, node);

  // self time per node from the samples (each sample's interval is the next time delta)
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length > 0) {
    let at = profile.startTime;
    for (let i = 0; i < samples.length; i++) {
      at += deltas[i] ?? 0;
      if (windows !== undefined && !windows.some(([from, to]) => at >= from && at <= to)) continue;
      const id = samples[i] as number;
      const dt = deltas[i + 1] ?? deltas[i] ?? 0;
      selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, dt));
    }
  } else {
    const total = profile.endTime - profile.startTime;
    const hits = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0) || 1;
    for (const node of profile.nodes) selfUs.set(node.id, ((node.hitCount ?? 0) * total) / hits);
  }

  const keyOf = (f: CallFrame): string => `${f.functionName || '(anonymous)'}\u0000${sourceOf(f)}:${f.lineNumber + 1}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const sources = new Map<string, number>();
  const callers = new Map<string, Map<string, number>>();
  let idle = 0;
  let busy = 0;

  // walk the call tree once, crediting each node's self time to every distinct function on its stack
  const root = profile.nodes[0];
  if (root !== undefined) {
    const onStack = new Map<string, number>();
    const stack: Array<{ node: ProfileNode; entered: boolean }> = [{ node: root, entered: false }];
    const path: string[] = [];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: ProfileNode; entered: boolean };
      const key = keyOf(top.node.callFrame);
      if (top.entered) {
        stack.pop();
        path.pop();
        const n = (onStack.get(key) ?? 1) - 1;
        if (n === 0) onStack.delete(key);
        else onStack.set(key, n);
        continue;
      }
      top.entered = true;
      path.push(key);
      onStack.set(key, (onStack.get(key) ?? 0) + 1);
      const us = selfUs.get(top.node.id) ?? 0;
      const name = top.node.callFrame.functionName;
      if (name === '(idle)') idle += us;
      else if (name !== '(root)') {
        busy += us;
        self.set(key, (self.get(key) ?? 0) + us);
        const source = sourceOf(top.node.callFrame);
        sources.set(source, (sources.get(source) ?? 0) + us);
        for (const k of onStack.keys()) total.set(k, (total.get(k) ?? 0) + us);
        const parent = path[path.length - 2];
        if (parent !== undefined && us > 0) {
          const byCaller = callers.get(key) ?? new Map<string, number>();
          byCaller.set(parent, (byCaller.get(parent) ?? 0) + us);
          callers.set(key, byCaller);
        }
      }
      for (const child of top.node.children ?? []) {
        const c = byId.get(child);
        if (c !== undefined) stack.push({ node: c, entered: false });
      }
    }
  }

  const share = (us: number): number => (busy === 0 ? 0 : Math.round((us / busy) * 1000) / 10);
  const functions = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, us]) => {
      const [name, where] = key.split('\u0000') as [string, string];
      const t = total.get(key) ?? us;
      const via = [...(callers.get(key) ?? new Map<string, number>()).entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([k]) => {
          const [n, w] = k.split('\u0000') as [string, string];
          return `${n} (${w})`;
        });
      return { name, where, selfMs: Math.round(us / 1000), selfShare: share(us), totalMs: Math.round(t / 1000), totalShare: share(t), callers: via };
    });
  return {
    file,
    label: options.label ?? 'whole run',
    busyMs: Math.round(busy / 1000),
    idleMs: Math.round(idle / 1000),
    functions,
    sources: [...sources.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([source, us]) => ({ source, selfMs: Math.round(us / 1000), share: share(us) })),
  };
}

export function renderSummary(summary: ProfileSummary): string {
  const fns = renderTable(
    ['Self %', 'Self ms', 'Total %', 'Function', 'Where', 'Called from (most first)'],
    summary.functions.map((f) => [`${f.selfShare.toFixed(1)}`, String(f.selfMs), `${f.totalShare.toFixed(1)}`, f.name, f.where, f.callers.join(', ')]),
    new Set([0, 1, 2]),
  );
  const src = renderTable(
    ['Self %', 'Self ms', 'Source'],
    summary.sources.map((s) => [s.share.toFixed(1), String(s.selfMs), s.source]),
    new Set([0, 1]),
  );
  return (
    `${summary.label} (${summary.file})\nsampled: busy ${summary.busyMs} ms, idle ${summary.idleMs} ms. Self time of native fs calls includes ` +
    `time the main thread waited for its core while libuv threads did the kernel work.\n\n` +
    `Hottest functions (self time):\n${fns}\n\nSelf time by source:\n${src}`
  );
}

function cli(argv: readonly string[]): number {
  const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: { top: { type: 'string' } } });
  if (positionals.length === 0) {
    process.stderr.write('usage: summarize <file.cpuprofile> [--top N]\n');
    return 2;
  }
  const top = values.top === undefined ? 25 : Number(values.top);
  for (const file of positionals) process.stdout.write(renderSummary(summarizeProfile(file, { top })) + '\n\n');
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = cli(process.argv.slice(2));
}
