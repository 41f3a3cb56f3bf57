import { timingSafeEqual } from 'node:crypto';
import { S3Error } from '../../errors/S3Error.js';
import type { CredentialResolver, ResolvedCredential } from './Authenticator.js';

/**
 * The credential of an access key id, or InvalidAccessKeyId when it is unknown or inactive. Temporary credentials
 * need their session token: missing → InvalidAccessKeyId (the key alone is not known); a wrong token, or a token
 * sent for a key that has none → InvalidToken.
 */
export async function resolveCredential(
  resolver: CredentialResolver,
  accessKeyId: string,
  sessionToken: string | undefined,
): Promise<ResolvedCredential> {
  const credential = await resolver.resolve(accessKeyId);
  if (credential === undefined || !credential.active) {
    throw new S3Error('InvalidAccessKeyId', { details: { AWSAccessKeyId: accessKeyId } });
  }
  if (credential.sessionToken === undefined) {
    if (sessionToken !== undefined) throw new S3Error('InvalidToken', { details: { 'Token-0': sessionToken } });
    return credential;
  }
  if (sessionToken === undefined) throw new S3Error('InvalidAccessKeyId', { details: { AWSAccessKeyId: accessKeyId } });
  const a = Buffer.from(credential.sessionToken, 'utf8');
  const b = Buffer.from(sessionToken, 'utf8');
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new S3Error('InvalidToken', { details: { 'Token-0': sessionToken } });
  return credential;
}
