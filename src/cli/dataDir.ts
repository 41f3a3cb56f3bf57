import { loadConfig } from '../config/config.js';

/** The data dir the commands that work on it directly use (`--data-dir`, else TESSERA_DATA_DIR, else ./data). */
export function dataDirOf(flag: string | undefined, env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  return loadConfig(flag !== undefined ? { 'data-dir': flag } : {}, env, cwd).dataDir;
}
