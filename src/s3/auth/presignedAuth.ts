import { header } from '../../http/S3Request.js';
import { S3Error } from '../../errors/S3Error.js';
import { headerLookup, servicesOf, type AuthContext, type AuthRequest, type VerifiedSignature } from './AuthContext.js';
import { SIGV4_ALGORITHM, splitSignedHeaders } from './authorizationHeader.js';
import { parsePayloadHash, UNSIGNED_PAYLOAD } from './payloadHash.js';
import { resolveCredential } from './resolveCredential.js';
import { checkHeadersSigned } from './signedHeaders.js';
import { isoSeconds, parseAmzDate } from './sigv4/amzDate.js';
import { splitQuery, type RawQueryParameter } from './sigv4/canonicalRequest.js';
import { parseCredential } from './sigv4/credentialScope.js';
import { percentDecode, percentDecodeToBytes } from './sigv4/uriEncode.js';
import { verifySignature } from './verifySignature.js';

/** The longest validity of a presigned URL: 7 days. */
export const MAX_PRESIGNED_EXPIRES_SECONDS = 604800;

/** Decoded query parameters by lower-case name (first value wins), as S3 matches the X-Amz-* names. */
export function queryByLowerName(params: readonly RawQueryParameter[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of params) {
    const name = percentDecode(p.name).toLowerCase();
    if (!out.has(name)) out.set(name, percentDecode(p.value));
  }
  return out;
}

function parameterError(message: string): S3Error {
  return new S3Error('AuthorizationQueryParametersError', { message });
}

const REQUIRED = ['x-amz-algorithm', 'x-amz-credential', 'x-amz-signature', 'x-amz-date', 'x-amz-signedheaders', 'x-amz-expires'];

function parseExpires(text: string): number {
  if (!/^[+-]?\d+$/.test(text.trim())) throw parameterError('X-Amz-Expires should be a number');
  const seconds = Number(text.trim());
  if (seconds < 0) throw parameterError('X-Amz-Expires must be non-negative');
  if (seconds > MAX_PRESIGNED_EXPIRES_SECONDS) {
    throw parameterError(
      'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
    );
  }
  return seconds;
}

/**
 * Verifies a presigned URL (`X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=…&X-Amz-Date=…&X-Amz-Expires=…&
 * X-Amz-SignedHeaders=…&X-Amz-Signature=…`). The parameters' shape and scope come first, then the access key,
 * the signed headers and the signature, and only then the time window (not yet valid / expired).
 */
export async function verifyPresigned(request: AuthRequest, ctx: AuthContext): Promise<VerifiedSignature> {
  const raw = splitQuery(request.rawQuery);
  const params = queryByLowerName(raw);
  if (REQUIRED.some((name) => params.get(name) === undefined)) {
    throw parameterError(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  const get = (name: string): string => params.get(name) ?? '';

  if (get('x-amz-algorithm') !== SIGV4_ALGORITHM) {
    throw parameterError('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"');
  }
  const amzDate = get('x-amz-date');
  const date = parseAmzDate(amzDate);
  if (date === undefined) throw parameterError('X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"');
  const expires = parseExpires(get('x-amz-expires'));
  const scope = parseCredential(get('x-amz-credential'), 'query', {
    region: ctx.settings.region,
    services: servicesOf(ctx.settings),
    amzDate,
    anyRegion: ctx.settings.anyRegion === true,
  });
  const token = params.get('x-amz-security-token') ?? header(request, 'x-amz-security-token');
  const credential = await resolveCredential(ctx.credentials, scope.accessKeyId, token);
  const signedHeaders = splitSignedHeaders(get('x-amz-signedheaders'));
  checkHeadersSigned(request.headers, signedHeaders);

  const payloadValue = (header(request, 'x-amz-content-sha256') ?? params.get('x-amz-content-sha256') ?? UNSIGNED_PAYLOAD).trim();
  const payload = parsePayloadHash(payloadValue);

  const signingKey = ctx.signingKeys.get(credential.secretAccessKey, scope.date, scope.region, scope.service);
  const signature = verifySignature({
    request: {
      method: request.method,
      rawPath: request.rawPath,
      query: raw,
      excludeQuery: (name) => name.toLowerCase() === 'x-amz-signature',
      signedHeaders,
      header: headerLookup(request),
      payloadHash: payloadValue,
    },
    amzDate,
    scope: scope.scope,
    signingKey,
    provided: get('x-amz-signature'),
    accessKeyId: scope.accessKeyId,
  });

  const now = ctx.now.getTime();
  if (date.getTime() - now > ctx.settings.maxClockSkewMs) {
    throw new S3Error('AccessDenied', { message: 'Request is not yet valid', details: { 'X-Amz-Date': amzDate, ServerTime: isoSeconds(ctx.now) } });
  }
  const end = date.getTime() + expires * 1000;
  if (expires === 0 || now > end) {
    throw new S3Error('AccessDenied', { message: 'Request has expired', details: {
      'X-Amz-Expires': String(expires),
      Expires: isoSeconds(new Date(end)),
      ServerTime: isoSeconds(ctx.now),
    } });
  }

  return {
    principal: credential.principal,
    service: scope.service,
    payload,
    chunkSigning: { signingKey, amzDate, scope: scope.scope, seedSignature: signature, accessKeyId: scope.accessKeyId },
  };
}

/**
 * Whether the query string attempts SigV4 presigning: X-Amz-Algorithm, X-Amz-Credential or X-Amz-Signature (any
 * letter case). An attempt with parameters missing is AuthorizationQueryParametersError, not anonymous.
 */
export function hasPresignedV4(params: ReadonlyMap<string, string>): boolean {
  return params.has('x-amz-algorithm') || params.has('x-amz-credential') || params.has('x-amz-signature');
}

/** Whether the query string carries SigV2 presigned parameters (AWSAccessKeyId, or Signature with Expires). */
export function hasPresignedV2(raw: readonly RawQueryParameter[]): boolean {
  const names = new Set(raw.map((p) => percentDecodeToBytes(p.name).toString('utf8')));
  return names.has('AWSAccessKeyId') || (names.has('Signature') && names.has('Expires'));
}
