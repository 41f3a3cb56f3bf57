import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** utime + stime (all threads) of a process from /proc/<pid>/stat, in ms; undefined where /proc is missing. */
export function processCpuTimeMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name (which may hold spaces) start with the state (field 3)
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
    return ((utime + stime) * 1000) / USER_HZ;
  } catch {
    return undefined;
  }
}

/** CPU time the whole machine spent busy (all cores, anything but idle and iowait, steal included), in ms. */
export function machineBusyMs(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const [label, ...values] = line.trim().split(/\s+/);
    if (label !== 'cpu') return undefined;
    const n = values.map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already inside user)
    const busy = (n[0] ?? 0) + (n[1] ?? 0) + (n[2] ?? 0) + (n[5] ?? 0) + (n[6] ?? 0) + (n[7] ?? 0);
    return (busy * 1000) / USER_HZ;
  } catch {
    return undefined;
  }
}

/** This process's CPU time (user + system), ms. */
export function selfCpuTimeMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** CPU used over an interval by the server, the client, and everything else on the machine. */
export interface CpuSample {
  readonly serverMs: number | undefined;
  readonly clientMs: number;
  readonly machineMs: number | undefined;
}

/** Start a CPU measurement; call the result to get the usage since. */
export function startCpuSample(serverPid: number): () => CpuSample {
  const server0 = processCpuTimeMs(serverPid);
  const client0 = selfCpuTimeMs();
  const machine0 = machineBusyMs();
  return () => {
    const server1 = processCpuTimeMs(serverPid);
    const machine1 = machineBusyMs();
    return {
      serverMs: server0 === undefined || server1 === undefined ? undefined : server1 - server0,
      clientMs: selfCpuTimeMs() - client0,
      machineMs: machine0 === undefined || machine1 === undefined ? undefined : machine1 - machine0,
    };
  };
}
