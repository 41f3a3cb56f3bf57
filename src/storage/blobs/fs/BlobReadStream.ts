import { close, open, read } from 'node:fs';
import { Readable } from 'node:stream';

/**
 * Reads one blob file: opens the first of `paths` that exists (published, then staged), then streams the inclusive
 * byte range in chunks of up to `chunkSize`. A missing file or a bad id surfaces as a stream 'error'.
 */
export class BlobReadStream extends Readable {
  private fd: number | undefined;
  private position: number;
  private readonly end: number;

  constructor(
    private readonly paths: readonly string[] | Error,
    range: { start: number; end: number } | undefined,
    private readonly chunkSize: number,
  ) {
    super({ highWaterMark: chunkSize });
    this.position = range?.start ?? 0;
    this.end = range?.end ?? Number.POSITIVE_INFINITY;
  }

  override _construct(callback: (error?: Error | null) => void): void {
    if (this.paths instanceof Error) {
      callback(this.paths);
      return;
    }
    const attempt = (index: number, lastError: NodeJS.ErrnoException | null): void => {
      const path = this.paths instanceof Error ? undefined : this.paths[index];
      if (path === undefined) {
        callback(lastError ?? new Error('no path to read'));
        return;
      }
      open(path, 'r', (err, fd) => {
        if (err === null) {
          this.fd = fd;
          callback();
        } else if (err.code === 'ENOENT') {
          attempt(index + 1, lastError ?? err);
        } else {
          callback(err);
        }
      });
    };
    attempt(0, null);
  }

  override _read(): void {
    const fd = this.fd;
    const want = Math.min(this.chunkSize, this.end - this.position + 1);
    if (fd === undefined || want <= 0) {
      this.push(null);
      return;
    }
    const buffer = Buffer.allocUnsafe(want);
    read(fd, buffer, 0, want, this.position, (err, bytesRead) => {
      if (err !== null) {
        this.destroy(err);
      } else if (bytesRead === 0) {
        this.push(null);
      } else {
        this.position += bytesRead;
        this.push(bytesRead === want ? buffer : buffer.subarray(0, bytesRead));
      }
    });
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const fd = this.fd;
    this.fd = undefined;
    if (fd === undefined) {
      callback(error);
      return;
    }
    close(fd, (closeError) => callback(error ?? closeError));
  }
}
