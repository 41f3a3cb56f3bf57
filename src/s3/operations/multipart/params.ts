import { MAX_PART_NUMBER, MIN_PART_NUMBER } from '../../../core/objects/multipart/limits.js';
import { S3Error } from '../../../errors/S3Error.js';

/**
 * Query parameters of the multipart operations, checked with AWS's errors.
 */

const INT32_MAX = 2147483647;

/** `partNumber`: an integer 1–10000, else InvalidArgument with AWS's message. */
export function parsePartNumber(raw: string | undefined): number {
  const n = raw !== undefined && /^\d{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < MIN_PART_NUMBER || n > MAX_PART_NUMBER) {
    throw new S3Error('InvalidArgument', { message: 'Part number must be an integer between 1 and 10000, inclusive', details: {
      ArgumentName: 'partNumber',
      ArgumentValue: raw ?? '',
    } });
  }
  return n;
}

/**
 * A non-negative integer list parameter (max-parts, max-uploads, part-number-marker): absent → `fallback`;
 * negative → "Argument <name> must be an integer between 0 and 2147483647"; not an int32 → "Provided <name> not an
 * integer or within integer range".
 */
export function parseListInteger(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  if (/^-\d+$/.test(raw)) {
    throw new S3Error('InvalidArgument', { message: `Argument ${name} must be an integer between 0 and ${INT32_MAX}`, details: {
      ArgumentName: name,
      ArgumentValue: raw,
    } });
  }
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n > INT32_MAX) {
    throw new S3Error('InvalidArgument', { message: `Provided ${name} not an integer or within integer range`, details: {
      ArgumentName: name,
      ArgumentValue: raw,
    } });
  }
  return n;
}
