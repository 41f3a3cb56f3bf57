import { S3Error } from '../../../errors/S3Error.js';

const FORM_MESSAGE =
  'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy';

/**
 * `x-amz-copy-source-range` of UploadPartCopy: exactly `bytes=first-last` (inclusive, zero-based), both within the
 * source. Unlike GetObject's Range nothing is clamped or ignored: another form (or first > last) is InvalidArgument
 * with AWS's message, and a range reaching past the source is InvalidArgument "Range specified is not valid for
 * source object of size: N" (what S3 answers). Absent → the whole source.
 */
export function parseCopySourceRange(raw: string | undefined, sourceSize: number): { start: number; end: number } {
  if (raw === undefined) return { start: 0, end: sourceSize - 1 };
  const m = /^bytes=(\d+)-(\d+)$/.exec(raw.trim());
  const start = m === null ? Number.NaN : Number(m[1]);
  const end = m === null ? Number.NaN : Number(m[2]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start > end) {
    throw new S3Error('InvalidArgument', { message: FORM_MESSAGE, details: { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: raw } });
  }
  if (end >= sourceSize) {
    throw new S3Error('InvalidArgument', { message: `Range specified is not valid for source object of size: ${sourceSize}`, details: {
      ArgumentName: 'x-amz-copy-source-range',
      ArgumentValue: raw,
    } });
  }
  return { start, end };
}
