import { spawn, type ChildProcess } from 'node:child_process';
import { processCpuTimeMs } from './cpu.js';

export interface ServerProcessSpec {
  /** A label for messages ('tessera', 'ceiling'). */
  readonly name: string;
  /** The script node runs, and its arguments. */
  readonly script: string;
  readonly args: readonly string[];
  /** Extra node options (e.g. --cpu-prof). */
  readonly nodeArgs: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly startTimeoutMs: number;
  /** Run the process on this core only (through taskset, which execs node: the pid stays the server's). */
  readonly cpu?: number;
}

const LISTENING = /listening on (http:\/\/\S+)/;

/** A server under test running in its own node process (its own core). */
export class ServerProcess {
  private exited = false;
  private readonly exitPromise: Promise<number | null>;

  private constructor(
    readonly name: string,
    readonly endpoint: string,
    private readonly child: ChildProcess,
    private readonly output: () => string,
  ) {
    this.exitPromise = new Promise((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode);
      child.once('exit', (code) => {
        this.exited = true;
        resolve(code);
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Start the process and wait until it prints `listening on http://…`. */
  static start(spec: ServerProcessSpec): Promise<ServerProcess> {
    const nodeCommand = [process.execPath, ...spec.nodeArgs, spec.script, ...spec.args];
    const [command, ...args] = (spec.cpu === undefined ? nodeCommand : ['taskset', '-c', String(spec.cpu), ...nodeCommand]) as [string, ...string[]];
    const child = spawn(command, args, {
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const output = (): string => `${stdout}${stderr}`.trim().split('\n').slice(-20).join('\n');
    return new Promise<ServerProcess>((resolve, reject) => {
      let settled = false;
      const fail = (why: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`${spec.name} did not start: ${why}\n${output()}`));
      };
      const timer = setTimeout(() => fail(`no 'listening on' line within ${spec.startTimeoutMs} ms`), spec.startTimeoutMs);
      child.stdout?.setEncoding('utf8');
      child.stderr?.setEncoding('utf8');
      child.stdout?.on('data', (chunk: string) => {
        // keep only a tail: the server may log for a long time
        stdout = (stdout + chunk).slice(-16384);
        const match = LISTENING.exec(stdout);
        if (match !== null && !settled) {
          settled = true;
          clearTimeout(timer);
          resolve(new ServerProcess(spec.name, match[1] as string, child, output));
        }
      });
      child.stderr?.on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-16384);
      });
      child.once('error', (err) => fail(err.message));
      child.once('exit', (code, signal) => fail(`exited (${signal ?? `code ${String(code)}`})`));
    });
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** The last lines the process printed (for error reports). */
  recentOutput(): string {
    return this.output();
  }

  /** CPU time (user + system, all threads) the process has used so far, in ms; undefined where /proc is missing. */
  cpuTimeMs(): number | undefined {
    return processCpuTimeMs(this.pid);
  }

  /** SIGTERM, wait for a clean exit (a CPU profile is written then); SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exitPromise;
    clearTimeout(timer);
  }
}
