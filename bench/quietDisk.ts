import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** What settling the disk between two workloads found and took. */
export interface DiskSettle {
  /** Dirty + Writeback page cache (MB, from /proc/meminfo) when the workload before ended. */
  readonly dirtyMbBefore: number;
  /** … and when the next one starts. */
  readonly dirtyMbAfter: number;
  readonly ms: number;
}

/** Dirty and under-writeback page cache in MB; undefined where /proc/meminfo is not there. */
export function dirtyMb(): number | undefined {
  try {
    const info = readFileSync('/proc/meminfo', 'utf8');
    const kb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(info)?.[1] ?? 0);
    return (kb('Dirty') + kb('Writeback')) / 1024;
  } catch {
    return undefined;
  }
}

/**
 * Leave the disk quiet before the next workload: `sync` (every dirty page written), then wait until the page cache
 * holds less than `belowMb` of dirty or under-writeback data (or `timeoutMs` passed). Without it, a 64 MiB PUT run
 * right after the 4 KiB tests competes with the kernel still flushing what they wrote (202–410 MB/s seen).
 */
export async function quietDisk(belowMb = 4, timeoutMs = 30_000): Promise<DiskSettle | undefined> {
  const before = dirtyMb();
  if (before === undefined) return undefined;
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const child = spawn('sync', { stdio: 'ignore' });
    child.once('error', () => resolve());
    child.once('exit', () => resolve());
  });
  let after = dirtyMb() ?? 0;
  while (after >= belowMb && performance.now() - t0 < timeoutMs) {
    await new Promise((r) => setTimeout(r, 100));
    after = dirtyMb() ?? 0;
  }
  const round = (v: number): number => Math.round(v * 10) / 10;
  return { dirtyMbBefore: round(before), dirtyMbAfter: round(after), ms: Math.round(performance.now() - t0) };
}
