import { StringDecoder } from 'node:string_decoder';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { decodeManifestKey, parseCsvLine } from './csvLine.js';
import type { JobManifest } from './Job.js';
import { ManifestError } from './ManifestError.js';
import type { ManifestBlock, ManifestTask, ObjectOpener, OpenedObject, PlainLines } from './ManifestTask.js';

/** bucket and key of an `arn:aws:s3:::bucket/key` object ARN. */
export function parseObjectArn(arn: string): { bucket: string; key: string } | undefined {
  const m = /^arn:[^:]+:s3:::([^/]+)\/(.+)$/.exec(arn);
  return m === null ? undefined : { bucket: m[1]!, key: m[2]! };
}

function stripQuotes(etag: string): string {
  return etag.replace(/^"|"$/g, '');
}

/** Open the manifest object named by the job, checking its ETag (the version read first is kept for resumes). */
export async function openManifest(
  manifest: JobManifest,
  open: ObjectOpener,
  versionId: string | undefined,
): Promise<OpenedObject> {
  const where = parseObjectArn(manifest.location.objectArn);
  if (where === undefined) throw new ManifestError('InvalidManifest', `Invalid manifest ObjectArn: ${manifest.location.objectArn}`);
  const found = await open(where.bucket, where.key, versionId ?? manifest.location.objectVersionId);
  if (found === undefined) {
    throw new ManifestError('ManifestNotFound', `Reading the manifest failed: ${manifest.location.objectArn} does not exist`);
  }
  if (stripQuotes(found.etag) !== stripQuotes(manifest.location.etag)) {
    found.stream.resume();
    throw new ManifestError(
      'ManifestEtagMismatch',
      `Reading the manifest failed: the manifest ETag ${manifest.location.etag} does not match the object's ETag "${stripQuotes(found.etag)}"`,
    );
  }
  return found;
}

/**
 * A text stream as blocks of whole lines, a chunk's worth at a time (one await per chunk rather than per line, which
 * is what makes reading a manifest of millions of rows cheap). Every block ends with '\n' (one is added after a last
 * line that has none); the lines are read in place from the block (no array of line strings).
 */
export async function* lineBlocks(stream: NodeJS.ReadableStream): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const text = carry + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    const last = text.lastIndexOf('\n');
    if (last < 0) {
      carry = text;
      continue;
    }
    carry = text.slice(last + 1);
    yield last === text.length - 1 ? text : text.slice(0, last + 1);
  }
  const rest = carry + decoder.end();
  if (rest !== '') yield rest + '\n';
}

interface RowShape {
  readonly bucket: number;
  readonly key: number;
  readonly versionId: number;
}

function shapeOf(fields: readonly string[]): RowShape {
  const names = fields.map((f) => f.trim());
  const bucket = names.indexOf('Bucket');
  const key = names.indexOf('Key');
  if (bucket < 0 || key < 0) throw new ManifestError('InvalidManifest', 'The manifest fields must include Bucket and Key');
  return { bucket, key, versionId: names.indexOf('VersionId') };
}

/**
 * Rows of CSV text (no header) as tasks, numbering from `firstRow`. Errors name the row (1-based, as people count
 * lines): a wrong number of columns, a key that is not URL-encoded, or version ids on some rows only.
 */
async function* csvTasks(
  stream: NodeJS.ReadableStream,
  shape: RowShape,
  columns: number | undefined,
  state: { row: number; versioned: boolean | undefined },
  where: string,
  asLines: boolean,
): AsyncGenerator<ManifestBlock> {
  const plain = columns === 2 && shape.bucket === 0 && shape.key === 1;
  let bucket = '';
  for await (const text of lineBlocks(stream)) {
    const rows = plain && asLines ? plainLineCount(text) : 0;
    if (rows > 0) {
      yield { firstRow: state.row, rows, text };
      state.row += rows;
      continue;
    }
    const tasks: ManifestTask[] = [];
    // each line is [start, end) of the block, its '\n' (and a '\r' before it) left out; empty lines are skipped
    for (let start = 0; start < text.length; ) {
      const nl = text.indexOf('\n', start);
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (end > start) {
        const task = (plain ? plainTask(text, start, end, state.row, bucket) : undefined) ?? csvTask(text.slice(start, end), shape, columns, state, where);
        bucket = task.bucket;
        state.row++;
        tasks.push(task);
      }
      start = nl + 1;
    }
    if (tasks.length > 0) yield tasks;
  }
}

