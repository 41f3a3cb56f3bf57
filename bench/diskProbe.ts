import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** What the file system under the data dir costs per operation, in ms (wall time, and this process's system CPU). */
export interface DiskProbe {
  readonly dir: string;
  /** Create a file, write 4 KiB, fsync, close. */
  readonly createWriteFsyncMs: number;
  /** Create a file, write 4 KiB, close (no fsync). */
  readonly createWriteMs: number;
  readonly createWriteSysMs: number;
  readonly mkdirMs: number;
}

function time(n: number, op: (i: number) => void): { wallMs: number; sysMs: number } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) op(i);
  const wallMs = (performance.now() - t0) / n;
  return { wallMs, sysMs: process.cpuUsage(cpu0).system / 1000 / n };
}

const round = (v: number): number => Math.round(v * 1000) / 1000;

/**
 * Time a few small-file operations in a scratch folder under `dir` (removed after). Object stores that keep a file
 * per object pay these on every PUT, and they differ wildly between file systems and even folders of one disk.
 */
export function probeDisk(dir: string, n = 100): DiskProbe {
  const scratch = join(dir, `.disk-probe-${process.pid}`);
  mkdirSync(scratch, { recursive: true });
  try {
    const data = Buffer.alloc(4096, 0x61);
    const withSync = time(n, (i) => {
      const fd = openSync(join(scratch, `s${i}`), 'wx');
      writeSync(fd, data);
      fsyncSync(fd);
      closeSync(fd);
    });
    const noSync = time(n, (i) => {
      const fd = openSync(join(scratch, `n${i}`), 'wx');
      writeSync(fd, data);
      closeSync(fd);
    });
    const dirs = time(n, (i) => mkdirSync(join(scratch, `d${i}`)));
    return {
      dir,
      createWriteFsyncMs: round(withSync.wallMs),
      createWriteMs: round(noSync.wallMs),
      createWriteSysMs: round(noSync.sysMs),
      mkdirMs: round(dirs.wallMs),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function describeProbe(p: DiskProbe): string {
  return (
    `file create+4 KiB write+fsync ${p.createWriteFsyncMs.toFixed(3)} ms, create+write ${p.createWriteMs.toFixed(3)} ms ` +
    `(${p.createWriteSysMs.toFixed(3)} ms kernel CPU), mkdir ${p.mkdirMs.toFixed(3)} ms`
  );
}
