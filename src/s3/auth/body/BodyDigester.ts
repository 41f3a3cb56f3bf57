import { createHash, hash, type Hash } from 'node:crypto';
import type { ChecksumAlgorithm } from '../../../core/objects/ObjectVersion.js';
import { CHECKSUM_SPECS } from '../../../core/checksums/algorithms.js';
import { decodeChecksumValue } from '../../../core/checksums/checksumValue.js';
import { checksumOf, createHasher, type Hasher } from '../../../core/checksums/createHasher.js';
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

/** The digests of a payload, however they were computed: what `verify` checks and hands out. */
interface Computed {
  readonly size: number;
  /** The MD5, raw; computed on first call (a whole payload's only when someone asks). */
  readonly md5: () => Buffer;
  /** The SHA-256, hex, when x-amz-content-sha256 names one. */
  readonly sha256Hex: string | undefined;
  /** The flexible checksums asked for, base64. */
  readonly checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

/**
 * Hashes the payload and checks every expectation once it has ended. Two ways in: `update` as the payload passes
 * (MD5 always, SHA-256 when x-amz-content-sha256 names one, and the flexible checksums), then `finish`; or
 * `finishWhole` with the whole payload at once (RequestBody.readAll's bodies, usually one small XML document): each
 * digest in one call, and the MD5 only when Content-MD5 must be checked or `md5Hex` is read.
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

  /** Verifies everything hashed by `update`; `trailers` are the trailer fields of an aws-chunked body. */
  async finish(trailers: ReadonlyMap<string, string>): Promise<BodyDigests> {
    this.start();
    const md5 = (this.md5 ?? createHash('md5')).digest();
    const checksums: Partial<Record<ChecksumAlgorithm, string>> = {};
    for (const h of this.hashers ?? []) checksums[h.algorithm] = await h.digestBase64();
    const sha256Hex = this.expect.sha256Hex !== undefined && this.sha256 !== undefined ? this.sha256.digest('hex') : undefined;
    return this.verify({ size: this.size, md5: () => md5, sha256Hex, checksums }, trailers);
  }

  /** Hashes and verifies a whole payload given at once; nothing may have gone through `update`. */
  async finishWhole(payload: Buffer, trailers: ReadonlyMap<string, string>): Promise<BodyDigests> {
    if (this.hashers !== undefined) throw new S3Error('InternalError', { message: 'finishWhole() after update()' });
    this.hashers = [];
    const checksums: Partial<Record<ChecksumAlgorithm, string>> = {};
    for (const algorithm of this.requested) checksums[algorithm] = await checksumOf(algorithm, payload);
    let md5: Buffer | undefined;
    return this.verify(
      {
        size: payload.length,
        md5: () => (md5 ??= hash('md5', payload, 'buffer')),
        sha256Hex: this.expect.sha256Hex === undefined ? undefined : hash('sha256', payload, 'hex'),
        checksums,
      },
      trailers,
    );
  }

  private verify(computed: Computed, trailers: ReadonlyMap<string, string>): BodyDigests {
    const { sha256Hex, checksums } = computed;
    if (this.expect.sha256Hex !== undefined && sha256Hex !== undefined && sha256Hex !== this.expect.sha256Hex) {
      throw new S3Error('XAmzContentSHA256Mismatch', { details: {
        ClientComputedContentSHA256: this.expect.sha256Hex,
        S3ComputedContentSHA256: sha256Hex,
      } });
    }

    const contentMd5 = this.expect.contentMd5;
    if (contentMd5 !== undefined) {
      const md5 = computed.md5();
      if (!md5.equals(contentMd5)) {
        throw new S3Error('BadDigest', { details: {
          ExpectedDigest: contentMd5.toString('hex'),
          CalculatedDigest: md5.toString('base64'),
        } });
      }
    }

    const expected = this.expect.checksum;
    if (expected !== undefined) {
      const sent = expected.source === 'header' ? expected.value : (trailers.get(expected.trailerName) ?? '');
      if (expected.source === 'trailer' && decodeChecksumValue(expected.algorithm, sent) === undefined) {
        throw new S3Error('InvalidRequest', { message: `Value for ${CHECKSUM_SPECS[expected.algorithm].headerName} trailing header is invalid.` });
      }
      if (checksums[expected.algorithm] !== sent) {
        throw new S3Error('BadDigest', { message: `The ${expected.algorithm} you specified did not match the calculated checksum.` });
      }
    }

    const first = this.requested[0];
    const checksumValue = first === undefined ? undefined : checksums[first];
    let md5Hex: string | undefined;
    return {
      size: computed.size,
      get md5Hex(): string {
        return (md5Hex ??= computed.md5().toString('hex'));
      },
      ...(first !== undefined && checksumValue !== undefined ? { checksum: { algorithm: first, value: checksumValue } } : {}),
      checksums,
    };
  }

  private start(): void {
    if (this.hashers !== undefined) return;
    this.hashers = this.requested.map((alg) => createHasher(alg));
    this.md5 = createHash('md5');
    if (this.expect.sha256Hex !== undefined) this.sha256 = createHash('sha256');
  }
}
