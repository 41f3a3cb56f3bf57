import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

/** One built file of the console, held in memory. */
export interface ConsoleAsset {
  readonly body: Buffer;
  readonly contentType: string;
  /** Hashed bundle files never change under their name; index.html is always revalidated. */
  readonly immutable: boolean;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : [],
  );
}

/**
 * The console's built files (Vite's output, `dist/console/`) by their path under `/console/`, read once. Only these
 * exact names are served, so no request path can reach outside the folder. Undefined when the console is not built.
 */
export function loadConsoleAssets(dir: string): ReadonlyMap<string, ConsoleAsset> | undefined {
  if (!existsSync(join(dir, 'index.html'))) return undefined;
  const assets = new Map<string, ConsoleAsset>();
  for (const file of filesUnder(dir)) {
    const name = relative(dir, file).split(sep).join('/');
    const contentType = CONTENT_TYPES[extname(name).toLowerCase()];
    if (contentType === undefined) continue;
    assets.set(name, { body: readFileSync(file), contentType, immutable: name.startsWith('assets/') });
  }
  return assets;
}
