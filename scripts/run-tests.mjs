#!/usr/bin/env node
// Runs every test: the compiled Node tests (dist/test/**/*.test.js) with node's test runner, then the
// Python client tests (test/python) with pytest. Prints one closing line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
// --postgres: only the conformance suites' PostgreSQL pass (with the filters after it)
const postgresOnly = args.includes('--postgres');
const filter = args.filter((a) => a !== '--postgres');

/**
 * The conformance suites that run a second time with the metadata on PostgreSQL (TESSERA_TEST_METADATA=postgres: each
 * server gets a fresh database on the run's cluster). Left out: the crash suites (they restart a server process on
 * its data dir) and the CLI and console ones (nothing there depends on the backend).
 */
const POSTGRES_CONFORMANCE = [
  'accessControlAcl', 'accessControlPolicies', 'backend.test', 'batch.test', 'buckets', 'iam.test', 'iamCaching', 'lifecycle', 'listing',
  'metrics.test', 'metricsConfiguration', 'multipart', 'objects', 'server', 'stats', 'taggedObjects', 'tagging.test',
  'taggingPost', 'taggingWrites',
].map((name) => `dist/test/conformance/${name}`);

function findTests(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(p));
    else if (entry.name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

const all = findTests(join(root, 'dist/test'));
const files = postgresOnly ? [] : all.filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)));
const postgresFiles =
  filter.length === 0 || postgresOnly
    ? all.filter((f) => POSTGRES_CONFORMANCE.some((p) => f.includes(p)) && (filter.length === 0 || filter.some((x) => f.includes(x))))
    : [];
let passed = 0;
let failed = 0;

// One throwaway PostgreSQL cluster for the whole run (each test makes its own database in it): the PostgreSQL
// backend's suites and the Python suite's PostgreSQL runs use it. Unset or failing, every such test starts or
// reports for itself, with the message saying how to provide PostgreSQL (test/support/postgresCluster.ts).
if (!process.env.TESSERA_TEST_POSTGRES_URL) {
  try {
    const { startPostgresCluster } = await import(join(root, 'dist/test/support/postgresCluster.js'));
    const cluster = await startPostgresCluster();
    process.env.TESSERA_TEST_POSTGRES_URL = cluster.url;
    process.on('exit', () => cluster.stop());
  } catch (error) {
    console.error(`run-tests: no PostgreSQL for this run: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function runNodeTests(list, env) {
  if (list.length === 0) return;
  const node = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=2', ...list], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, ...env },
  });
  process.stdout.write(node.stdout);
  const pass = /^ℹ pass (\d+)$/m.exec(node.stdout);
  const fail = /^ℹ fail (\d+)$/m.exec(node.stdout);
  passed += pass ? Number(pass[1]) : 0;
  failed += fail ? Number(fail[1]) : 0;
  if (node.status !== 0 && !fail) failed += 1;
}

runNodeTests(files, {});
if (postgresFiles.length > 0) {
  console.log(`\n# the conformance suites again, with the metadata on PostgreSQL (${postgresFiles.length} files)`);
  runNodeTests(postgresFiles, { TESSERA_TEST_METADATA: 'postgres' });
}

/**
 * The Python files that run a second time with the session server's metadata on PostgreSQL (their tests that start
 * servers of their own, such as the crash tests, stay on SQLite).
 */
const POSTGRES_PYTHON = ['test_backend.py', 'test_tagging.py', 'test_batch.py', 'test_access_control.py'];

function runPytest(targets, env) {
  const junit = join(mkdtempSync(join(tmpdir(), 'tessera-pytest-')), 'junit.xml');
  const py = spawnSync('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', `--junitxml=${junit}`, ...targets], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  if (existsSync(junit)) {
    const xml = readFileSync(junit, 'utf8');
    const m = /<testsuite [^>]*errors="(\d+)" failures="(\d+)" skipped="(\d+)" tests="(\d+)"/.exec(xml);
    if (m) {
      const [errors, failures, skipped, tests] = m.slice(1).map(Number);
      failed += errors + failures;
      passed += tests - errors - failures - skipped;
    } else failed += 1;
  } else if (py.status !== 5) failed += 1;
}

const runPython = filter.length === 0 || filter.some((x) => x.includes('python'));
if (runPython && existsSync(join(root, 'test/python'))) {
  if (!postgresOnly) runPytest(['test/python'], {});
  console.log('\n# Python client tests again, with the session server\'s metadata on PostgreSQL');
  runPytest(POSTGRES_PYTHON.map((f) => `test/python/${f}`), { TESSERA_TEST_METADATA: 'postgres' });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
