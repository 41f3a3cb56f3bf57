import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Services } from '../Services.js';

/**
 * Write an object through the ordinary write path (stage blob → putVersion → publish) from text chunks produced
 * lazily, so a report of millions of rows is never held in memory. Returns the MD5 of the bytes.
 */
export async function writeTextObject(
  services: Services,
  bucketName: string,
  key: string,
  ownerAccountId: string,
  chunks: AsyncIterable<string> | Iterable<string>,
  contentType: string,
): Promise<string> {
  const bucket = await services.deps.metadata.getBucket(bucketName);
  if (bucket === undefined) throw new Error(`report bucket ${bucketName} does not exist`);
  const md5 = createHash('md5');
  let size = 0;
  async function* bytes(): AsyncGenerator<Buffer> {
    let pending: string[] = [];
    let pendingLength = 0;
    for await (const chunk of chunks) {
      pending.push(chunk);
      pendingLength += chunk.length;
      if (pendingLength >= 256 * 1024) {
        const buf = Buffer.from(pending.join(''), 'utf8');
        pending = [];
        pendingLength = 0;
        md5.update(buf);
        size += buf.length;
        yield buf;
      }
    }
    const buf = Buffer.from(pending.join(''), 'utf8');
    md5.update(buf);
    size += buf.length;
    if (buf.length > 0) yield buf;
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
