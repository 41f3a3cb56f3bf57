import { header } from '../../http/S3Request.js';
import { S3Error } from '../../errors/S3Error.js';
import { headerLookup, servicesOf, type AuthContext, type AuthRequest, type VerifiedSignature } from './AuthContext.js';
import { parseAuthorizationHeader } from './authorizationHeader.js';
import { parsePayloadHash } from './payloadHash.js';
import { resolveCredential } from './resolveCredential.js';
import { checkHeadersSigned } from './signedHeaders.js';
import { formatAmzDate, isoSeconds, parseAmzDate, parseHttpDate } from './sigv4/amzDate.js';
import { splitQuery } from './sigv4/canonicalRequest.js';
import { parseCredential } from './sigv4/credentialScope.js';
import { verifySignature } from './verifySignature.js';

/** The request time of a header-signed request: x-amz-date, else the Date header. */
function requestTime(request: AuthRequest): { date: Date; amzDate: string; raw: string } {
  const amz = header(request, 'x-amz-date');
  if (amz !== undefined) {
    const text = amz.trim();
    const date = parseAmzDate(text);
    if (date !== undefined) return { date, amzDate: text, raw: text };
  } else {
    const http = header(request, 'date');
    const date = http === undefined ? undefined : parseHttpDate(http.trim());
    if (date !== undefined && http !== undefined) return { date, amzDate: formatAmzDate(date), raw: formatAmzDate(date) };
  }
  throw new S3Error('AccessDenied', { message: 'AWS authentication requires a valid Date or x-amz-date header' });
}

/**
 * Verifies `Authorization: AWS4-HMAC-SHA256 …`. Checks, in S3's order: the header's shape, x-amz-content-sha256,
 * the request date, the credential scope, the access key, that host and all x-amz-* headers are signed, the
 * signature, and only then the clock skew and the session token.
 */
export async function verifyHeaderAuth(request: AuthRequest, authorization: string, ctx: AuthContext): Promise<VerifiedSignature> {
  const auth = parseAuthorizationHeader(authorization);

  const payloadValue = header(request, 'x-amz-content-sha256') ?? request.payloadSha256;
  if (payloadValue === undefined) {
    throw new S3Error('InvalidRequest', { message: 'Missing required header for this request: x-amz-content-sha256' });
  }
  const payloadHash = payloadValue.trim();
  const payload = parsePayloadHash(payloadHash);

  const time = requestTime(request);
  const scope = parseCredential(auth.credential, 'header', {
    region: ctx.settings.region,
    services: servicesOf(ctx.settings),
    amzDate: time.amzDate,
    anyRegion: ctx.settings.anyRegion === true,
  });
  const credential = await resolveCredential(ctx.credentials, scope.accessKeyId, header(request, 'x-amz-security-token'));
  checkHeadersSigned(request.headers, auth.signedHeaders);

  const signingKey = ctx.signingKeys.get(credential.secretAccessKey, scope.date, scope.region, scope.service);
  const signature = verifySignature({
    request: {
      method: request.method,
      rawPath: request.rawPath,
      query: splitQuery(request.rawQuery),
      signedHeaders: auth.signedHeaders,
      header: headerLookup(request),
      payloadHash,
    },
    amzDate: time.amzDate,
    scope: scope.scope,
    signingKey,
    provided: auth.signature,
    accessKeyId: scope.accessKeyId,
  });

  const skew = Math.abs(ctx.now.getTime() - time.date.getTime());
  if (skew > ctx.settings.maxClockSkewMs) {
    throw new S3Error('RequestTimeTooSkewed', { details: {
      RequestTime: time.raw,
      ServerTime: isoSeconds(ctx.now),
      MaxAllowedSkewMilliseconds: String(ctx.settings.maxClockSkewMs),
    } });
  }

  return {
    principal: credential.principal,
    service: scope.service,
    payload,
    chunkSigning: {
      signingKey,
      amzDate: time.amzDate,
      scope: scope.scope,
      seedSignature: signature,
      accessKeyId: scope.accessKeyId,
    },
  };
}
