import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NodeSha256 } from '../support/nodeSha256.js';
import { SignatureV4 } from '@smithy/signature-v4';
import { startTestServer, ROOT_KEY, type TestServer } from '../support/testServer.js';

const CLI = join(process.cwd(), 'dist/src/cli/main.js');

/** Send a SigV4-signed request to 127.0.0.1 with the given Host header (virtual-host-style addressing). */
async function signedRequest(
  port: number,
  host: string,
  method: string,
  path: string,
  body = '',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: ROOT_KEY, sha256: NodeSha256 });
  const [pathname, rawQuery] = path.split('?') as [string, string | undefined];
  const query = Object.fromEntries(new URLSearchParams(rawQuery ?? ''));
  const signed = await signer.sign({
    method,
    protocol: 'http:',
    hostname: host.split(':')[0] ?? host,
    port,
    path: pathname,
    query,
    headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-length': String(Buffer.byteLength(body)) },
    body,
  });
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: signed.headers as Record<string, string> },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('virtual-host-style addressing (TESSERA_DOMAIN)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ domain: 's3.tessera.test' });
  });
  after(() => server.stop());

  it('takes the bucket from the Host header; path-style keeps working', async () => {
    const host = `vhost-bucket.s3.tessera.test:${server.port}`;
    assert.equal((await signedRequest(server.port, host, 'PUT', '/')).status, 200);
    const put = await signedRequest(server.port, host, 'PUT', '/dir/key.txt', 'hello');
    assert.equal(put.status, 200);
    const got = await signedRequest(server.port, host, 'GET', '/dir/key.txt');
    assert.equal(got.status, 200);
    assert.equal(got.body, 'hello');
    const listed = await signedRequest(server.port, host, 'GET', '/?list-type=2');
    assert.match(listed.body, /<Key>dir\/key.txt<\/Key>/);
    const pathStyle = await signedRequest(server.port, `127.0.0.1:${server.port}`, 'GET', '/vhost-bucket/dir/key.txt');
    assert.equal(pathStyle.body, 'hello');
  });

  it('every response, errors included, carries x-amz-request-id', async () => {
    const host = `127.0.0.1:${server.port}`;
    for (const [method, path] of [['GET', '/'], ['GET', '/no-such-bucket/x'], ['PATCH', '/b/k'], ['GET', '/b?torrent']] as const) {
      const res = await signedRequest(server.port, host, method, path);
      assert.match(String(res.headers['x-amz-request-id']), /^[0-9A-F]{16}$/, `${method} ${path}`);
    }
  });
});

describe('the tessera CLI', () => {
  it('--help prints usage and exits 0', () => {
    const r = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Usage: tessera/);
    assert.match(r.stdout, /TESSERA_DATA_DIR/);
  });

  for (const [what, args, env] of [
    ['a bad address', ['server', '--address', 'nowhere'], {}],
    ['an unknown flag', ['server', '--no-such-flag'], {}],
    ['half the root credentials', ['server'], { TESSERA_ROOT_ACCESS_KEY_ID: 'ABCDEFGHIJ' }],
    ['an unknown command', ['serve'], {}],
  ] as const) {
    it(`${what}: one line on stderr, exit code 2`, () => {
      const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^tessera: /);
    });
  }

  it('server prints the endpoint and, on first start only, the generated secret (stored 0600)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
    try {
      const firstLines = async (): Promise<string> => {
        const child = spawn(process.execPath, [CLI, 'server'], {
          env: { ...process.env, TESSERA_ADDRESS: '127.0.0.1:0', TESSERA_DATA_DIR: dataDir, TESSERA_LOG_LEVEL: 'silent' },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        await new Promise<void>((resolve) => {
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            if (out.includes('s3 ls')) resolve();
          });
        });
        child.kill('SIGTERM');
        await new Promise((resolve) => child.on('exit', resolve));
        return out;
      };
      const first = await firstLines();
      assert.match(first, /listening on http:\/\/127\.0\.0\.1:\d+/);
      assert.match(first, /AWS_ACCESS_KEY_ID=\w{20}/);
      assert.match(first, /AWS_SECRET_ACCESS_KEY=\S{40}/);
      assert.equal(statSync(join(dataDir, 'root-credentials.json')).mode & 0o777, 0o600);
      const second = await firstLines();
      assert.doesNotMatch(second, /AWS_SECRET_ACCESS_KEY=\S{40}/);
      assert.match(second, /root-credentials\.json/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
