import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Principal } from '../../core/identity/Principal.js';
import type { S3Request } from '../../http/S3Request.js';
import type { AuthSettings, CredentialResolver } from './Authenticator.js';
import type { ChunkSigning } from './body/chunkSignatures.js';
import type { PayloadHash } from './payloadHash.js';
import type { HeaderLookup } from './sigv4/canonicalRequest.js';
import type { SigningKeyCache } from './sigv4/signingKey.js';

/** The parts of a request that authentication reads. */
export type AuthRequest = Pick<S3Request, 'method' | 'rawPath' | 'rawQuery' | 'headers' | 'stream'> & {
  /**
   * The hex SHA-256 of a body the caller has already read, used when x-amz-content-sha256 is absent: AWS
   * query-protocol clients (IAM, STS) sign the payload hash without sending that header.
   */
  readonly payloadSha256?: string;
};

/** Everything a verifier needs besides the request. */
export interface AuthContext {
  readonly credentials: CredentialResolver;
  readonly settings: AuthSettings;
  readonly now: Date;
  readonly signingKeys: SigningKeyCache;
}

/** A request whose signature checked out. */
export interface VerifiedSignature {
  readonly principal: Principal;
  readonly service: string;
  readonly payload: PayloadHash;
  readonly chunkSigning: ChunkSigning;
}

export function servicesOf(settings: AuthSettings): readonly string[] {
  return settings.services !== undefined && settings.services.length > 0 ? settings.services : ['s3'];
}

/**
 * Header values for the canonical request. Repeated headers are signed as their values joined with ',', which
 * Node's `headers` object does not keep for every header; `headersDistinct` (Node ≥ 18.3) does. When no header name
 * was sent twice (as many raw headers as names in `headers`), each name has its one value in `headers` as sent, and
 * the lookup reads it there instead of having Node build `headersDistinct` (an array per header) for every request.
 */
export function headerLookup(request: AuthRequest): HeaderLookup {
  const stream = request.stream as Partial<IncomingMessage> | undefined;
  const headers = request.headers;
  const raw = stream?.rawHeaders;
  if (raw !== undefined && stream?.headers === headers && !hasRepeatedNames(headers, raw)) return (name) => headers[name];
  const distinct = stream?.headersDistinct;
  return (name) => distinct?.[name] ?? headers[name];
}

/** Whether some header name came more than once: Node's `headers` then has fewer names than the raw list has lines. */
function hasRepeatedNames(headers: IncomingHttpHeaders, rawHeaders: readonly string[]): boolean {
  let names = 0;
  for (const name in headers) if (Object.hasOwn(headers, name)) names++;
  return names * 2 !== rawHeaders.length;
}
