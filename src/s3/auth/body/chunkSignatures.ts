import { createHash, type Hash } from 'node:crypto';
import { S3Error } from '../../../errors/S3Error.js';
import { EMPTY_SHA256, sha256Hex, signatureHex, signaturesEqual, spacedHexBytes } from '../sigv4/crypto.js';
import type { TrailerField } from './awsChunkedParser.js';

/** What a signed aws-chunked body is verified with: the request's signing key, scope and seed signature. */
export interface ChunkSigning {
  readonly signingKey: Buffer;
  /** x-amz-date of the request. */
  readonly amzDate: string;
  /** `<date>/<region>/<service>/aws4_request` */
  readonly scope: string;
  /** The signature of the request headers, which the first chunk's signature chains from. */
  readonly seedSignature: string;
  readonly accessKeyId: string;
}

/**
 * The chain of chunk signatures: chunk n signs
 *   AWS4-HMAC-SHA256-PAYLOAD \n date \n scope \n signature(n-1) \n sha256("") \n sha256(chunk n data)
 * starting from the seed signature, and a trailer signs
 *   AWS4-HMAC-SHA256-TRAILER \n date \n scope \n signature(last chunk) \n sha256(trailer lines)
 * A mismatch is SignatureDoesNotMatch with the string S3 signed in the details.
 */
export class ChunkSignatureChain {
  private previous: string;
  private expected: string | undefined;
  private hash: Hash | undefined;

  constructor(private readonly signing: ChunkSigning) {
    this.previous = signing.seedSignature;
  }

  begin(signature: string | undefined): void {
    if (signature === undefined) throw new S3Error('InvalidRequest', { message: 'Invalid aws-chunked body: chunk without chunk-signature' });
    this.expected = signature;
    this.hash = createHash('sha256');
  }

  update(data: Buffer): void {
    this.hash?.update(data);
  }

  /** Checks the signature of the chunk that just ended. */
  end(): void {
    const dataHash = this.hash?.digest('hex') ?? EMPTY_SHA256;
    const text = ['AWS4-HMAC-SHA256-PAYLOAD', this.signing.amzDate, this.signing.scope, this.previous, EMPTY_SHA256, dataHash].join('\n');
    this.previous = this.verify(text, this.expected ?? '');
    this.hash = undefined;
    this.expected = undefined;
  }

  /** Checks the trailer signature over the trailer fields (without x-amz-trailer-signature). */
  verifyTrailer(fields: readonly TrailerField[], signature: string): void {
    const canonical = fields.map((f) => `${f.name}:${f.value}\n`).join('');
    const text = ['AWS4-HMAC-SHA256-TRAILER', this.signing.amzDate, this.signing.scope, this.previous, sha256Hex(canonical)].join('\n');
    this.previous = this.verify(text, signature);
  }

  private verify(text: string, provided: string): string {
    const computed = signatureHex(this.signing.signingKey, text);
    if (!signaturesEqual(computed, provided)) {
      throw new S3Error('SignatureDoesNotMatch', { details: {
        AWSAccessKeyId: this.signing.accessKeyId,
        StringToSign: text,
        SignatureProvided: provided,
        StringToSignBytes: spacedHexBytes(text),
      } });
    }
    return computed;
  }
}
