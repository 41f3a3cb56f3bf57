import { Readable } from 'node:stream';
import type { BlobStore } from '../ports/BlobStore.js';
import type { BlobLedger } from '../ports/BlobLedger.js';
import type { SegmentRead } from './segments.js';

/** Where segment bytes come from: files in the blob store, inline blobs in the metadata store. */
export interface SegmentSources {
  readonly blobs: BlobStore;
  readonly ledger: Pick<BlobLedger, 'readInlineBlob'>;
}

/**
 * One stream over several blob reads, in order (the parts of a multipart object). Each blob is opened only when the
 * previous one is done, with back-pressure throughout; destroying the result stops the blob being read.
 */
export function concatSegments(sources: SegmentSources, reads: readonly SegmentRead[]): Readable {
  if (reads.length === 1) return openSegment(sources, reads[0] as SegmentRead);
  async function* chunks(): AsyncGenerator<Buffer> {
    for (const read of reads) {
      for await (const chunk of openSegment(sources, read)) yield chunk as Buffer;
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** The bytes [start, end] of an inline blob; fails when the blob is gone (its version was removed meanwhile). */
export async function readInlineRange(ledger: SegmentSources['ledger'], read: SegmentRead): Promise<Buffer> {
  const data = await ledger.readInlineBlob(read.blobId);
  if (data === undefined) throw new Error(`inline blob ${read.blobId} is gone`);
  return read.start === 0 && read.end === data.length - 1 ? data : data.subarray(read.start, read.end + 1);
}

function openSegment(sources: SegmentSources, read: SegmentRead): Readable {
  if (read.inline !== true) return sources.blobs.read(read.blobId, { start: read.start, end: read.end });
  async function* bytes(): AsyncGenerator<Buffer> {
    yield await readInlineRange(sources.ledger, read);
  }
  return Readable.from(bytes(), { objectMode: false });
}
