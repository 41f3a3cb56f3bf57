import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { S3RemoteError } from './S3Bucket.js';

/**
 * The body of a GET, streamed with backpressure (the response is paused while the reader is full). The request goes
 * out when the stream is constructed; a 404 (or any other failure) surfaces as a stream 'error', a 416 (a range that
 * starts past the end) as an empty stream, like a file read there. A body shorter than its Content-Length is an
 * error, never a silent truncation.
 */
export class S3ReadStream extends Readable {
  private res: IncomingMessage | undefined;
  private expected = -1;
  private received = 0;

  constructor(
    private readonly open: () => Promise<IncomingMessage>,
    private readonly what: string,
  ) {
    super({ highWaterMark: 1024 * 1024 });
  }

  override _construct(callback: (error?: Error | null) => void): void {
    this.open().then(
      (res) => this.accept(res, callback),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
    );
  }

  override _read(): void {
    this.res?.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.res?.destroy();
    callback(error);
  }

  private accept(res: IncomingMessage, callback: (error?: Error | null) => void): void {
    const status = res.statusCode ?? 0;
    if (status === 416) {
      res.resume();
      this.push(null);
      callback();
      return;
    }
    if (status !== 200 && status !== 206) {
      const chunks: Buffer[] = [];
      let settled = false;
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        callback(error);
      };
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', fail);
      res.on('end', () => fail(S3RemoteError.of(this.what, status, Buffer.concat(chunks))));
      return;
    }
    if (this.destroyed) {
      res.destroy();
      callback();
      return;
    }
    this.res = res;
    const length = res.headers['content-length'];
    if (length !== undefined) this.expected = Number(length);
    res.pause();
    res.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      if (!this.push(chunk)) res.pause();
    });
    res.on('end', () => {
      if (this.expected >= 0 && this.received !== this.expected) {
        this.destroy(new Error(`${this.what}: the answer ended after ${this.received} of ${this.expected} bytes`));
      } else {
        this.push(null);
      }
    });
    res.on('error', (error) => this.destroy(error));
    res.on('close', () => {
      if (!res.complete && !this.destroyed) this.destroy(new Error(`${this.what}: the connection closed mid-answer`));
    });
    callback();
  }
}
