import { S3Error } from '../../errors/S3Error.js';
import { canonicalRequest, stringToSign, type CanonicalRequestParts } from './sigv4/canonicalRequest.js';
import { signatureHex, signaturesEqual, spacedHexBytes } from './sigv4/crypto.js';

export interface SignatureCheck {
  readonly request: CanonicalRequestParts;
  readonly amzDate: string;
  readonly scope: string;
  readonly signingKey: Buffer;
  readonly provided: string;
  readonly accessKeyId: string;
}

/**
 * Computes the request's signature and compares it (constant time) with the one provided; returns the computed
 * signature (the seed of a chunked upload). A mismatch is SignatureDoesNotMatch with what S3 signed in the details,
 * as AWS does, so clients can find their mistake.
 */
export function verifySignature(check: SignatureCheck): string {
  const canonical = canonicalRequest(check.request);
  const text = stringToSign(check.amzDate, check.scope, canonical);
  const computed = signatureHex(check.signingKey, text);
  if (!signaturesEqual(computed, check.provided)) {
    throw new S3Error('SignatureDoesNotMatch', { details: {
      AWSAccessKeyId: check.accessKeyId,
      StringToSign: text,
      SignatureProvided: check.provided,
      StringToSignBytes: spacedHexBytes(text),
      CanonicalRequest: canonical,
      CanonicalRequestBytes: spacedHexBytes(canonical),
    } });
  }
  return computed;
}
