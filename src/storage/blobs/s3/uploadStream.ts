import type { Readable } from 'node:stream';
import { parseXml, renderXml, xml } from '../../../xml/codec.js';
import { expectOk, S3RemoteError, type S3Bucket } from './S3Bucket.js';

/** S3 takes at most 10,000 parts; every part but the last must be at least 5 MiB. */
const MAX_PARTS = 10_000;
export const MIN_PART_SIZE = 5 * 1024 * 1024;

/**
 * Upload a stream of unknown length to `key` without holding it whole: bytes are gathered into parts of `partSize`.
 * A stream that ends within the first part is one PUT of its bytes (signed payload: the remote checks the hash);
 * a longer one is a multipart upload, one part in flight while the next is gathered — at most two parts in memory.
 * Nothing is sent before `ready` resolves, and nothing becomes visible at `key` unless the source ends without
 * error and the final PUT or CompleteMultipartUpload answered 200. On failure the multipart upload is aborted.
 * Resolves with the number of bytes stored.
 */
export async function uploadStream(bucket: S3Bucket, key: string, source: Readable, partSize: number, ready: Promise<unknown>): Promise<number> {
  const gathered = new PartGatherer(partSize);
  let upload: MultipartUpload | undefined;
  try {
    for await (const chunk of source) {
      for (const part of gathered.add(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))) {
        if (upload === undefined) {
          await ready;
          upload = await MultipartUpload.start(bucket, key);
        }
        await upload.add(part);
      }
    }
    const rest = gathered.rest();
    if (upload === undefined) {
      await ready;
      expectOk(await bucket.send('PUT', key, { body: rest }), `PUT ${key}`);
    } else {
      if (rest.length > 0) await upload.add(rest);
      await upload.complete();
    }
    return gathered.total;
  } catch (error) {
    await upload?.abort().catch(() => undefined);
    throw error;
  }
}

/** Cuts a stream of chunks into parts of exactly `partSize` bytes, keeping what is left over. */
class PartGatherer {
  private chunks: Buffer[] = [];
  private length = 0;
  total = 0;

  constructor(private readonly partSize: number) {}

  add(chunk: Buffer): Buffer[] {
    this.total += chunk.length;
    this.chunks.push(chunk);
    this.length += chunk.length;
    if (this.length < this.partSize) return [];
    const all = Buffer.concat(this.chunks, this.length);
    const parts: Buffer[] = [];
    let at = 0;
    for (; all.length - at >= this.partSize; at += this.partSize) parts.push(all.subarray(at, at + this.partSize));
    const left = Buffer.from(all.subarray(at));
    this.chunks = left.length > 0 ? [left] : [];
    this.length = left.length;
    return parts;
  }

  rest(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}

/** One multipart upload, with at most one part in flight. */
class MultipartUpload {
  private readonly etags: string[] = [];
  private inFlight: Promise<void> = Promise.resolve();

  private constructor(
    private readonly bucket: S3Bucket,
    private readonly key: string,
    private readonly uploadId: string,
  ) {}

  static async start(bucket: S3Bucket, key: string): Promise<MultipartUpload> {
    const res = expectOk(await bucket.send('POST', key, { query: 'uploads=' }), `CreateMultipartUpload ${key}`);
    const uploadId = xml.requiredText(parseXml(res.body, 'InitiateMultipartUploadResult'), 'UploadId');
    return new MultipartUpload(bucket, key, uploadId);
  }

  /** Wait for the part before (so a failure surfaces here), then send this one without waiting for it. */
  async add(part: Buffer): Promise<void> {
    await this.inFlight;
    const partNumber = this.etags.length + 1;
    if (partNumber > MAX_PARTS) throw new Error(`${this.key}: more than ${MAX_PARTS} parts`);
    this.etags.push('');
    this.inFlight = this.sendPart(partNumber, part);
    // handled here, rethrown by the next add or complete: a failure while the source is read is no unhandled rejection
    void this.inFlight.catch(() => undefined);
  }

  async complete(): Promise<void> {
    await this.inFlight;
    const body = Buffer.from(
      renderXml('CompleteMultipartUpload', { Part: this.etags.map((etag, i) => ({ PartNumber: i + 1, ETag: etag })) }),
    );
    const res = expectOk(await this.bucket.send('POST', this.key, { query: this.query(), body }), `CompleteMultipartUpload ${this.key}`);
    // S3 may answer 200 and report a failure in the body
    if (/<Error>/.test(res.body.toString('utf8'))) throw S3RemoteError.of(`CompleteMultipartUpload ${this.key}`, 500, res.body);
  }

  async abort(): Promise<void> {
    await this.inFlight.catch(() => undefined);
    await this.bucket.send('DELETE', this.key, { query: this.query() });
  }

  private async sendPart(partNumber: number, part: Buffer): Promise<void> {
    const res = expectOk(
      await this.bucket.send('PUT', this.key, { query: `partNumber=${partNumber}&${this.query()}`, body: part }),
      `UploadPart ${this.key} #${partNumber}`,
    );
    const etag = res.headers.etag;
    if (typeof etag !== 'string') throw new Error(`UploadPart ${this.key} #${partNumber}: no ETag in the answer`);
    this.etags[partNumber - 1] = etag;
  }

  private query(): string {
    return `uploadId=${encodeURIComponent(this.uploadId)}`;
  }
}
