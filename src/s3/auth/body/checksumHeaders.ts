import type { IncomingHttpHeaders } from 'node:http';
import type { ChecksumAlgorithm } from '../../../core/objects/ObjectVersion.js';
import { CHECKSUM_ALGORITHMS } from '../../../core/objects/ObjectVersion.js';
import {
  algorithmOfHeader,
  CHECKSUM_ALGORITHM_LIST,
  CHECKSUM_SPECS,
  parseChecksumAlgorithm,
} from '../../../core/checksums/algorithms.js';
import { decodeChecksumValue } from '../../../core/checksums/checksumValue.js';
import { S3Error } from '../../../errors/S3Error.js';
import type { PayloadHash } from '../payloadHash.js';
import { headerValue } from './headerValue.js';

/** The flexible checksum a request promises, and where its value is. */
export type ChecksumExpectation =
  | { readonly algorithm: ChecksumAlgorithm; readonly source: 'header'; readonly value: string }
  | { readonly algorithm: ChecksumAlgorithm; readonly source: 'trailer'; readonly trailerName: string };

export interface ChecksumPlan {
  readonly expected?: ChecksumExpectation;
  /** The trailer announced in x-amz-trailer (lower-case), if any. */
  readonly trailer?: string;
}

/** The plan of a request that names no checksum. */
const NO_CHECKSUM: ChecksumPlan = Object.freeze({});

const SINGLE = 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.';

function isTrailerMode(payload: PayloadHash): boolean {
  return payload.kind === 'streaming-unsigned-trailer' || (payload.kind === 'streaming-signed' && payload.trailer);
}

/**
 * Reads x-amz-checksum-<alg>, x-amz-trailer and x-amz-sdk-checksum-algorithm, and throws what S3 answers for a
 * request that gets them wrong (all InvalidRequest, except an algorithm that differs from the value sent: BadDigest).
 * With `scope` 'object' the checksum headers describe an object, not this body, and are not read here.
 */
export function planChecksum(headers: IncomingHttpHeaders, payload: PayloadHash, scope: 'body' | 'object' = 'body'): ChecksumPlan {
  // most requests send none of these headers: nothing to plan, nothing to allocate
  if (
    headers['x-amz-trailer'] === undefined &&
    (scope === 'object' || (headers['x-amz-sdk-checksum-algorithm'] === undefined && !CHECKSUM_ALGORITHMS.some((alg) => headers[CHECKSUM_SPECS[alg].headerName] !== undefined)))
  ) {
    return NO_CHECKSUM;
  }
  const valueHeaders =
    scope === 'object' ? [] : CHECKSUM_ALGORITHMS.filter((alg) => headers[CHECKSUM_SPECS[alg].headerName] !== undefined);

  const trailerHeader = headerValue(headers, 'x-amz-trailer');
  const trailerNames = (trailerHeader ?? '').split(',').map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
  if (trailerNames.length > 0) {
    if (payload.kind === 'streaming-signed' && !payload.trailer) {
      throw new S3Error('MalformedTrailerError', { details: {
        Reason: 'x-amz-trailer needs x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
      } });
    }
    if (!isTrailerMode(payload)) {
      throw new S3Error('InvalidRequest', { message: 'The x-amz-trailer header is only allowed with an x-amz-content-sha256 of STREAMING-…-TRAILER.' });
    }
    for (const name of trailerNames) {
      if (algorithmOfHeader(name) === undefined) {
        throw new S3Error('InvalidRequest', { message: 'The value specified in the x-amz-trailer header is not supported' });
      }
    }
  }
  if (valueHeaders.length + trailerNames.length > 1) throw new S3Error('InvalidRequest', { message: SINGLE });

  let expected: ChecksumExpectation | undefined;
  const headerAlg = valueHeaders[0];
  const trailerName = trailerNames[0];
  if (headerAlg !== undefined) {
    const name = CHECKSUM_SPECS[headerAlg].headerName;
    const value = (headerValue(headers, name) ?? '').trim();
    if (decodeChecksumValue(headerAlg, value) === undefined) {
      throw new S3Error('InvalidRequest', { message: `Value for ${name} header is invalid.` });
    }
    expected = { algorithm: headerAlg, source: 'header', value };
  } else if (trailerName !== undefined) {
    const alg = algorithmOfHeader(trailerName);
    if (alg !== undefined) expected = { algorithm: alg, source: 'trailer', trailerName };
  }

  const sdk = scope === 'object' ? undefined : headerValue(headers, 'x-amz-sdk-checksum-algorithm');
  if (sdk !== undefined) {
    const alg = parseChecksumAlgorithm(sdk);
    if (alg === undefined) {
      throw new S3Error(
        'InvalidRequest', { message: `Checksum algorithm provided is unsupported. Please try again with any of the valid types: ${CHECKSUM_ALGORITHM_LIST}` }
      );
    }
    if (expected === undefined) {
      throw new S3Error(
        'InvalidRequest', { message: 'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.' }
      );
    }
    if (alg !== expected.algorithm) {
      throw new S3Error('BadDigest', { message: `The ${alg} you specified did not match the calculated checksum.` });
    }
  }

  return {
    ...(expected === undefined ? {} : { expected }),
    ...(trailerName === undefined ? {} : { trailer: trailerName }),
  };
}
