import { ANONYMOUS } from '../../core/identity/Principal.js';
import { header } from '../../http/S3Request.js';
import { S3Error } from '../../errors/S3Error.js';
import type { AuthContext, AuthRequest, VerifiedSignature } from './AuthContext.js';
import type { Authenticate, Authentication, AuthSettings, CredentialResolver } from './Authenticator.js';
import { USE_SIGV4 } from './authorizationHeader.js';
import { createRequestBody } from './body/createRequestBody.js';
import { verifyHeaderAuth } from './headerAuth.js';
import { parsePayloadHash, type PayloadHash } from './payloadHash.js';
import { hasPresignedV2, hasPresignedV4, queryByLowerName, verifyPresigned } from './presignedAuth.js';
import { splitQuery, type RawQueryParameter } from './sigv4/canonicalRequest.js';
import { percentDecode } from './sigv4/uriEncode.js';
import { SigningKeyCache } from './sigv4/signingKey.js';

const ONE_MECHANISM =
  'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified';

/**
 * The x-amz-checksum-* headers of CompleteMultipartUpload (POST with ?uploadId) state the checksum of the whole
 * object, not of the XML body; the operation checks them.
 */
function checksumHeadersOf(request: AuthRequest, raw: readonly RawQueryParameter[]): 'body' | 'object' {
  return request.method === 'POST' && raw.some((p) => percentDecode(p.name) === 'uploadId') ? 'object' : 'body';
}

/**
 * Whether some query parameter may name a presigned URL's parameter (X-Amz-Algorithm, X-Amz-Credential or
 * X-Amz-Signature in any letter case; AWSAccessKeyId; Signature): only then are the parameters decoded to tell. A
 * name without '%' is its own decoded form.
 */
function namesPresignedParameter(raw: readonly RawQueryParameter[]): boolean {
  for (const { name } of raw) {
    if (name.includes('%') || name === 'AWSAccessKeyId' || name === 'Signature') return true;
    const lower = name.toLowerCase();
    if (lower === 'x-amz-algorithm' || lower === 'x-amz-credential' || lower === 'x-amz-signature') return true;
  }
  return false;
}

function withBody(request: AuthRequest, verified: VerifiedSignature, method: 'header' | 'presigned', raw: readonly RawQueryParameter[]): Authentication {
  return {
    principal: verified.principal,
    method,
    service: verified.service,
    body: createRequestBody(request, {
      payload: verified.payload,
      chunkSigning: verified.chunkSigning,
      checksumHeaders: checksumHeadersOf(request, raw),
    }),
  };
}

function anonymous(request: AuthRequest, raw: readonly RawQueryParameter[]): Authentication {
  const value = header(request, 'x-amz-content-sha256');
  const payload: PayloadHash = value === undefined ? { kind: 'unsigned' } : parsePayloadHash(value.trim());
  return {
    principal: ANONYMOUS,
    method: 'anonymous',
    body: createRequestBody(request, { payload, checksumHeaders: checksumHeadersOf(request, raw) }),
  };
}

export interface AuthenticatorOptions {
  /** Derived signing keys, cached per (secret, date, region, service). */
  readonly signingKeys?: SigningKeyCache;
}

/**
 * Builds the Authenticate step. Which mechanism a request uses:
 * 1. X-Amz-Algorithm / X-Amz-Credential / X-Amz-Signature in the query (any letter case) → presigned SigV4 URL;
 * 2. SigV2 query parameters (AWSAccessKeyId / Signature+Expires) → InvalidRequest "Please use AWS4-HMAC-SHA256.";
 * 3. an Authorization header → SigV4 header (SigV2 `AWS …` → InvalidRequest, other schemes → InvalidArgument);
 * 4. nothing → the anonymous principal.
 * Query parameters and a header together are InvalidArgument, as in S3. Every outcome wraps the body in a
 * verifying RequestBody (Content-MD5, checksums and x-amz-content-sha256 are checked for anonymous requests too).
 */
export function createAuthenticator(options: AuthenticatorOptions = {}): Authenticate {
  const signingKeys = options.signingKeys ?? new SigningKeyCache();
  return async (request, credentials: CredentialResolver, settings: AuthSettings, now: Date) => {
    const ctx: AuthContext = { credentials, settings, now, signingKeys };
    const authorization = header(request, 'authorization') ?? '';
    const raw = splitQuery(request.rawQuery);
    const named = namesPresignedParameter(raw);
    const presignedV4 = named && hasPresignedV4(queryByLowerName(raw));
    const presignedV2 = named && !presignedV4 && hasPresignedV2(raw);

    if ((presignedV4 || presignedV2) && authorization.trim() !== '') {
      throw new S3Error('InvalidArgument', { message: ONE_MECHANISM, details: { ArgumentName: 'Authorization', ArgumentValue: authorization } });
    }
    if (presignedV4) return withBody(request, await verifyPresigned(request, ctx), 'presigned', raw);
    if (presignedV2) throw new S3Error('InvalidRequest', { message: USE_SIGV4 });
    if (authorization.trim() !== '') return withBody(request, await verifyHeaderAuth(request, authorization, ctx), 'header', raw);
    return anonymous(request, raw);
  };
}

/** The Authenticate step with its own signing-key cache. */
export const authenticate: Authenticate = createAuthenticator();
