import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { ObjectVersion } from '../../src/core/objects/ObjectVersion.js';
import { FsBlobStore } from '../../src/storage/blobs/fs/FsBlobStore.js';
import { SqliteMetadataStore } from '../../src/storage/metadata/sqlite/SqliteMetadataStore.js';
import { recoverStorage } from '../../src/storage/recovery.js';
import { silentLog } from '../../src/core/ports/StorageLog.js';
import { BlobReaper } from '../../src/workers/BlobReaper.js';
import type { WriterOp } from '../fixtures/storageWriter.js';

const WRITER = fileURLToPath(new URL('../fixtures/storageWriter.js', import.meta.url));
const RUNS = 4;

/** What a key's version stack looks like: [versionId, etag, size], oldest first. */
type Stack = [string, string, number][];
type Intent = Extract<WriterOp, { t: 'intent' }>;

/** Start the writer, SIGKILL it after `killAfter` acks plus a random moment; return its intent/ack lines. */
async function runWriterUntilKilled(dataDir: string, runId: number, killAfter: number): Promise<WriterOp[]> {
  const child = spawn(process.execPath, [WRITER, dataDir, String(runId), '8'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: WriterOp[] = [];
  let acks = 0;
  let pending = '';
  let stderr = '';
  let killScheduled = false;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const part of parts) {
      const line = JSON.parse(part) as WriterOp;
      lines.push(line);
      if (line.t === 'ack') acks++;
    }
    if (acks >= killAfter && !killScheduled) {
      killScheduled = true;
      setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 15));
    }
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('exit', (c, s) => resolve([c, s])),
  );
  assert.equal(signal, 'SIGKILL', `writer exited by itself (code ${code}): ${stderr}`);
  return lines;
}

function applyOp(stacks: Map<string, Stack>, op: Intent): void {
  const id = `${op.bucket}/${op.key}`;
  const stack = [...(stacks.get(id) ?? [])];
  if (op.op === 'put') {
    const kept = op.replaceNull ? stack.filter(([v]) => v !== 'null') : stack;
    kept.push([op.versionId, op.etag, op.size]);
    stacks.set(id, kept);
  } else {
    stacks.set(
      id,
      stack.filter(([v]) => v !== op.versionId),
    );
  }
}

async function actualStack(metadata: SqliteMetadataStore, bucket: string, key: string): Promise<Stack> {
  const versions: ObjectVersion[] = (await metadata.listVersions(bucket, { prefix: key, limit: 10_000 })).filter(
    (v) => v.key === key,
  );
  versions.forEach((v, i) => assert.equal(v.isLatest, i === 0, `${bucket}/${key}: isLatest only on the newest`));
  return versions.reverse().map((v) => [v.versionId, v.etag, v.size]);
}

void describe('storage survives kill -9', () => {
  void it(`keeps every acknowledged write and leaves no stray blob (${RUNS} kills)`, async (t) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tessera-crash-'));
    const model = new Map<string, Stack>();
    try {
      for (let run = 0; run < RUNS; run++) {
        const lines = await runWriterUntilKilled(dataDir, run, 200 + Math.floor(Math.random() * 200));

        // Replay acknowledged operations; remember each lane's operation in flight (intent without ack).
        const inFlight = new Map<number, Intent>();
        for (const line of lines) {
          if (line.t === 'intent') {
            inFlight.set(line.lane, line);
          } else {
            const done = inFlight.get(line.lane);
            assert.ok(done !== undefined, 'ack without intent');
            applyOp(model, done);
            inFlight.delete(line.lane);
          }
        }

        const metadata = await SqliteMetadataStore.open({ dataDir });
        const blobs = await FsBlobStore.open({ dataDir });
        try {
          assert.deepEqual(metadata.checkIntegrity(), [], 'integrity_check and foreign_key_check are clean');
          const report = await recoverStorage(metadata, blobs, silentLog);
          t.diagnostic(`run ${run}: ${lines.length} lines, ${inFlight.size} in flight, recovery ${JSON.stringify(report)}`);
          const reaper = new BlobReaper({ metadata, blobs, log: silentLog });
          assert.equal(await reaper.drain(), 0, 'recovery already drained the outbox');
          await reaper.stop();

          // Durability: each key holds exactly what its acknowledged writes made of it, or that plus the one
          // operation in flight at the kill (it may or may not have committed).
          const inFlightByKey = new Map([...inFlight.values()].map((op) => [`${op.bucket}/${op.key}`, op]));
          for (const [id, expected] of model) {
            const [bucket, ...rest] = id.split('/');
            const actual = await actualStack(metadata, bucket!, rest.join('/'));
            const pendingOp = inFlightByKey.get(id);
            if (pendingOp !== undefined && JSON.stringify(actual) !== JSON.stringify(expected)) {
              applyOp(model, pendingOp); // the in-flight write made it: adopt it
              assert.deepEqual(actual, model.get(id), `${id} after the in-flight ${pendingOp.op}`);
            } else {
              assert.deepEqual(actual, expected, `${id} after acknowledged writes`);
            }
          }
          for (const [id, op] of inFlightByKey) {
            if (model.has(id)) continue; // handled above
            const [bucket, ...rest] = id.split('/');
            const actual = await actualStack(metadata, bucket!, rest.join('/'));
            if (actual.length > 0) applyOp(model, op);
            assert.deepEqual(actual, model.get(id) ?? [], `${id} (first write in flight)`);
          }

          // Every version's and part's bytes are there with the right size; remember what is referenced.
          const referenced = new Set<string>();
          for (const bucket of ['plain', 'versioned']) {
            for (const v of await metadata.listVersions(bucket, { prefix: '', limit: 1_000_000 })) {
              assert.equal(
                v.segments.reduce((sum, s) => sum + s.size, 0),
                v.size,
                `${v.key} segment sizes add up`,
              );
              for (const segment of v.segments) {
                if (segment.inline === true) {
                  // stored with the version: the bytes committed (or vanished) together with the row
                  const data = await metadata.readInlineBlob(segment.blobId);
                  assert.equal(data?.length, segment.size, `${v.key} inline segment readable`);
                  continue;
                }
                referenced.add(segment.blobId);
                assert.equal(await byteCount(blobs, segment.blobId), segment.size, `${v.key} segment readable`);
              }
            }
            for (const upload of await metadata.listUploads(bucket, { prefix: '', limit: 1_000_000 })) {
              for (const part of await metadata.listParts(upload.uploadId, { afterPartNumber: 0, limit: 10_000 })) {
                referenced.add(part.segment.blobId);
                assert.equal(await byteCount(blobs, part.segment.blobId), part.segment.size, 'part readable');
              }
            }
          }

          // Nothing staged, and no published file that no row refers to.
          assert.deepEqual(await blobs.listStaged(), []);
          const strays: string[] = [];
          for await (const blobId of blobs.listPublished()) {
            if (!referenced.has(blobId)) strays.push(blobId);
            assert.equal(await metadata.isBlobReferenced(blobId), referenced.has(blobId));
          }
          assert.deepEqual(strays, [], 'published blobs nothing refers to');
        } finally {
          await metadata.close();
          await blobs.close();
        }
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

async function byteCount(blobs: FsBlobStore, blobId: string): Promise<number> {
  let n = 0;
  for await (const chunk of blobs.read(blobId)) n += (chunk as Buffer).length;
  return n;
}
