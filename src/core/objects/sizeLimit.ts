import { Transform, type TransformCallback } from 'node:stream';

/** A pass-through that fails with `makeError()` as soon as more than `limit` bytes have gone through it. */
export function limitBytes(limit: number, makeError: () => Error): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > limit) {
        callback(makeError());
        return;
      }
      callback(null, chunk);
    },
  });
}
