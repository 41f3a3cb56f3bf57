import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Progress and results go to stderr; the tables too, so stdout stays free for tools. */
export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** A number with thousands separators and a fixed number of decimals ('-' when not finite). */
export function fmt(n: number, digits = 0): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '-';
}

export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The most recent `.cpuprofile` in `dir`, if any. */
export function newestProfile(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

/** Write a run's results as JSON (creating the folder), and say where. */
export function writeJsonReport(path: string, report: unknown): void {
  const out = resolve(path);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  log(`results written to ${out}`);
}

/** Run a benchmark's main: its return value is the exit code; a crash is logged and exits 1. */
export function runMain(name: string, main: (argv: readonly string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      log(`${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exitCode = 1;
    },
  );
}
