import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The layer rule of docs/architecture.md, checked on the TypeScript sources: arrows only point down.
 *
 *   cli, main ─▶ s3 · iam · control (the APIs) ─▶ http · workers ─▶ core ─▶ policy · xml · errors
 *   cli, main ─▶ observability (metrics, audit log: watches requests) ─▶ http · core
 *                                     storage ─▶ core (implements its ports), remote (the signed S3 client: blobs on S3)
 *                                      remote ─▶ core, s3/auth/sigv4, xml (outbound adapters: replication, webhooks)
 *
 * A file of a layer on the left may import from the layers to its right, never the reverse; and nothing below the
 * operations (a pipeline stage, a service, a store) imports an operation.
 */
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src');

/** Top-level folders (or files) of src/ a layer may not import from. */
const FORBIDDEN: Readonly<Record<string, readonly string[]>> = {
  core: ['observability', 'storage', 'remote', 's3', 'iam', 'control', 'http', 'workers', 'cli', 'config', 'main.ts', 'ApiModule.ts'],
  policy: ['observability', 'storage', 'remote', 's3', 'iam', 'control', 'http', 'workers', 'cli', 'config', 'main.ts', 'ApiModule.ts'],
  xml: ['observability', 'storage', 's3', 'iam', 'control', 'http', 'workers', 'cli', 'config', 'main.ts', 'ApiModule.ts', 'core', 'policy'],
  errors: ['observability', 'storage', 's3', 'iam', 'control', 'http', 'workers', 'cli', 'config', 'main.ts', 'ApiModule.ts', 'core', 'policy', 'xml'],
  storage: ['observability', 's3', 'iam', 'control', 'http', 'workers', 'cli', 'main.ts', 'ApiModule.ts'],
  remote: ['observability', 'storage', 'iam', 'control', 'http', 'workers', 'cli', 'main.ts', 'ApiModule.ts'],
  http: ['observability', 'storage', 'remote', 's3', 'iam', 'control', 'workers', 'cli', 'main.ts'],
  workers: ['observability', 'storage', 'remote', 's3', 'iam', 'control', 'http', 'cli', 'main.ts'],
  observability: ['storage', 'remote', 's3', 'iam', 'control', 'workers', 'cli', 'main.ts', 'ApiModule.ts'],
};

/** Folders below the operations: none of their files may import from an `operations/` folder. */
const BELOW_OPERATIONS = ['core', 'policy', 'xml', 'errors', 'storage', 'remote', 'http', 'workers', 'observability', 's3/auth', 's3/policy', 's3/router', 's3/xml'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Relative import specifiers of a file (static, type-only, re-exports and dynamic imports), resolved under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) {
    found.push(relative(SRC, resolve(dirname(file), m[1]!)));
  }
  return found;
}

function topOf(path: string): string {
  return path.split('/')[0]!;
}

export function layerViolations(): string[] {
  const problems: string[] = [];
  for (const file of sources(SRC)) {
    const from = relative(SRC, file);
    const layer = topOf(from);
    const forbidden = FORBIDDEN[layer] ?? [];
    const below = BELOW_OPERATIONS.some((dir) => from === dir || from.startsWith(dir + '/'));
    for (const target of importsOf(file)) {
      if (forbidden.includes(topOf(target.replace(/\.js$/, '.ts')))) problems.push(`${from} imports ${target} (${layer} may not import ${topOf(target)})`);
      if (below && /(^|\/)operations\//.test(target)) problems.push(`${from} imports the operation ${target}`);
    }
  }
  return problems;
}

describe('layers (docs/architecture.md)', () => {
  it('arrows only point down', () => {
    assert.deepEqual(layerViolations(), []);
  });

  it('the check sees an arrow pointing up', () => {
    const text = "import type { X } from '../../storage/metadata/sqlite/SqliteMetadataStore.js';";
    const m = /(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/.exec(text);
    const target = relative(SRC, resolve(join(SRC, 'core/objects'), m![1]!));
    assert.ok((FORBIDDEN.core ?? []).includes(topOf(target)));
  });
});
