import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

/**
 * Objects of at most this many bytes are stored inline: their bytes go into the metadata store in the same
 * transaction as the version (VersionStore.putVersion with `inlineData`), instead of into a blob file. A small PUT
 * then costs no file create, no file fsync, no directory fsync and no rename: the group commit's one WAL fsync makes
 * the version and its bytes durable together. 64 KiB keeps a row's bytes within a few SQLite overflow pages, so
 * version lookups and listings (which never read `inline_blobs`) are unaffected. Multipart parts are always files.
 */
export const INLINE_OBJECT_MAX = 64 * 1024;

/** Random per process: with the time and a counter it keeps inline ids unique without drawing random bytes per PUT. */
const PROCESS_PART = randomBytes(5).toString('hex');
let counter = 0;

/**
 * A fresh id for an inline blob: `in`, 12 hex digits of time, 10 of this process's random part, 8 of a counter (32
 * characters, like a file blob id, but never a valid one, so an inline id can never reach the file blob store).
 */
export function newInlineBlobId(now: number = Date.now()): string {
  counter = (counter + 1) >>> 0;
  return 'in' + now.toString(16).padStart(12, '0').slice(-12) + PROCESS_PART + counter.toString(16).padStart(8, '0');
}

/** What `readSmall` found: the whole payload (it ended within the limit), or a stream over all of it. */
export type SmallRead = { readonly kind: 'whole'; readonly data: Buffer } | { readonly kind: 'spill'; readonly stream: Readable };

/**
 * Read `source` into memory if it ends within `max` bytes. Once more than `max` bytes have arrived, stop and hand
 * back a stream that replays what was read and then the rest of `source` (errors of `source` included), to be
 * written to a file. A source error before that rejects with that error.
 */
export function readSmall(source: Readable, max: number): Promise<SmallRead> {
  return new Promise<SmallRead>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = (): void => {
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      total += chunk.length;
      if (total <= max) return;
      source.pause();
      cleanup();
      resolve({ kind: 'spill', stream: replay(chunks, source) });
    };
    const onEnd = (): void => {
      cleanup();
      resolve({ kind: 'whole', data: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total) });
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    source.on('data', onData);
    source.once('end', onEnd);
    source.once('error', onError);
  });
}

function replay(head: readonly Buffer[], rest: Readable): Readable {
  async function* all(): AsyncGenerator<Buffer> {
    yield* head;
    for await (const chunk of rest) yield chunk as Buffer;
  }
  return Readable.from(all(), { objectMode: false });
}
