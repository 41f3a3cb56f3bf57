import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { encodeReportKey } from '../../../src/core/batch/csvLine.js';
import type { Job, JobManifest } from '../../../src/core/batch/Job.js';
import type { ManifestBlock, ObjectOpener } from '../../../src/core/batch/ManifestTask.js';
import { readManifest, readManifestBlocks } from '../../../src/core/batch/readManifest.js';
import { processedRows } from '../../../src/core/batch/writeReport.js';
import type { JobRange, TaskFailure } from '../../../src/core/ports/JobStore.js';
import { mulberry32 } from '../../support/seededRandom.js';

const MANIFEST: JobManifest = {
  spec: { format: 'S3BatchOperations_CSV_20180820', fields: ['Bucket', 'Key'] },
  location: { objectArn: 'arn:aws:s3:::m/manifest.csv', etag: 'etag1' },
};

async function text(rows: AsyncIterable<readonly string[]>): Promise<string> {
  let out = '';
  for await (const batch of rows) out += batch.join('');
  return out;
}

describe('completion report rows from lines read as they are', () => {
  it('are byte for byte the rows made task by task, whatever the failures, the applied ranges and the chunking (randomized)', async () => {
    const random = mulberry32(53);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    let compared = 0;
    let asLines = 0;
    for (let round = 0; round < 60; round++) {
      // mostly lines of the plain shape, now and then one that is not (an encoded key, a quoted bucket, CRLF)
      const lines: string[] = [];
      const total = 50 + Math.floor(random() * 400);
      for (let row = 0; row < total; row++) {
        const key = `k/${row}${pick(['', '', '', '-x_y.z~'])}`;
        const odd = random() < 0.02 ? pick(['%20', '+', '%C3%A9']) : '';
        const bucket = random() < 0.01 ? '"b"' : pick(['b', 'b', 'b', 'other']);
        lines.push(`${bucket},${key}${odd}${random() < 0.01 ? '\r\n' : '\n'}`);
      }
      const bytes = Buffer.from(lines.join(''));
      const chunkSize = pick([7, 64, 1000, 1 << 20]);
      const open: ObjectOpener = () => {
        const chunks: Buffer[] = [];
        for (let at = 0; at < bytes.length; at += chunkSize) chunks.push(bytes.subarray(at, at + chunkSize));
        return Promise.resolve({ stream: Readable.from(chunks), etag: '"etag1"', versionId: 'null', size: bytes.length });
      };
      // ranges of 1–60 rows, each done, untouched or part done; failures on some applied rows
      const ranges: JobRange[] = [];
      for (let first = 0; first < total; ) {
        const end = Math.min(total, first + 1 + Math.floor(random() * 60));
        const cursor = pick([end, end, end, first, first + Math.floor(random() * (end - first))]);
        ranges.push({ first, end, cursor });
        first = end;
      }
      const failures: TaskFailure[] = [];
      for (const r of ranges) {
        for (let row = r.first; row < r.cursor; row++) {
          if (random() < 0.03) failures.push({ row, httpStatus: 404, errorCode: 'NoSuchKey', message: `gone, ${row}` });
        }
      }
      const store = {
        ranges: () => Promise.resolve(ranges),
        failures: (_job: string, afterRow: number, limit: number) => Promise.resolve(failures.filter((f) => f.row > afterRow).slice(0, limit)),
      };
      const job = { id: 'job-1' } as Job;
      for (const status of ['succeeded', 'failed'] as const) {
        const reference = await text(processedRows(job, store, () => readManifest(MANIFEST, open, undefined), status));
        const blocks: ManifestBlock[] = [];
        for await (const block of readManifestBlocks(MANIFEST, open, undefined)) blocks.push(block);
        asLines += blocks.filter((b) => 'text' in b).length;
        const fast = await text(processedRows(job, store, () => Readable.from(blocks), status));
        assert.equal(fast, reference, `round ${round}, ${status}`);
        compared++;
      }
      // the reference itself: every applied row once, failed rows in the failed file only
      const succeeded = await text(processedRows(job, store, () => readManifest(MANIFEST, open, undefined), 'succeeded'));
      const expectedRows = ranges.flatMap((r) => Array.from({ length: r.cursor - r.first }, (_, i) => r.first + i)).filter((row) => !failures.some((f) => f.row === row));
      assert.equal(succeeded.split('\n').length - 1, expectedRows.length);
    }
    assert.equal(compared, 120);
    assert.ok(asLines > 50, `lines read as they are were exercised (${asLines} blocks)`);
    assert.equal(encodeReportKey('k/1-x_y.z~'), 'k/1-x_y.z~', 'the keys of plain lines are their own report field');
  });
});

describe('counting a manifest from its blocks (Preparing)', () => {
  it('counts every row readManifest reads, lines and tasks alike, and tells the object opened (randomized)', async () => {
    const random = mulberry32(71);
    let lineBlocks = 0;
    for (let round = 0; round < 40; round++) {
      const lines: string[] = [];
      const total = 1 + Math.floor(random() * 3000);
      for (let row = 0; row < total; row++) {
        const odd = random() < 0.01 ? '%20' : '';
        lines.push(`${random() < 0.005 ? '"b"' : 'b'},k/${row}${odd}${random() < 0.01 ? '\r\n' : '\n'}${random() < 0.002 ? '\n' : ''}`);
      }
      const bytes = Buffer.from(lines.join(''));
      const chunkSize = [64, 500, 4096, 1 << 20][Math.floor(random() * 4)]!;
      const open: ObjectOpener = () => {
        const chunks: Buffer[] = [];
        for (let at = 0; at < bytes.length; at += chunkSize) chunks.push(bytes.subarray(at, at + chunkSize));
        return Promise.resolve({ stream: Readable.from(chunks), etag: '"etag1"', versionId: 'v1', size: bytes.length });
      };
      let tasks = 0;
      for await (const batch of readManifest(MANIFEST, open, undefined)) tasks += batch.length;
      const opened: [string, number][] = [];
      let counted = 0;
      for await (const block of readManifestBlocks(MANIFEST, open, undefined, (versionId, size) => opened.push([versionId, size]))) {
        if ('text' in block) {
          counted += block.rows;
          lineBlocks++;
        } else counted += block.length;
      }
      assert.equal(counted, tasks, `round ${round}`);
      assert.deepEqual(opened, [['v1', bytes.length]]);
    }
    assert.ok(lineBlocks > 10, `lines were counted (${lineBlocks} blocks)`);
  });
});
