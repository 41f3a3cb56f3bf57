import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Services } from '../Services.js';

/** Bytes per block handed to the blob store. */
const CHUNK = 256 * 1024;

/**
 * What the producer hands over at a time: a string, or a batch of strings (the rows of a report batch). A batch is
 * encoded string by string into the block: joining thousands of rows first, then encoding the joined string, cost
 * about twice as much.
 */
export type TextPieces = string | readonly string[];

/**
 * Write an object through the ordinary write path (stage blob → putVersion → publish) from text chunks produced
 * lazily, so a report of millions of rows is never held in memory. Returns the MD5 of the bytes.
 */
export async function writeTextObject(
  services: Services,
  bucketName: string,
  key: string,
  ownerAccountId: string,
  chunks: AsyncIterable<TextPieces> | Iterable<TextPieces>,
  contentType: string,
): Promise<string> {
  const bucket = await services.buckets.get(bucketName);
  if (bucket === undefined) throw new Error(`report bucket ${bucketName} does not exist`);
  const md5 = createHash('md5');
  let size = 0;
  // Each chunk is encoded straight into a block of CHUNK bytes (no joined intermediate string), and a block is
  // handed on as soon as it is full: at most a block or two in flight (the blob store's backpressure), whatever the
  // size of the object.
  async function* bytes(): AsyncGenerator<Buffer> {
    let block = Buffer.allocUnsafeSlow(CHUNK);
    let used = 0;
    const flush = (): Buffer => {
      const full = block.subarray(0, used);
      md5.update(full);
      size += full.length;
      block = Buffer.allocUnsafeSlow(CHUNK);
      used = 0;
      return full;
    };
    for await (const pieces of chunks) {
      for (const chunk of typeof pieces === 'string' ? [pieces] : pieces) {
        // a string of n UTF-16 units is at most 3n bytes: only near the end of the block is it measured
        const length = used + chunk.length * 3 <= block.length ? chunk.length : Buffer.byteLength(chunk, 'utf8');
        if (used + length > block.length && used > 0) yield flush();
        if (length > block.length) {
          const big = Buffer.from(chunk, 'utf8');
          md5.update(big);
          size += big.length;
          yield big;
          continue;
        }
        used += block.write(chunk, used, 'utf8');
        if (used === block.length) yield flush();
      }
    }
    if (used > 0) yield flush();
  }
  let digest: string | undefined;
  const stream = Readable.from(bytes(), { objectMode: false });
  await services.objects.putObject({
    bucket,
    key,
    ownerAccountId,
    attributes: { storageClass: 'STANDARD', contentHeaders: { contentType }, userMetadata: {}, tags: [] },
    payload: {
      stream,
      digests() {
        digest ??= md5.digest('hex');
        return { size, md5Hex: digest };
      },
    },
  });
  return digest ?? md5.digest('hex');
}
