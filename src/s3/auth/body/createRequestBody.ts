import type { Readable } from 'node:stream';
import type { IncomingHttpHeaders } from 'node:http';
import { S3Error } from '../../../errors/S3Error.js';
import type { PayloadHash } from '../payloadHash.js';
import type { RequestBody } from '../RequestBody.js';
import { BodyDigester, type DigestExpectations } from './BodyDigester.js';
import { planChecksum } from './checksumHeaders.js';
import type { ChunkSigning } from './chunkSignatures.js';
import { parseContentMd5 } from './contentMd5.js';
import { lengthHeader } from './headerValue.js';
import { chunkedDecoder, plainDecoder, type PayloadDecoder } from './payloadDecoder.js';
import { VerifyingBody } from './VerifyingBody.js';

/** The expectations of a body the client said nothing about (most GETs and HEADs). */
const NOTHING_EXPECTED: DigestExpectations = Object.freeze({});

/** What authentication established about the payload. */
export interface BodyAuth {
  /** x-amz-content-sha256, resolved (`unsigned` when absent on presigned or anonymous requests). */
  readonly payload: PayloadHash;
  /** Required for `streaming-signed` payloads: the key and seed signature the chunk signatures chain from. */
  readonly chunkSigning?: ChunkSigning;
  /**
   * `object` when the request's x-amz-checksum-* headers state the checksum of an object rather than of this body
   * (CompleteMultipartUpload): they are then left to the operation. Default `body`.
   */
  readonly checksumHeaders?: 'body' | 'object';
}

/** The parts of an S3Request the body needs. */
export interface BodySource {
  readonly headers: IncomingHttpHeaders;
  readonly stream: Readable;
}

/**
 * Wraps a request's payload in a verifying RequestBody. Problems visible in the headers alone (a malformed
 * Content-MD5 or checksum header, a missing x-amz-decoded-content-length, …) are thrown here, before any byte is
 * read; problems in the payload make `stream` error.
 */
export function createRequestBody(request: BodySource, auth: BodyAuth): RequestBody {
  const { headers } = request;
  const contentMd5 = parseContentMd5(headers);
  const plan = planChecksum(headers, auth.payload, auth.checksumHeaders ?? 'body');

  const contentLength = lengthHeader(headers, 'content-length');
  if (contentLength === 'invalid') throw new S3Error('InvalidArgument', { message: 'Invalid Content-Length', details: { ArgumentName: 'Content-Length' } });

  let decoder: PayloadDecoder;
  let declaredLength: number | undefined;
  const payload = auth.payload;
  if (payload.kind === 'streaming-signed' || payload.kind === 'streaming-unsigned-trailer') {
    const decodedLength = lengthHeader(headers, 'x-amz-decoded-content-length');
    if (decodedLength === undefined) throw new S3Error('MissingContentLength');
    if (decodedLength === 'invalid') {
      throw new S3Error('InvalidArgument', { message: 'Invalid x-amz-decoded-content-length', details: { ArgumentName: 'x-amz-decoded-content-length' } });
    }
    let signing: ChunkSigning | undefined;
    if (payload.kind === 'streaming-signed') {
      if (auth.chunkSigning === undefined) {
        throw new S3Error('InvalidRequest', { message: 'Anonymous requests don\'t support this x-amz-content-sha256 value. Please use UNSIGNED-PAYLOAD or STREAMING-UNSIGNED-PAYLOAD-TRAILER.' });
      }
      signing = auth.chunkSigning;
    }
    decoder = chunkedDecoder({
      decodedLength,
      ...(signing === undefined ? {} : { signing }),
      signedTrailer: payload.kind === 'streaming-signed' && payload.trailer,
      ...(plan.trailer === undefined ? {} : { expectedTrailer: plan.trailer }),
    });
    declaredLength = decodedLength;
  } else {
    decoder = plainDecoder(contentLength);
    declaredLength = contentLength;
  }

  const digester = new BodyDigester(
    payload.kind !== 'sha256' && contentMd5 === undefined && plan.expected === undefined
      ? NOTHING_EXPECTED
      : {
          ...(payload.kind === 'sha256' ? { sha256Hex: payload.hex } : {}),
          ...(contentMd5 === undefined ? {} : { contentMd5 }),
          ...(plan.expected === undefined ? {} : { checksum: plan.expected }),
        },
  );
  return new VerifyingBody(request.stream, decoder, digester, declaredLength, plan.expected?.algorithm);
}
