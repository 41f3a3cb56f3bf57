import { Readable } from 'node:stream';
import type { BlobStore } from '../../storage/blobs/BlobStore.js';
import type { SegmentRead } from './segments.js';

/**
 * One stream over several blob reads, in order (the parts of a multipart object). Each blob is opened only when the
 * previous one is done, with back-pressure throughout; destroying the result stops the blob being read.
 */
export function concatSegments(blobs: BlobStore, reads: readonly SegmentRead[]): Readable {
  if (reads.length === 1) {
    const only = reads[0] as SegmentRead;
    return blobs.read(only.blobId, { start: only.start, end: only.end });
  }
  async function* chunks(): AsyncGenerator<Buffer> {
    for (const read of reads) {
      for await (const chunk of blobs.read(read.blobId, { start: read.start, end: read.end })) yield chunk as Buffer;
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}
