import type { Readable } from 'node:stream';
import type { ChecksumAlgorithm } from '../../core/objects/ObjectVersion.js';

/** What is known about a request payload once it has been read to the end and verified. */
export interface BodyDigests {
  /** Number of payload bytes (after aws-chunked decoding). */
  readonly size: number;
  /** MD5 of the payload, hex (the ETag of a simple object). */
  readonly md5Hex: string;
  /**
   * The flexible checksum of the payload, base64, when the request named an algorithm (x-amz-checksum-<alg> header
   * or trailer, x-amz-sdk-checksum-algorithm, or the caller asked for one via `RequestBody.computeChecksum`).
   */
  readonly checksum?: { readonly algorithm: ChecksumAlgorithm; readonly value: string };
  /**
   * Every flexible checksum computed over the payload, base64: the client's (verified) and each one asked for with
   * `RequestBody.computeChecksum`. `checksum` is the client's when it sent one, else the first one asked for.
   */
  readonly checksums?: Readonly<Partial<Record<ChecksumAlgorithm, string>>>;
}

/**
 * The request payload, decoded (aws-chunked framing removed) and verified: Content-MD5, x-amz-content-sha256,
 * chunk signatures, and x-amz-checksum-* (header or trailer). A verification failure makes `stream` emit an
 * S3Error (BadDigest, XAmzContentSHA256Mismatch, SignatureDoesNotMatch, IncompleteBody, InvalidRequest …)
 * instead of ending, so a consumer that only commits after a clean end never commits bad data.
 */
export interface RequestBody {
  /** Payload bytes. Read it once. */
  readonly stream: Readable;
  /** Payload length announced by the client (x-amz-decoded-content-length or Content-Length), if any. */
  readonly declaredLength: number | undefined;
  /** The checksum algorithm the client sent a value for (header or trailer), if any. */
  readonly checksumAlgorithm: ChecksumAlgorithm | undefined;
  /** Ask for a checksum to be computed even though the client sent none (e.g. an upload's algorithm). Call before reading. */
  computeChecksum(algorithm: ChecksumAlgorithm): void;
  /** Digests; available after `stream` has ended without error. Throws if called earlier. */
  digests(): BodyDigests;
  /** Read the whole payload (for XML bodies) up to `limit` bytes; more → MaxMessageLengthExceeded. Verified like `stream`. */
  readAll(limit: number): Promise<Buffer>;
}
