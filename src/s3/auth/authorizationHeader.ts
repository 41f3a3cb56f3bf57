import { S3Error } from '../../errors/S3Error.js';
import { malformed } from './sigv4/credentialScope.js';

/** The three components of `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. */
export interface AuthorizationV4 {
  readonly credential: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

export const USE_SIGV4 = 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.';

/**
 * Parses an Authorization header value. SigV2 (`AWS <key>:<signature>`) and SigV4a get S3's "Please use
 * AWS4-HMAC-SHA256" (InvalidRequest); other schemes are InvalidArgument "Unsupported Authorization Type".
 */
export function parseAuthorizationHeader(value: string): AuthorizationV4 {
  const trimmed = value.trim();
  const space = trimmed.search(/\s/);
  const scheme = space < 0 ? trimmed : trimmed.slice(0, space);
  if (scheme === 'AWS' || scheme === 'AWS4-ECDSA-P256-SHA256') throw new S3Error('InvalidRequest', { message: USE_SIGV4 });
  if (scheme !== SIGV4_ALGORITHM) {
    throw new S3Error('InvalidArgument', { message: 'Unsupported Authorization Type', details: { ArgumentName: 'Authorization', ArgumentValue: value } });
  }
  // the three components in variables, other names only remembered to tell a repeated one (no Map per request)
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  let others: string[] | undefined;
  for (const piece of (space < 0 ? '' : trimmed.slice(space + 1)).split(',')) {
    const part = piece.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) throw malformed('header', `the authorization header component "${part}" is malformed.`);
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    const repeated =
      name === 'Credential' ? credential !== undefined
      : name === 'SignedHeaders' ? signedHeaders !== undefined
      : name === 'Signature' ? signature !== undefined
      : others?.includes(name) === true;
    if (repeated) throw malformed('header', `the authorization header component "${name}" is repeated.`);
    if (name === 'Credential') credential = value;
    else if (name === 'SignedHeaders') signedHeaders = value;
    else if (name === 'Signature') signature = value;
    else (others ??= []).push(name);
  }
  if (credential === undefined || signedHeaders === undefined || signature === undefined) {
    throw malformed('header', 'the authorization header requires three components: Credential, SignedHeaders, and Signature.');
  }
  return { credential, signedHeaders: splitSignedHeaders(signedHeaders), signature };
}

/** `host;range;x-amz-date` → ['host', 'range', 'x-amz-date']. */
export function splitSignedHeaders(value: string): string[] {
  return value.split(';').map((h) => h.trim()).filter((h) => h !== '');
}
