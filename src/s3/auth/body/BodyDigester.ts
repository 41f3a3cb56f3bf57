import { createHash, type Hash } from 'node:crypto';
import type { ChecksumAlgorithm } from '../../../core/objects/ObjectVersion.js';
import { CHECKSUM_SPECS } from '../../../core/checksums/algorithms.js';
import { decodeChecksumValue } from '../../../core/checksums/checksumValue.js';
import { createHasher, type Hasher } from '../../../core/checksums/createHasher.js';
import { S3Error } from '../../../errors/S3Error.js';
import type { BodyDigests } from '../RequestBody.js';
import type { ChecksumExpectation } from './checksumHeaders.js';

/** What the client said the payload hashes to. */
export interface DigestExpectations {
  /** x-amz-content-sha256 as a hex SHA-256. */
  readonly sha256Hex?: string;
  /** Content-MD5, raw. */
  readonly contentMd5?: Buffer;
  readonly checksum?: ChecksumExpectation;
}

/**
 * Hashes the payload as it passes (MD5 always, SHA-256 when x-amz-content-sha256 names one, and the flexible
 * checksums) and checks every expectation once the payload has ended.
 */
export class BodyDigester {
  /** Created with the first byte (or at the end): a request whose body is never read (GET, HEAD) hashes nothing. */
  private md5: Hash | undefined;
  private sha256: Hash | undefined;
  private readonly requested: ChecksumAlgorithm[] = [];
  private hashers: Hasher[] | undefined;
  private size = 0;

  constructor(private readonly expect: DigestExpectations) {
    if (expect.checksum !== undefined) this.requested.push(expect.checksum.algorithm);
  }

  /** Also compute `algorithm` (RequestBody.computeChecksum). Only before the first byte. */
  request(algorithm: ChecksumAlgorithm): void {
    if (this.hashers !== undefined) {
      throw new S3Error('InternalError', { message: 'computeChecksum() was called after the body started to be read' });
    }
    if (!this.requested.includes(algorithm)) this.requested.push(algorithm);
  }

  update(data: Buffer): void {
    this.start();
    this.size += data.length;
    this.md5?.update(data);
    this.sha256?.update(data);
    for (const h of this.hashers ?? []) h.update(data);
  }

  /** Verifies everything; `trailers` are the trailer fields of an aws-chunked body. */
  async finish(trailers: ReadonlyMap<string, string>): Promise<BodyDigests> {
    this.start();
    const md5 = (this.md5 ?? createHash('md5')).digest();

    if (this.expect.sha256Hex !== undefined && this.sha256 !== undefined) {
      const computed = this.sha256.digest('hex');
      if (computed !== this.expect.sha256Hex) {
        throw new S3Error('XAmzContentSHA256Mismatch', { details: {
          ClientComputedContentSHA256: this.expect.sha256Hex,
          S3ComputedContentSHA256: computed,
        } });
      }
    }

    if (this.expect.contentMd5 !== undefined && !md5.equals(this.expect.contentMd5)) {
      throw new S3Error('BadDigest', { details: {
        ExpectedDigest: this.expect.contentMd5.toString('hex'),
        CalculatedDigest: md5.toString('base64'),
      } });
    }

    const computed: Partial<Record<ChecksumAlgorithm, string>> = {};
    for (const h of this.hashers ?? []) computed[h.algorithm] = await h.digestBase64();

    const expected = this.expect.checksum;
    if (expected !== undefined) {
      const sent = expected.source === 'header' ? expected.value : (trailers.get(expected.trailerName) ?? '');
      if (expected.source === 'trailer' && decodeChecksumValue(expected.algorithm, sent) === undefined) {
        throw new S3Error('InvalidRequest', { message: `Value for ${CHECKSUM_SPECS[expected.algorithm].headerName} trailing header is invalid.` });
      }
      if (computed[expected.algorithm] !== sent) {
        throw new S3Error('BadDigest', { message: `The ${expected.algorithm} you specified did not match the calculated checksum.` });
      }
    }

    const first = this.requested[0];
    const checksumValue = first === undefined ? undefined : computed[first];
    return {
      size: this.size,
      md5Hex: md5.toString('hex'),
      ...(first !== undefined && checksumValue !== undefined ? { checksum: { algorithm: first, value: checksumValue } } : {}),
      checksums: computed,
    };
  }

  private start(): void {
    if (this.hashers !== undefined) return;
    this.hashers = this.requested.map((alg) => createHasher(alg));
    this.md5 = createHash('md5');
    if (this.expect.sha256Hex !== undefined) this.sha256 = createHash('sha256');
  }
}
