import { close, constants, createWriteStream, fsync, open as openFd, write, writev } from 'node:fs';
import { copyFile, mkdir, open, readdir, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from '../../../core/ports/BlobStore.js';
import { BlobLayout, isBlobId, newBlobId } from './blobLayout.js';
import { BlobReadStream } from './BlobReadStream.js';

/** Chunk size for reads and write buffering: large objects stream at disk speed with few syscalls. */
const IO_CHUNK = 1024 * 1024;

/** File operations for write streams: like node:fs, except that close fsyncs the file first. */
const SYNCING_FS = {
  open: openFd,
  write,
  writev,
  close(fd: number, callback: (error?: NodeJS.ErrnoException | null) => void): void {
    fsync(fd, (syncError) => close(fd, (closeError) => callback(syncError ?? closeError)));
  },
};

/**
 * BlobStore on a local file system (see blobLayout.ts for the directory layout).
 *
 * Durability: `write` and `copy` fsync the new file and the staged directory before resolving, so a blob that
 * committed metadata refers to always survives a crash. `publish` is a rename that need not be durable: if it is
 * lost, the blob is back in staged/ and crash recovery publishes it again.
 */
export class FsBlobStore implements BlobStore {
  private readonly shardsMade = new Set<string>();

  private readonly stagedDirSync: CoalescedSync;

  private constructor(
    private readonly layout: BlobLayout,
    private readonly stagedDir: FileHandle,
  ) {
    this.stagedDirSync = new CoalescedSync(() => this.stagedDir.sync());
  }

  static async open(options: { dataDir: string }): Promise<FsBlobStore> {
    const layout = new BlobLayout(options.dataDir);
    await mkdir(layout.stagedDir, { recursive: true });
    return new FsBlobStore(layout, await open(layout.stagedDir, 'r'));
  }

  async write(source: Readable): Promise<{ blobId: string; size: number }> {
    const blobId = newBlobId();
    const path = this.layout.staged(blobId);
    // The stream opens, writes (writev when chunks queue up) and closes the file itself; its close fsyncs first, so
    // once the pipeline has settled the bytes are on disk and no write is still in flight.
    const sink = createWriteStream(path, { flags: 'wx', mode: 0o644, highWaterMark: IO_CHUNK, fs: SYNCING_FS });
    try {
      await pipeline(source, sink);
    } catch (error) {
      // the file may still be opening when the source fails: remove it only once the stream has let go of it
      if (!sink.closed) await new Promise<void>((resolve) => sink.once('close', () => resolve()));
      await rm(path, { force: true });
      throw error; // unchanged: it may be an S3Error from body verification
    }
    await this.stagedDirSync.sync();
    return { blobId, size: sink.bytesWritten };
  }

  async copy(blobId: string): Promise<{ blobId: string; size: number }> {
    const target = newBlobId();
    const path = this.layout.staged(target);
    try {
      await this.copyFirstExisting(this.candidates(blobId), path);
      const file = await open(path, 'r+');
      try {
        await file.sync();
        const { size } = await file.stat();
        await this.stagedDirSync.sync();
        return { blobId: target, size };
      } finally {
        await file.close();
      }
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }

  /**
   * Rename staged → published. A blob already published, or gone because its metadata was replaced and the reaper
   * deleted it in the meantime, is not an error.
   */
  async publish(blobIds: readonly string[]): Promise<void> {
    await Promise.all(
      blobIds.map(async (blobId) => {
        const from = this.layout.staged(blobId);
        await this.ensureShard(blobId);
        await rename(from, this.layout.published(blobId)).catch(ignoreMissing);
      }),
    );
  }

  read(blobId: string, range?: { start: number; end: number }): Readable {
    let paths: string[] | Error;
    try {
      paths = this.candidates(blobId);
    } catch (error) {
      paths = error instanceof Error ? error : new Error(String(error));
    }
    return new BlobReadStream(paths, range, IO_CHUNK);
  }

  /**
   * Delete staged first, then published: if a publish races with the delete, either the rename finds nothing or the
   * published file is removed after it — no file is left behind either way.
   */
  async delete(blobIds: readonly string[]): Promise<void> {
    await Promise.all(
      blobIds.map(async (blobId) => {
        await unlink(this.layout.staged(blobId)).catch(ignoreMissing);
        await unlink(this.layout.published(blobId)).catch(ignoreMissing);
      }),
    );
  }

  async listStaged(stagedBefore?: Date): Promise<string[]> {
    const names = (await readdir(this.layout.stagedDir)).filter(isBlobId);
    if (stagedBefore === undefined) return names;
    const old: string[] = [];
    for (const name of names) {
      const staged = await stat(join(this.layout.stagedDir, name)).catch(() => undefined);
      if (staged !== undefined && staged.mtimeMs < stagedBefore.getTime()) old.push(name);
    }
    return old;
  }

  /** Ids of published blobs (a full scan: for recovery checks and tests, not for request paths). */
  async *listPublished(): AsyncGenerator<string> {
    for (const aa of await readdirOrEmpty(this.layout.root)) {
      if (!/^[0-9a-f]{2}$/.test(aa)) continue;
      for (const bb of await readdirOrEmpty(join(this.layout.root, aa))) {
        for (const name of await readdirOrEmpty(join(this.layout.root, aa, bb))) {
          if (isBlobId(name)) yield name;
        }
      }
    }
  }

  async close(): Promise<void> {
    await this.stagedDir.close();
  }

  /** Published first (the usual case), then staged. */
  private candidates(blobId: string): string[] {
    return [this.layout.published(blobId), this.layout.staged(blobId)];
  }

  private async copyFirstExisting(sources: readonly string[], target: string): Promise<void> {
    let lastError: unknown;
    for (const source of sources) {
      try {
        await copyFile(source, target, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
        return;
      } catch (error) {
        if (!isMissing(error)) throw error;
        lastError = error;
      }
    }
    throw lastError;
  }

  private async ensureShard(blobId: string): Promise<void> {
    const shard = this.layout.shard(blobId);
    if (this.shardsMade.has(shard)) return;
    await mkdir(join(this.layout.root, shard), { recursive: true });
    this.shardsMade.add(shard);
  }
}

/**
 * Concurrent callers share fsyncs: a caller waits for an fsync that STARTED after it called (so it covers every change
 * the caller made before), and while one fsync is in flight, everyone arriving meanwhile shares the next one. Under
 * load that is one directory fsync for many new files instead of one each.
 */
class CoalescedSync {
  private inFlight: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(private readonly doSync: () => Promise<void>) {}

  sync(): Promise<void> {
    if (this.inFlight === undefined) return this.start();
    // the fsync in flight may have started before our change: join the one after it
    this.next ??= this.inFlight.then(
      () => this.start(),
      () => this.start(),
    );
    return this.next;
  }

  private start(): Promise<void> {
    this.next = undefined;
    const run = this.doSync();
    this.inFlight = run;
    const clear = (): void => {
      if (this.inFlight === run) this.inFlight = undefined;
    };
    run.then(clear, clear);
    return run;
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function ignoreMissing(error: unknown): void {
  if (!isMissing(error)) throw error;
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}
