import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { bucketName } from '../support/names.js';
import { CLI, clientFor, kill9, startServer, type Running } from '../support/serverProcess.js';

/**
 * Server-level crash test: the built server runs as a child process, takes concurrent PUTs (some of them large and
 * stalled mid-body), is killed with SIGKILL, and is restarted on the same data directory. Every PUT that was
 * acknowledged must read back byte for byte; a PUT that was not acknowledged must be either absent or complete;
 * a body that never ended must never be visible.
 */

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** A body that sends `head` bytes of `data`, then stalls until destroyed: the server sees an upload mid-stream. */
function stalledBody(data: Buffer, head: number): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(data.subarray(0, head));
      }
      // never push more, never end
    },
  });
}

async function readAll(client: S3Client, bucket: string, key: string): Promise<Buffer | undefined> {
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
    throw err;
  }
}

describe('crash safety of PutObject (kill -9 of the built server)', { skip: existsSync(CLI) ? false : `built CLI not found at ${CLI}` }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-crash-'));
  const running: Running[] = [];
  const clients: S3Client[] = [];

  after(async () => {
    for (const c of clients) c.destroy();
    for (const r of running) await kill9(r);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged PUT and shows nothing half-written after a restart', { timeout: 120_000 }, async () => {
    const first = await startServer(dataDir);
    running.push(first);
    const client = clientFor(first.endpoint);
    clients.push(client);
    const bucket = bucketName('crash');
    await client.send(new CreateBucketCommand({ Bucket: bucket }));

    /** Every body ever sent for a key, and whether its PUT was acknowledged. */
    const sent = new Map<string, { sha: string; size: number; acked: boolean }[]>();
    const put = (key: string, data: Buffer, streamed: boolean): Promise<void> => {
      const entry = { sha: sha256(data), size: data.length, acked: false };
      const list = sent.get(key) ?? [];
      list.push(entry);
      sent.set(key, list);
      const body = streamed ? Readable.from([data.subarray(0, data.length >> 1), data.subarray(data.length >> 1)]) : data;
      return client
        .send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: data.length }))
        .then(() => {
          entry.acked = true;
        });
    };

    // large uploads that stall mid-body: their bytes are partly on the server's disk when it dies
    const stalledKeys = ['stalled/a', 'stalled/b', 'stalled/c'];
    const stalled = stalledKeys.map((key) => {
      const data = randomBytes(8 * 1024 * 1024);
      return client
        .send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: stalledBody(data, 3 * 1024 * 1024), ContentLength: data.length }))
        .then(
          () => 'acked',
          () => 'failed',
        );
    });

    // a first wave that completes before the kill, overwrites included
    const wave1: Promise<void>[] = [];
    for (let i = 0; i < 40; i++) {
      wave1.push(put(`done/${i}`, randomBytes(1 + Math.floor(Math.random() * 256 * 1024)), i % 2 === 0));
    }
    for (const p of wave1) await p.catch(() => undefined);
    // overwrites, after the first bodies were acknowledged (so "last acknowledged" is well defined)
    await Promise.all(Array.from({ length: 5 }, (_, i) => put(`done/${i}`, randomBytes(1000 + i), false).catch(() => undefined)));
    // every first-wave PUT should have been acknowledged before the kill
    for (const [key, list] of sent) for (const e of list) assert.ok(e.acked, `${key} acknowledged before the kill`);

    // a second wave in flight at the moment of the kill: some may land, none may be torn
    // (the kill comes as soon as the first of them is acknowledged, so others are mid-way)
    const wave2: Promise<void>[] = [];
    for (let i = 0; i < 60; i++) wave2.push(put(`inflight/${i}`, randomBytes(64 * 1024 + i * 4096), i % 3 === 0));
    for (let i = 40; i < 44; i++) wave2.push(put(`done/${i - 40}`, randomBytes(2000 + i), false));
    await Promise.any(wave2).catch(() => undefined);
    await kill9(first);
    await Promise.allSettled(wave2);
    const stalledOutcomes = await Promise.all(stalled);
    assert.deepEqual(stalledOutcomes, ['failed', 'failed', 'failed']);

    const second = await startServer(dataDir);
    running.push(second);
    const after = clientFor(second.endpoint);
    clients.push(after);

    let acknowledged = 0;
    for (const [key, list] of sent) {
      const body = await readAll(after, bucket, key);
      // the last acknowledged body of a key, or any later (unacknowledged) body that may have committed
      const lastAcked = list.map((e, i) => ({ ...e, i })).filter((e) => e.acked).pop();
      const candidates = list.filter((_, i) => lastAcked === undefined || i >= lastAcked.i);
      if (lastAcked !== undefined) acknowledged++;
      if (body === undefined) {
        assert.equal(lastAcked, undefined, `${key}: an acknowledged PUT was lost`);
        continue;
      }
      const digest = sha256(body);
      assert.ok(
        candidates.some((c) => c.sha === digest && c.size === body.length),
        `${key}: the stored body (${body.length} bytes) is not one of the bodies sent complete`,
      );
    }
    assert.ok(acknowledged >= 40, `at least the first wave was acknowledged (${acknowledged})`);
    for (const key of stalledKeys) {
      await assert.rejects(after.send(new HeadObjectCommand({ Bucket: bucket, Key: key })), (err: unknown) => {
        assert.equal((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, 404, key);
        return true;
      });
    }
    // the restarted server takes writes as usual
    await after.send(new PutObjectCommand({ Bucket: bucket, Key: 'after-restart', Body: 'ok' }));
    assert.equal((await readAll(after, bucket, 'after-restart'))?.toString(), 'ok');
  });
});
