import { createHash, createHmac } from 'node:crypto';
import type { ChunkSigning } from '../../../src/s3/auth/body/chunkSignatures.js';

const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function hmacHex(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('hex');
}

export interface FrameOptions {
  /** Sizes of the data chunks, in order (the rest of the data goes in one more chunk). */
  readonly sizes: readonly number[];
  /** Sign the chunks (and the trailer, when `trailers` is given) with this context. */
  readonly signing?: ChunkSigning;
  readonly trailers?: readonly (readonly [string, string])[];
  /** End with the blank line after the final chunk / trailers (default true). */
  readonly finalCrlf?: boolean;
}

/** Frames data as an aws-chunked body, as an S3 client does (written independently of the decoder). */
export function frameChunks(data: Buffer, options: FrameOptions): Buffer {
  const out: Buffer[] = [];
  let previous = options.signing?.seedSignature ?? '';
  const header = (piece: Buffer): string => {
    if (options.signing === undefined) return piece.length.toString(16);
    const s = options.signing;
    const text = ['AWS4-HMAC-SHA256-PAYLOAD', s.amzDate, s.scope, previous, EMPTY, createHash('sha256').update(piece).digest('hex')].join('\n');
    previous = hmacHex(s.signingKey, text);
    return `${piece.length.toString(16)};chunk-signature=${previous}`;
  };
  let pos = 0;
  const pieces: Buffer[] = [];
  for (const size of options.sizes) {
    if (pos >= data.length) break;
    pieces.push(data.subarray(pos, pos + size));
    pos += size;
  }
  if (pos < data.length) pieces.push(data.subarray(pos));
  for (const piece of pieces) out.push(Buffer.from(`${header(piece)}\r\n`), piece, Buffer.from('\r\n'));
  out.push(Buffer.from(`${header(Buffer.alloc(0))}\r\n`));
  if (options.trailers !== undefined) {
    const lines = options.trailers.map(([n, v]) => `${n}:${v}\n`).join('');
    out.push(Buffer.from(options.trailers.map(([n, v]) => `${n}:${v}\r\n`).join('')));
    if (options.signing !== undefined) {
      const s = options.signing;
      const text = ['AWS4-HMAC-SHA256-TRAILER', s.amzDate, s.scope, previous, createHash('sha256').update(lines).digest('hex')].join('\n');
      out.push(Buffer.from(`x-amz-trailer-signature:${hmacHex(s.signingKey, text)}\r\n`));
    }
  }
  if (options.finalCrlf !== false) out.push(Buffer.from('\r\n'));
  return Buffer.concat(out);
}

export const TEST_SIGNING: ChunkSigning = {
  signingKey: Buffer.alloc(32, 7),
  amzDate: '20240101T000000Z',
  scope: '20240101/us-east-1/s3/aws4_request',
  seedSignature: 'a'.repeat(64),
  accessKeyId: 'AKIATEST',
};
