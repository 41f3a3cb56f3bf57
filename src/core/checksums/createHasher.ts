import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';
import { Crc32 } from '@aws-crypto/crc32';
import { Crc32c } from '@aws-crypto/crc32c';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import type { ChecksumAlgorithm } from '../objects/ObjectVersion.js';

/** An incremental checksum of one of S3's flexible checksum algorithms. */
export interface Hasher {
  readonly algorithm: ChecksumAlgorithm;
  update(data: Uint8Array): void;
  /** The raw digest (big-endian for the CRCs, as S3 encodes them). Call once, after the last update. */
  digest(): Promise<Buffer>;
  /** base64 of `digest()`, the form S3 puts in x-amz-checksum-* headers. */
  digestBase64(): Promise<string>;
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

/** zlib.crc32 (native, Node ≥ 20.15 / 22.2) computes the same CRC-32 as @aws-crypto/crc32, much faster. */
type NativeCrc32 = (data: Uint8Array, value?: number) => number;
const nativeCrc32: NativeCrc32 | undefined = (zlib as { crc32?: NativeCrc32 }).crc32;

function crc32Hasher(): Hasher {
  if (nativeCrc32 !== undefined) {
    const crc = nativeCrc32;
    let value = 0;
    return finish('CRC32', (data) => { value = crc(data, value); }, () => Promise.resolve(uint32(value)));
  }
  const crc = new Crc32();
  return finish('CRC32', (data) => { crc.update(data); }, () => Promise.resolve(uint32(crc.digest())));
}

function crc32cHasher(): Hasher {
  const crc = new Crc32c();
  return finish('CRC32C', (data) => { crc.update(data); }, () => Promise.resolve(uint32(crc.digest())));
}

function crc64NvmeHasher(): Hasher {
  const crc = new Crc64Nvme();
  return finish('CRC64NVME', (data) => { crc.update(data); }, async () => Buffer.from(await crc.digest()));
}

function nodeHasher(algorithm: 'SHA1' | 'SHA256'): Hasher {
  const hash = createHash(algorithm === 'SHA1' ? 'sha1' : 'sha256');
  return finish(algorithm, (data) => { hash.update(data); }, () => Promise.resolve(hash.digest()));
}

function finish(algorithm: ChecksumAlgorithm, update: (data: Uint8Array) => void, digest: () => Promise<Buffer>): Hasher {
  return {
    algorithm,
    update,
    digest,
    digestBase64: async () => (await digest()).toString('base64'),
  };
}

/** A fresh incremental hasher for `algorithm`. */
export function createHasher(algorithm: ChecksumAlgorithm): Hasher {
  switch (algorithm) {
    case 'CRC32':
      return crc32Hasher();
    case 'CRC32C':
      return crc32cHasher();
    case 'CRC64NVME':
      return crc64NvmeHasher();
    case 'SHA1':
    case 'SHA256':
      return nodeHasher(algorithm);
  }
}

/** The base64 checksum of a whole buffer. */
export async function checksumOf(algorithm: ChecksumAlgorithm, data: Uint8Array): Promise<string> {
  const hasher = createHasher(algorithm);
  hasher.update(data);
  return hasher.digestBase64();
}
