import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { startTessera } from '../../src/main.js';
import { startTestServer, testConfig, type TestServer } from '../support/testServer.js';

/** Serving the console under /console: its files and headers, the bucket named "console", CORS, TESSERA_CONSOLE=off. */
describe('the console on the S3 endpoint', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.stop();
  });

  it('/console redirects to /console/, which is the page, with a strict Content-Security-Policy', async () => {
    const redirect = await fetch(`${server.endpoint}/console`, { redirect: 'manual' });
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.get('location'), '/console/');
    const res = await fetch(`${server.endpoint}/console/`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /connect-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length > 0);
    for (const [, attributes, body] of scripts) {
      assert.match(attributes ?? '', /\ssrc="\/console\/assets\/[^"]+\.js"/, 'every script is a file of this origin');
      assert.equal((body ?? '').trim(), '', 'no inline script');
    }
    assert.doesNotMatch(html, /<style|\sstyle=|https?:\/\//, 'no inline style, nothing from another origin');
  });

  it('serves the bundle with its content type, cached for good (hashed names)', async () => {
    const html = await (await fetch(`${server.endpoint}/console/`)).text();
    const js = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const css = /href="(\/console\/assets\/[^"]+\.css)"/.exec(html)?.[1];
    assert.ok(js !== undefined && css !== undefined);
    const script = await fetch(`${server.endpoint}${js}`);
    assert.equal(script.status, 200);
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.match(script.headers.get('cache-control') ?? '', /immutable/);
    assert.ok((await script.arrayBuffer()).byteLength > 1000);
    assert.equal((await fetch(`${server.endpoint}${css}`)).headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal((await fetch(`${server.endpoint}/console/assets/nothing-here.js`)).status, 404);
  });

  it('a bucket named "console" still works for signed S3 requests, index.html and assets/ included', async () => {
    const s3 = server.s3;
    await s3.send(new CreateBucketCommand({ Bucket: 'console' }));
    for (const key of ['index.html', 'assets/app.js', 'photo.jpg']) {
      await s3.send(new PutObjectCommand({ Bucket: 'console', Key: key, Body: `object ${key}` }));
      const got = await s3.send(new GetObjectCommand({ Bucket: 'console', Key: key }));
      assert.equal(await got.Body?.transformToString(), `object ${key}`);
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'console' }));
    assert.deepEqual((listed.Contents ?? []).map((o) => o.Key), ['assets/app.js', 'index.html', 'photo.jpg']);
  });

  it('an anonymous request for any other key of the bucket "console" is S3’s (here AccessDenied)', async () => {
    const res = await fetch(`${server.endpoint}/console/photo.jpg`);
    assert.equal(res.status, 403);
    assert.match(await res.text(), /<Code>AccessDenied<\/Code>/);
  });

  it('answers a CORS preflight from its own origin and refuses any other origin with S3’s CORSResponse error', async () => {
    const own = await fetch(`${server.endpoint}/photos/a.txt`, {
      method: 'OPTIONS',
      headers: { Origin: server.endpoint, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'authorization,x-amz-date' },
    });
    assert.equal(own.status, 200);
    assert.equal(own.headers.get('access-control-allow-origin'), server.endpoint);
    assert.equal(own.headers.get('access-control-allow-headers'), 'authorization,x-amz-date');
    const foreign = await fetch(`${server.endpoint}/photos/a.txt`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://attacker.example', 'Access-Control-Request-Method': 'GET' },
    });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
    assert.match(await foreign.text(), /<Code>AccessForbidden<\/Code><Message>CORSResponse: This CORS request is not allowed/);
  });
});

describe('TESSERA_CONSOLE', () => {
  it('is on by default, off with "off", and refuses anything else', () => {
    assert.equal(loadConfig({}, {}, '/tmp').console, true);
    assert.equal(loadConfig({}, { TESSERA_CONSOLE: 'off' }, '/tmp').console, false);
    assert.equal(loadConfig({ console: 'on' }, { TESSERA_CONSOLE: 'off' }, '/tmp').console, true);
    assert.throws(() => loadConfig({}, { TESSERA_CONSOLE: 'no' }, '/tmp'), ConfigError);
  });

  it('off: /console is S3 like any other path (a bucket that does not exist here)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-console-off-'));
    const running = await startTessera({ ...testConfig(dataDir), console: false }, { logger: pino({ level: 'silent' }) });
    try {
      const res = await fetch(`${running.endpoint}/console/`);
      assert.equal(res.status, 404);
      assert.match(await res.text(), /<Code>NoSuchBucket<\/Code>/);
      assert.equal(res.headers.get('content-security-policy'), null);
    } finally {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
