import { Readable, Transform } from 'node:stream';
import type { ChecksumAlgorithm } from '../../../core/objects/ObjectVersion.js';
import { S3Error, isS3Error } from '../../../errors/S3Error.js';
import type { BodyDigests, RequestBody } from '../RequestBody.js';
import type { BodyDigester } from './BodyDigester.js';
import type { PayloadDecoder } from './payloadDecoder.js';

function asS3Error(err: unknown): S3Error {
  if (isS3Error(err)) return err;
  const error = new S3Error('InternalError');
  (error as { cause?: unknown }).cause = err;
  return error;
}

/**
 * The RequestBody: the raw request stream piped through one Transform that decodes the framing, hashes the
 * payload and, at the end, verifies every digest. A fault destroys `stream` with an S3Error, so it errors
 * instead of ending. The raw request stream is never destroyed here: it is only unpiped, so the server can
 * still write the error response (and should then drain or close the connection).
 */
export class VerifyingBody implements RequestBody {
  private result: BodyDigests | undefined;
  private transform: Readable | undefined;
  /** readAll read the payload straight from the request (see collect): `stream` has nothing left to give. */
  private collected = false;

  constructor(
    private readonly source: Readable,
    private readonly decoder: PayloadDecoder,
    private readonly digester: BodyDigester,
    readonly declaredLength: number | undefined,
    readonly checksumAlgorithm: ChecksumAlgorithm | undefined,
  ) {}

  /**
   * The verified payload. Built on first use: a request whose operation never reads its body (GET, HEAD, DELETE)
   * costs no Transform, no listeners on the request and no error for a body nobody reads.
   */
  get stream(): Readable {
    this.transform ??= this.collected ? consumed() : this.open();
    return this.transform;
  }

  private open(): Readable {
    const source = this.source;
    const transform = new Transform({
      transform: (chunk: unknown, _encoding, callback) => {
        try {
          const raw = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
          this.decoder.write(raw, (payload) => {
            this.digester.update(payload);
            transform.push(payload);
          });
          callback();
        } catch (err) {
          callback(asS3Error(err));
        }
      },
      flush: (callback) => {
        this.finish().then(() => callback(), callback);
      },
    });
    // An operation that never reads its body must not crash the process when the body turns out bad.
    transform.on('error', () => undefined);

    const incomplete = (): void => {
      if (!transform.destroyed) transform.destroy(new S3Error('IncompleteBody'));
    };
    if (endedEarly(source)) {
      incomplete();
      return transform;
    }
    source.on('error', incomplete);
    source.on('aborted', incomplete);
    source.on('close', () => {
      if (!source.readableEnded) incomplete();
    });
    // Start pulling the payload only when the operation first reads it, so that it can still ask for checksums
    // (computeChecksum) after authentication has wrapped the body.
    let started = false;
    const read = transform._read.bind(transform);
    transform._read = (size: number): void => {
      if (!started) {
        started = true;
        source.pipe(transform);
      }
      read(size);
    };
    return transform;
  }

  /**
   * The payload's end: the decoder's trailers checked and the digests kept; S3 errors only. `whole`: the payload
   * readAll collected, hashed here in one go (nothing went through the digester while it was read).
   */
  private async finish(whole?: Buffer): Promise<void> {
    try {
      const trailers = this.decoder.end();
      this.result = whole === undefined ? await this.digester.finish(trailers) : await this.digester.finishWhole(whole, trailers);
    } catch (err) {
      throw asS3Error(err);
    }
  }

  computeChecksum(algorithm: ChecksumAlgorithm): void {
    this.digester.request(algorithm);
  }

  digests(): BodyDigests {
    if (this.result === undefined) {
      throw new S3Error('InternalError', { message: 'digests() was called before the body was read to its end' });
    }
    return this.result;
  }

  async readAll(limit: number): Promise<Buffer> {
    if (this.declaredLength !== undefined && this.declaredLength > limit) {
      this.stream.destroy();
      throw new S3Error('MaxMessageLengthExceeded');
    }
    if (this.transform === undefined) return this.collect(limit);
    const parts: Buffer[] = [];
    let total = 0;
    for await (const chunk of this.stream) {
      const piece = chunk as Buffer;
      total += piece.length;
      if (total > limit) {
        this.stream.destroy();
        throw new S3Error('MaxMessageLengthExceeded');
      }
      parts.push(piece);
    }
    return Buffer.concat(parts, total);
  }

  /**
   * readAll of a body nobody has streamed: the same decoding, hashing and checks as `stream`'s Transform, and the same
   * errors, but read straight from the request's 'data' events into one buffer — no Transform, no pipe, no async
   * iterator for what is usually one small chunk (an XML document) — and hashed once, whole, at its end. On failure
   * the request is paused and left to the serve loop, as an unpiped request is.
   */
  private collect(limit: number): Promise<Buffer> {
    this.collected = true;
    const source = this.source;
    return new Promise<Buffer>((resolve, reject) => {
      if (endedEarly(source)) {
        reject(new S3Error('IncompleteBody'));
        return;
      }
      const parts: Buffer[] = [];
      let total = 0;
      let settled = false;
      const detach = (): void => {
        source.off('data', onData);
        source.off('end', onEnd);
        source.off('error', onIncomplete);
        source.off('aborted', onIncomplete);
        source.off('close', onClose);
      };
      const fail = (err: S3Error): void => {
        if (settled) return;
        settled = true;
        detach();
        source.pause();
        reject(err);
      };
      const take = (payload: Buffer): void => {
        total += payload.length;
        if (total > limit) throw new S3Error('MaxMessageLengthExceeded');
        parts.push(payload);
      };
      function onIncomplete(): void {
        fail(new S3Error('IncompleteBody'));
      }
      function onClose(): void {
        if (!source.readableEnded) onIncomplete();
      }
      const onData = (chunk: unknown): void => {
        if (settled) return;
        try {
          this.decoder.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array), take);
        } catch (err) {
          fail(asS3Error(err));
        }
      };
      const onEnd = (): void => {
        if (settled) return;
        settled = true;
        detach();
        const whole = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, total);
        this.finish(whole).then(() => resolve(whole), reject);
      };
      source.on('data', onData);
      source.on('end', onEnd);
      source.on('error', onIncomplete);
      source.on('aborted', onIncomplete);
      source.on('close', onClose);
      source.resume(); // also when something paused the request before
    });
  }
}

/** Whether the request already failed or closed before its end was seen. */
function endedEarly(source: Readable): boolean {
  return source.errored !== null || (source.destroyed && !source.readableEnded);
}

/** `stream` of a body readAll has already read: it errors at once. */
function consumed(): Readable {
  const stream = new Readable({ read: () => undefined });
  stream.on('error', () => undefined);
  stream.destroy(new S3Error('InternalError', { message: 'the request body was already read by readAll' }));
  return stream;
}
