import type { CpuSample } from '../process/cpu.js';
import type { LoadOutcome } from './closedLoop.js';
import { LatencyRecorder } from './stats.js';

/** The sum of one server's measured phases (rounds) for one scenario. */
export class Tally {
  ops = 0;
  errors = 0;
  bytes = 0;
  elapsedMs = 0;
  serverCpuMs: number | undefined = 0;
  clientCpuMs = 0;
  /** Machine CPU used by neither the client nor the server (other processes), ms. */
  otherCpuMs: number | undefined = 0;
  abandoned = false;
  readonly errorSamples: string[] = [];
  readonly latencies = new LatencyRecorder();

  add(outcome: LoadOutcome, cpu: CpuSample): void {
    this.ops += outcome.ops;
    this.errors += outcome.errors;
    this.bytes += outcome.bytes;
    this.elapsedMs += outcome.elapsedMs;
    this.abandoned ||= outcome.abandoned;
    for (const e of outcome.errorSamples) if (this.errorSamples.length < 5 && !this.errorSamples.includes(e)) this.errorSamples.push(e);
    this.latencies.addAll(outcome.latencies);
    this.clientCpuMs += cpu.clientMs;
    this.serverCpuMs = this.serverCpuMs === undefined || cpu.serverMs === undefined ? undefined : this.serverCpuMs + cpu.serverMs;
    this.otherCpuMs =
      this.otherCpuMs === undefined || cpu.machineMs === undefined || cpu.serverMs === undefined
        ? undefined
        : this.otherCpuMs + Math.max(0, cpu.machineMs - cpu.serverMs - cpu.clientMs);
  }
}
