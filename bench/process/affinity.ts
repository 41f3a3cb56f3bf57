import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

/**
 * CPU pinning with taskset (util-linux). On a 2-core machine the kernel tends to wake the client and the server
 * on the same core (they ping-pong over loopback), which halves either side's speed at random; pinning the load
 * generator to one core and the server to the other makes runs repeatable.
 */
export interface Pinning {
  /** The core the bench process (the client) runs on. */
  readonly clientCpu: number;
  /** The core the server processes run on. */
  readonly serverCpu: number;
}

/** The pinning to use, or why none: needs Linux, taskset, and two or more CPUs. */
export function choosePinning(): Pinning | string {
  if (process.platform !== 'linux') return 'not Linux';
  if (cpus().length < 2) return 'fewer than 2 CPUs';
  const probe = spawnSync('taskset', ['-p', String(process.pid)], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) return 'taskset not available';
  return { clientCpu: 0, serverCpu: 1 };
}

/** Pin every thread of this process to `cpu`; false when taskset refused. */
export function pinThisProcess(cpu: number): boolean {
  const result = spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], { encoding: 'utf8' });
  return result.error === undefined && result.status === 0;
}