/** Characters a key may hold for its report field to be the key itself (encodeReportKey's): unreserved and '/'. */
const REPORT_SAFE = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/') REPORT_SAFE[c.charCodeAt(0)] = 1;

/**
 * The number of lines of a block when every one is PlainLines' shape (`bucket,key`, the bucket with no quote or
 * carriage return, the key non-empty and of REPORT_SAFE characters), else 0.
 */
function plainLineCount(text: string): number {
  let rows = 0;
  for (let start = 0; start < text.length; rows++) {
    const nl = text.indexOf('\n', start);
    const comma = text.indexOf(',', start);
    if (comma <= start || comma >= nl - 1) return 0;
    for (let i = start; i < comma; i++) {
      const c = text.charCodeAt(i);
      if (c === 34 || c === 13) return 0;
    }
    for (let i = comma + 1; i < nl; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128 || REPORT_SAFE[c] === 0) return 0;
    }
    start = nl + 1;
  }
  return rows;
}

/** The tasks of PlainLines. */
export function tasksOfLines(lines: PlainLines): ManifestTask[] {
  const tasks: ManifestTask[] = [];
  let bucket = '';
  for (let start = 0, row = lines.firstRow; start < lines.text.length; row++) {
    const nl = lines.text.indexOf('\n', start);
    const task = plainTask(lines.text, start, nl, row, bucket)!;
    bucket = task.bucket;
    tasks.push(task);
    start = nl + 1;
  }
  return tasks;
}

/**
 * The task of the commonest manifest row, `bucket,key` with no quote and a key needing no decoding, read in place
 * from the line [start, end) of `text` (about twice as many rows a second as csvTask); undefined for any other row
 * (csvTask reads it, refusing what is malformed). The bucket is `previous` when it is the same name (compared in
 * place: the held tasks of a large manifest then share one string, and no string is made for it).
 */
function plainTask(text: string, start: number, end: number, row: number, previous: string): ManifestTask | undefined {
  const comma = text.indexOf(',', start);
  if (comma <= start || comma >= end - 1) return undefined;
  const second = text.indexOf(',', comma + 1);
  if (second >= 0 && second < end) return undefined;
  const key = text.slice(comma + 1, end);
  if (key.includes('"') || key.includes('%') || key.includes('+')) return undefined;
  if (comma - start === previous.length && text.startsWith(previous, start)) return { row, bucket: previous, key };
  const bucket = text.slice(start, comma);
  return bucket.includes('"') ? undefined : { row, bucket, key };
}

function csvTask(
  raw: string,
  shape: RowShape,
  columns: number | undefined,
  state: { row: number; versioned: boolean | undefined },
  where: string,
): ManifestTask {
  const line = state.row;
  const fields = parseCsvLine(raw);
  if (fields === undefined || (columns !== undefined && fields.length !== columns && fields.length !== columns - 1)) {
    throw new ManifestError('InvalidManifest', `Invalid manifest row ${line + 1}${where}: ${JSON.stringify(raw.slice(0, 200))}`);
  }
  const bucket = fields[shape.bucket];
  const encodedKey = fields[shape.key];
  if (bucket === undefined || bucket === '' || encodedKey === undefined || encodedKey === '') {
    throw new ManifestError('InvalidManifest', `Invalid manifest row ${line + 1}${where}: Bucket and Key are required`);
  }
  const key = decodeManifestKey(encodedKey);
  if (key === undefined) {
    throw new ManifestError('InvalidManifest', `Invalid manifest row ${line + 1}${where}: the key is not URL-encoded`);
  }
  const versionField = shape.versionId >= 0 ? fields[shape.versionId] : undefined;
  const versionId = versionField === undefined || versionField === '' ? undefined : versionField;
  if (shape.versionId >= 0 && columns !== undefined) {
    const hasVersion = versionId !== undefined;
    if (state.versioned === undefined) state.versioned = hasVersion;
    else if (state.versioned !== hasVersion) {
      throw new ManifestError('InvalidManifest', `Invalid manifest row ${line + 1}${where}: version ids must be given on all rows or on none`);
    }
  }
  return versionId === undefined ? { row: line, bucket, key } : { row: line, bucket, key, versionId };
}

