import { S3Error } from '../../errors/S3Error.js';

/** What the x-amz-content-sha256 header (or, for presigned URLs, its absence) says about the payload. */
export type PayloadHash =
  /** The hex SHA-256 of the payload: verified at the end of the body. */
  | { readonly kind: 'sha256'; readonly hex: string }
  /** UNSIGNED-PAYLOAD (or nothing said, for presigned and anonymous requests). */
  | { readonly kind: 'unsigned' }
  /** STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]: aws-chunked with chained chunk signatures. */
  | { readonly kind: 'streaming-signed'; readonly trailer: boolean }
  /** STREAMING-UNSIGNED-PAYLOAD-TRAILER: aws-chunked without signatures, optionally with a trailer. */
  | { readonly kind: 'streaming-unsigned-trailer' };

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const STREAMING_SIGNED = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
export const STREAMING_SIGNED_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
export const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
const STREAMING_ECDSA = 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD';
const STREAMING_ECDSA_TRAILER = 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER';

/** 0 when `value` is not 64 hex digits, 1 when it is, in lower case, 2 when some are upper case. */
function sha256HexForm(value: string): 0 | 1 | 2 {
  if (value.length !== 64) return 0;
  let upper = false;
  for (let i = 0; i < 64; i++) {
    const c = value.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66)) continue;
    if (c >= 0x41 && c <= 0x46) upper = true;
    else return 0;
  }
  return upper ? 2 : 1;
}

const UNSIGNED: PayloadHash = Object.freeze({ kind: 'unsigned' });

const INVALID_VALUE =
  'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, ' +
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, ' +
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.';

/**
 * Reads an x-amz-content-sha256 value. Anything S3 does not know is InvalidArgument (with S3's message); the
 * SigV4a (ECDSA) streaming values are known but need a SigV4a signature, which Tessera does not accept.
 */
export function parsePayloadHash(value: string): PayloadHash {
  const hex = sha256HexForm(value);
  if (hex !== 0) return { kind: 'sha256', hex: hex === 1 ? value : value.toLowerCase() };
  switch (value) {
    case UNSIGNED_PAYLOAD:
      return UNSIGNED;
    case STREAMING_SIGNED:
      return { kind: 'streaming-signed', trailer: false };
    case STREAMING_SIGNED_TRAILER:
      return { kind: 'streaming-signed', trailer: true };
    case STREAMING_UNSIGNED_TRAILER:
      return { kind: 'streaming-unsigned-trailer' };
    case STREAMING_ECDSA:
    case STREAMING_ECDSA_TRAILER:
      throw new S3Error('InvalidRequest', { message: 'The value of x-amz-content-sha256 header is invalid.' });
    default:
      throw new S3Error('InvalidArgument', { message: INVALID_VALUE, details: {
        ArgumentName: 'x-amz-content-sha256',
        ArgumentValue: value,
      } });
  }
}

/** Whether the payload is framed with aws-chunked encoding. */
export function isStreaming(hash: PayloadHash): boolean {
  return hash.kind === 'streaming-signed' || hash.kind === 'streaming-unsigned-trailer';
}
