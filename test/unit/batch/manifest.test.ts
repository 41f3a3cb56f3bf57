import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { csvField, decodeManifestKey, encodeReportKey, parseCsvLine } from '../../../src/core/batch/csvLine.js';
import type { JobManifest } from '../../../src/core/batch/Job.js';
import { ManifestError } from '../../../src/core/batch/ManifestError.js';
import type { ManifestTask, ObjectOpener } from '../../../src/core/batch/ManifestTask.js';
import { lineBlocks, parseObjectArn, readManifest } from '../../../src/core/batch/readManifest.js';
import { reportRow } from '../../../src/core/batch/writeReport.js';
import { mulberry32 } from '../../support/seededRandom.js';

describe('CSV lines', () => {
  const cases: [string, string[] | undefined][] = [
    ['b,k', ['b', 'k']],
    ['b,k,v', ['b', 'k', 'v']],
    ['"b","k"', ['b', 'k']],
    ['"b","a,b"', ['b', 'a,b']],
    ['"b","say ""hi"""', ['b', 'say "hi"']],
    ['b,', ['b', '']],
    ['"b,k', undefined],
    ['"b"x,k', undefined],
  ];
  for (const [line, fields] of cases) it(JSON.stringify(line), () => assert.deepEqual(parseCsvLine(line), fields));

  it('decodes URL-encoded keys (+ and %20 are spaces) and refuses bad escapes', () => {
    assert.equal(decodeManifestKey('a%20b+c%2Bd'), 'a b c+d');
    assert.equal(decodeManifestKey('%E4%B8%AD'), '中');
    assert.equal(decodeManifestKey('plain/key.txt'), 'plain/key.txt');
    assert.equal(decodeManifestKey('%zz'), undefined);
  });

  it('encodes keys and quotes fields for reports', () => {
    assert.equal(encodeReportKey('a/b c'), 'a/b%20c');
    assert.equal(encodeReportKey('x,y'), 'x%2Cy');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "x"'), '"say ""x"""');
  });

  it('an encoded report key never needs quoting (report rows write it as it is)', () => {
    const alphabet = ['a', '/', ',', '"', '\n', '\r', ' ', '+', '%', 'é', '😀', '~', "'", '*'];
    const random = mulberry32(5);
    for (let n = 0; n < 2000; n++) {
      const key = Array.from({ length: 1 + Math.floor(random() * 6) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      assert.equal(csvField(encodeReportKey(key)), encodeReportKey(key), JSON.stringify(key));
    }
  });

  it('report rows follow AWS: Bucket,Key,VersionId,TaskStatus,HTTP status,ErrorCode,ResultMessage', () => {
    assert.equal(reportRow({ row: 0, bucket: 'b', key: 'k 1' }, undefined), 'b,k%201,,succeeded,200,,Successful\n');
    assert.equal(reportRow({ row: 0, bucket: 'b', key: 'k', versionId: 'v,"1' }, undefined), 'b,k,"v,""1",succeeded,200,,Successful\n');
    assert.equal(
      reportRow({ row: 0, bucket: 'b', key: 'k', versionId: 'v1' }, { row: 0, httpStatus: 404, errorCode: 'NoSuchVersion', message: 'gone, really' }),
      'b,k,v1,failed,404,NoSuchVersion,"gone, really"\n',
    );
  });

  it('splits a stream into blocks of whole lines whatever the chunking', async () => {
    const chunks = ['a,b\r', '\nc,', 'd\ne,f'];
    const out: string[] = [];
    for await (const block of lineBlocks(Readable.from(chunks.map((c) => Buffer.from(c))))) out.push(block);
    assert.deepEqual(out, ['a,b\r\n', 'c,d\n', 'e,f\n']);
  });

  it('parses object ARNs', () => {
    assert.deepEqual(parseObjectArn('arn:aws:s3:::bucket/path/to/m.csv'), { bucket: 'bucket', key: 'path/to/m.csv' });
    assert.equal(parseObjectArn('arn:aws:s3:::bucket'), undefined);
  });
});

function opener(objects: Record<string, string | Buffer>): ObjectOpener {
  return (bucket, key) => {
    const body = objects[`${bucket}/${key}`];
    if (body === undefined) return Promise.resolve(undefined);
    return Promise.resolve({ stream: Readable.from([Buffer.from(body)]), etag: '"etag1"', versionId: 'null', size: Buffer.byteLength(body) });
  };
}

function csvManifest(fields: string[]): JobManifest {
  return { spec: { format: 'S3BatchOperations_CSV_20180820', fields }, location: { objectArn: 'arn:aws:s3:::m/manifest.csv', etag: 'etag1' } };
}

async function all(manifest: JobManifest, open: ObjectOpener): Promise<ManifestTask[]> {
  const out: ManifestTask[] = [];
  for await (const batch of readManifest(manifest, open, undefined)) out.push(...batch);
  return out;
}

describe('manifest readers', () => {
  it('reads Bucket,Key rows with URL-encoded keys, numbering rows', async () => {
    const tasks = await all(csvManifest(['Bucket', 'Key']), opener({ 'm/manifest.csv': 'b,a%20b\nb,c\n\n' }));
    assert.deepEqual(tasks, [
      { row: 0, bucket: 'b', key: 'a b' },
      { row: 1, bucket: 'b', key: 'c' },
    ]);
  });

  it('reads version ids, and refuses version ids on some rows only, naming the row', async () => {
    const ok = await all(csvManifest(['Bucket', 'Key', 'VersionId']), opener({ 'm/manifest.csv': 'b,k,v1\nb,k,v2\n' }));
    assert.deepEqual(ok.map((t) => t.versionId), ['v1', 'v2']);
    await assert.rejects(
      all(csvManifest(['Bucket', 'Key', 'VersionId']), opener({ 'm/manifest.csv': 'b,k,v1\nb,k2,v2\nb,k3\n' })),
      (e: unknown) => e instanceof ManifestError && /row 3/.test(e.message),
    );
  });

  it('names the row of a malformed line', async () => {
    await assert.rejects(
      all(csvManifest(['Bucket', 'Key']), opener({ 'm/manifest.csv': 'b,k\nb,k,x,y\n' })),
      (e: unknown) => e instanceof ManifestError && /row 2/.test(e.message),
    );
    await assert.rejects(
      all(csvManifest(['Bucket', 'Key']), opener({ 'm/manifest.csv': 'b,%zz\n' })),
      (e: unknown) => e instanceof ManifestError && /row 1/.test(e.message),
    );
  });

  it('reads every row as the CSV rules say, whatever its shape (the bucket,key fast path included)', async () => {
    // one row at a time against the reference: parseCsvLine, then decodeManifestKey, else the row is refused
    const alphabet = ['b', 'k', '/', ',', '"', '%', '2', '0', '+', 'é', ' '];
    const random = mulberry32(13);
    for (let n = 0; n < 3000; n++) {
      const line = Array.from({ length: 1 + Math.floor(random() * 8) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const fields = parseCsvLine(line);
      const key = fields !== undefined && (fields.length === 2 || fields.length === 1) && fields[0] !== '' && (fields[1] ?? '') !== '' ? decodeManifestKey(fields[1]!) : undefined;
      const read = all(csvManifest(['Bucket', 'Key']), opener({ 'm/manifest.csv': `b,first\n${line}\n` }));
      if (key === undefined) await assert.rejects(read, (e: unknown) => e instanceof ManifestError && /row 2/.test(e.message), line);
      else assert.deepEqual(await read, [{ row: 0, bucket: 'b', key: 'first' }, { row: 1, bucket: fields![0], key }], line);
    }
  });

  it('reads a whole manifest of random rows as the CSV rules say, whatever the chunking and line ends', async () => {
    // rows the reference accepts, CRLF or LF, empty lines, split into chunks anywhere (inside UTF-8 sequences and
    // between '\r' and '\n' too): the tasks must be the reference's, numbered in order
    const alphabet = ['b', 'k', '/', ',', '"', '%', '2', '0', '+', 'é', ' ', '😀'];
    const random = mulberry32(29);
    for (let round = 0; round < 40; round++) {
      const expected: ManifestTask[] = [];
      let text = '';
      while (expected.length < 150) {
        if (random() < 0.05) text += random() < 0.5 ? '\n' : '\r\n';
        const line = Array.from({ length: 1 + Math.floor(random() * 8) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
        const fields = parseCsvLine(line);
        if (fields === undefined || fields.length !== 2 || fields[0] === '' || fields[1] === '' || line.endsWith('\r')) continue;
        const key = decodeManifestKey(fields[1]!);
        if (key === undefined) continue;
        expected.push({ row: expected.length, bucket: fields[0]!, key });
        text += line + (random() < 0.5 ? '\n' : '\r\n');
      }
      if (random() < 0.5) text = text.replace(/\r?\n$/, '');
      const bytes = Buffer.from(text);
      const chunks: Buffer[] = [];
      for (let at = 0; at < bytes.length; ) {
        const size = 1 + Math.floor(random() * 40);
        chunks.push(bytes.subarray(at, at + size));
        at += size;
      }
      const open: ObjectOpener = () => Promise.resolve({ stream: Readable.from(chunks), etag: '"etag1"', versionId: 'null', size: bytes.length });
      assert.deepEqual(await all(csvManifest(['Bucket', 'Key']), open), expected, `round ${round}`);
    }
  });

  it('checks the manifest ETag', async () => {
    const m = csvManifest(['Bucket', 'Key']);
    const wrong = { ...m, location: { ...m.location, etag: 'other' } };
    await assert.rejects(all(wrong, opener({ 'm/manifest.csv': 'b,k\n' })), (e: unknown) => e instanceof ManifestError && e.code === 'ManifestEtagMismatch');
    await assert.rejects(all(m, opener({})), (e: unknown) => e instanceof ManifestError && e.code === 'ManifestNotFound');
  });

  it('reads inventory reports: manifest.json, then CSV and gzip CSV files with fileSchema columns', async () => {
    const manifest: JobManifest = {
      spec: { format: 'S3InventoryReport_CSV_20161130', fields: [] },
      location: { objectArn: 'arn:aws:s3:::m/manifest.csv', etag: 'etag1' },
    };
    const doc = {
      destinationBucket: 'arn:aws:s3:::inv',
      fileFormat: 'CSV',
      fileSchema: 'Bucket, Key, VersionId, IsLatest',
      files: [{ key: 'data/1.csv.gz' }, { key: 'data/2.csv' }],
    };
    const tasks = await all(
      manifest,
      opener({
        'm/manifest.csv': JSON.stringify(doc),
        'inv/data/1.csv.gz': gzipSync(Buffer.from('"src","a","v1","true"\n')),
        'inv/data/2.csv': '"src","b%2Fc","","true"\n',
      }),
    );
    assert.deepEqual(tasks, [
      { row: 0, bucket: 'src', key: 'a', versionId: 'v1' },
      { row: 1, bucket: 'src', key: 'b/c' },
    ]);
  });
});
