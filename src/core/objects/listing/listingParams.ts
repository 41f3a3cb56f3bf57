import { S3Error } from '../../../errors/S3Error.js';

/** The most entries S3 returns in one listing page, and the default page size. */
export const MAX_LIST_KEYS = 1000;
const INT32_MAX = 2147483647;

export interface MaxKeys {
  /** What the client asked for (echoed as MaxKeys, as AWS does). */
  readonly requested: number;
  /** What a page holds at most: the request capped at 1000. */
  readonly effective: number;
}

/**
 * The max-keys query parameter: absent → 1000; an integer 0–2147483647, capped at 1000 for the page. Anything else
 * is 400 InvalidArgument with AWS's messages.
 */
export function parseMaxKeys(raw: string | undefined, name = 'max-keys'): MaxKeys {
  if (raw === undefined) return { requested: MAX_LIST_KEYS, effective: MAX_LIST_KEYS };
  if (/^-\d+$/.test(raw)) {
    throw new S3Error('InvalidArgument', { message: 'Argument maxKeys must be an integer between 0 and 2147483647', details: {
      ArgumentName: name,
      ArgumentValue: raw,
    } });
  }
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n > INT32_MAX) {
    throw new S3Error('InvalidArgument', { message: `Provided ${name} not an integer or within integer range`, details: { ArgumentName: name, ArgumentValue: raw } });
  }
  return { requested: n, effective: Math.min(n, MAX_LIST_KEYS) };
}

/** The encoding-type query parameter: absent, or `url`; anything else is 400 InvalidArgument. */
export function parseEncodingType(raw: string | undefined): 'url' | undefined {
  if (raw === undefined) return undefined;
  if (raw.toLowerCase() === 'url') return 'url';
  throw new S3Error('InvalidArgument', { message: 'Invalid Encoding Method specified in Request', details: { ArgumentName: 'encoding-type', ArgumentValue: raw } });
}

/** A delimiter parameter: an empty one is the same as none (and, as in AWS, is not echoed). */
export function parseDelimiter(raw: string | undefined): string | undefined {
  return raw === undefined || raw === '' ? undefined : raw;
}
