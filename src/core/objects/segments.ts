import type { BlobSegment, ObjectVersion } from './ObjectVersion.js';

/** One read of a blob: the inclusive byte range [start, end] of that blob. */
export interface SegmentRead {
  readonly blobId: string;
  readonly start: number;
  readonly end: number;
  /** The blob is inline (its bytes are in the metadata store). */
  readonly inline?: true;
}

/**
 * The blob reads that produce bytes [start, end] (inclusive) of an object made of `segments` laid end to end.
 * Empty segments are skipped; the caller guarantees 0 <= start <= end < total size.
 */
export function segmentReads(segments: readonly BlobSegment[], start: number, end: number): SegmentRead[] {
  const reads: SegmentRead[] = [];
  let offset = 0;
  for (const segment of segments) {
    const segStart = offset;
    const segEnd = offset + segment.size - 1;
    offset += segment.size;
    if (segment.size === 0 || segEnd < start) continue;
    if (segStart > end) break;
    const read = { blobId: segment.blobId, start: Math.max(start, segStart) - segStart, end: Math.min(end, segEnd) - segStart };
    reads.push(segment.inline === true ? { ...read, inline: true } : read);
  }
  return reads;
}

/** Number of parts S3 reports for a version (x-amz-mp-parts-count): the part count of a multipart object, else 1. */
export function partCount(version: Pick<ObjectVersion, 'partSizes'>): number {
  return version.partSizes?.length ?? 1;
}

/**
 * The byte range of part `partNumber` (1-based). A simple object has one part, the whole object. Undefined when the
 * object has no such part; `{ empty: true }` for a part of zero bytes (an empty simple object).
 */
export function partRange(
  version: Pick<ObjectVersion, 'partSizes' | 'size'>,
  partNumber: number,
): { start: number; end: number } | { empty: true } | undefined {
  const sizes = version.partSizes ?? [version.size];
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > sizes.length) return undefined;
  let start = 0;
  for (let i = 0; i < partNumber - 1; i++) start += sizes[i] ?? 0;
  const size = sizes[partNumber - 1] ?? 0;
  if (size === 0) return { empty: true };
  return { start, end: start + size - 1 };
}
