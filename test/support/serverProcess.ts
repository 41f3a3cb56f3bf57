import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';

/** The built server as a child process, for the crash tests (killed with SIGKILL, restarted on the same data). */

export const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
export const CREDENTIALS = { accessKeyId: 'TESSERACRASHTEST0001', secretAccessKey: 'tessera-crash-test-secret-000000000000' };

export interface Running {
  readonly proc: ChildProcess;
  readonly endpoint: string;
}

/** Start `tessera server` on `dataDir`; `env` adds to (or overrides) its environment, e.g. TESSERA_METADATA_URL. */
export function startServer(dataDir: string, env: Readonly<Record<string, string>> = {}): Promise<Running> {
  const proc = spawn(process.execPath, [CLI, 'server'], {
    env: {
      ...process.env,
      TESSERA_ADDRESS: '127.0.0.1:0',
      TESSERA_DATA_DIR: dataDir,
      TESSERA_ROOT_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      TESSERA_ROOT_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      TESSERA_LOG_LEVEL: 'error',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        proc.stdout?.off('data', onData);
        proc.stdout?.resume();
        resolve({ proc, endpoint: m[1] as string });
      }
    };
    proc.stdout?.on('data', onData);
    proc.once('exit', (code, signal) => reject(new Error(`server exited before listening (${code ?? signal}): ${out}`)));
    proc.once('error', reject);
  });
}

export function kill9(running: Running): Promise<void> {
  return new Promise((resolve) => {
    if (running.proc.exitCode !== null || running.proc.signalCode !== null) {
      resolve();
      return;
    }
    running.proc.once('exit', () => resolve());
    running.proc.kill('SIGKILL');
  });
}

export function clientFor(endpoint: string): S3Client {
  const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  return new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: CREDENTIALS, maxAttempts: 1, logger: quiet });
}

