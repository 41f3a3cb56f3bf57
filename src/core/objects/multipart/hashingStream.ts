import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { createHasher } from '../../checksums/createHasher.js';
import type { ChecksumAlgorithm } from '../ObjectVersion.js';

export interface StreamDigests {
  readonly size: number;
  readonly md5Hex: string;
  readonly checksum?: { readonly algorithm: ChecksumAlgorithm; readonly value: string };
}

/**
 * A pass-through that measures what flows through it: size, MD5 and optionally one flexible checksum. Used where the
 * bytes do not come from a verified request body (UploadPartCopy). `digests()` is valid once the stream has ended.
 */
export function hashingStream(algorithm?: ChecksumAlgorithm): { stream: Transform; digests(): Promise<StreamDigests> } {
  const md5 = createHash('md5');
  const hasher = algorithm === undefined ? undefined : createHasher(algorithm);
  let size = 0;
  let ended = false;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      size += chunk.length;
      md5.update(chunk);
      hasher?.update(chunk);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      ended = true;
      callback();
    },
  });
  return {
    stream,
    async digests() {
      if (!ended) throw new Error('hashingStream: digests() before the end of the stream');
      const md5Hex = md5.digest('hex');
      if (hasher === undefined || algorithm === undefined) return { size, md5Hex };
      return { size, md5Hex, checksum: { algorithm, value: await hasher.digestBase64() } };
    },
  };
}