interface InventoryManifest {
  readonly destinationBucket: string;
  readonly fileFormat: string;
  readonly fileSchema: string;
  readonly files: readonly { readonly key: string }[];
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

function parseInventoryManifest(text: string): InventoryManifest {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ManifestError('InvalidManifest', 'The inventory manifest.json is not valid JSON');
  }
  const d = doc as Partial<Record<keyof InventoryManifest, unknown>>;
  if (typeof d.destinationBucket !== 'string' || typeof d.fileSchema !== 'string' || !Array.isArray(d.files)) {
    throw new ManifestError('InvalidManifest', 'The inventory manifest.json lacks destinationBucket, fileSchema or files');
  }
  if (typeof d.fileFormat === 'string' && d.fileFormat.toUpperCase() !== 'CSV') {
    throw new ManifestError('InvalidManifest', `Inventory file format ${d.fileFormat} is not supported; use CSV`);
  }
  const files = (d.files as unknown[]).map((f) => {
    const key = (f as { key?: unknown }).key;
    if (typeof key !== 'string') throw new ManifestError('InvalidManifest', 'An inventory file entry has no key');
    return { key };
  });
  return { destinationBucket: d.destinationBucket, fileFormat: 'CSV', fileSchema: d.fileSchema, files };
}

/**
 * Every task of a manifest in manifest order, streamed in batches (bounded memory whatever its size).
 * - S3BatchOperations_CSV_20180820: Bucket,Key[,VersionId] per line, no header, URL-encoded keys.
 * - S3InventoryReport_CSV_20161130: the object is an inventory manifest.json; its CSV (or gzip CSV) files are read
 *   from the destination bucket in order, with columns named by fileSchema.
 */
export function readManifest(
  manifest: JobManifest,
  open: ObjectOpener,
  versionId: string | undefined,
  onOpened?: (versionId: string, size: number) => void,
): AsyncGenerator<ManifestTask[]> {
  return manifestBlocks(manifest, open, versionId, onOpened, false) as AsyncGenerator<ManifestTask[]>;
}

/**
 * readManifest, where blocks of lines of PlainLines' shape come as they are read, without a task made for each
 * (Preparing counts and holds them; the completion report writes its succeeded rows from them).
 */
export function readManifestBlocks(
  manifest: JobManifest,
  open: ObjectOpener,
  versionId: string | undefined,
  onOpened?: (versionId: string, size: number) => void,
): AsyncGenerator<ManifestBlock> {
  return manifestBlocks(manifest, open, versionId, onOpened, true);
}

async function* manifestBlocks(
  manifest: JobManifest,
  open: ObjectOpener,
  versionId: string | undefined,
  onOpened: ((versionId: string, size: number) => void) | undefined,
  asLines: boolean,
): AsyncGenerator<ManifestBlock> {
  const opened = await openManifest(manifest, open, versionId);
  onOpened?.(opened.versionId, opened.size);
  const state = { row: 0, versioned: undefined as boolean | undefined };
  if (manifest.spec.format === 'S3BatchOperations_CSV_20180820') {
    const fields = manifest.spec.fields.length > 0 ? manifest.spec.fields : ['Bucket', 'Key'];
    yield* csvTasks(opened.stream, shapeOf(fields), fields.length, state, '', asLines);
    return;
  }
  const inventory = parseInventoryManifest(await readAll(opened.stream));
  const destination = inventory.destinationBucket.replace(/^arn:[^:]+:s3:::/, '');
  const shape = shapeOf(inventory.fileSchema.split(','));
  for (const file of inventory.files) {
    const found = await open(destination, file.key);
    if (found === undefined) {
      throw new ManifestError('ManifestNotFound', `Inventory file s3://${destination}/${file.key} does not exist`);
    }
    const body = file.key.endsWith('.gz') ? Readable.from(found.stream as Readable).pipe(createGunzip()) : found.stream;
    yield* csvTasks(body, shape, undefined, state, ` (${file.key})`, asLines);
  }
}
