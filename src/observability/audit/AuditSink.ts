import { pino, type Logger } from 'pino';
import roll from 'pino-roll';
import type { SonicBoom } from 'sonic-boom';
import { AUDIT_EVENT_VERSION, type AuditEvent } from './auditEvent.js';

/** Where audit records go: one JSON line each. */
export interface AuditSink {
  write(event: AuditEvent): void;
  /** Write out what is buffered and release the file. */
  close(): Promise<void>;
}

/** How the audit log is written: to stdout, or to a file rotated by size. */
export interface AuditLogSettings {
  /** `stdout`, or the path of the log file (`audit.log` is written as `audit.1.log`, `audit.2.log`, …). */
  readonly target: string;
  /** Rotate when the current file reaches this size: a number of megabytes, or with a k, m or g suffix. */
  readonly maxSize: string;
  /** How many rotated files to keep besides the current one; undefined keeps them all. */
  readonly keep: number | undefined;
}

/** Records are written in chunks of at least 32 KiB (one write call per chunk, not per record), and at least every 250 ms. */
const BUFFERING = { minLength: 32 * 1024, maxWrite: 64 * 1024, periodicFlush: 250 } as const;

/**
 * Opens the audit log with pino (records are pino log lines without pino's own fields) over pino-roll's size-rotated
 * files. A rotation flushes the current file before the next one opens, so no record is lost or split across files;
 * records are buffered up to 32 KiB and written at least every 250 ms, so a crash of the process can lose the last quarter second.
 */
export async function openAuditSink(settings: AuditLogSettings): Promise<AuditSink> {
  // pino's own fields go: no pid, hostname or time, and the place of `level` (which pino always writes first) carries
  // the record's first field, its eventVersion
  const options = { base: null, timestamp: false, formatters: { level: () => ({ eventVersion: AUDIT_EVENT_VERSION }) } };
  if (settings.target === 'stdout') {
    const dest = pino.destination({ dest: 1, sync: false, ...BUFFERING });
    return sinkOf(pino(options, dest), dest);
  }
  const dest = await roll({
    file: settings.target,
    size: settings.maxSize,
    mkdir: true,
    ...BUFFERING,
    ...(settings.keep === undefined ? {} : { limit: { count: settings.keep } }),
  });
  return sinkOf(pino(options, dest), dest);
}

function sinkOf(logger: Logger, dest: SonicBoom): AuditSink {
  return {
    write(event) {
      const { eventVersion: _version, ...rest } = event;
      logger.info(rest);
    },
    async close() {
      try {
        dest.flushSync();
      } catch {
        // nothing buffered, or the file is still opening: end() writes what is left
      }
      await new Promise<void>((done) => {
        dest.once('close', done);
        dest.once('error', done);
        dest.end();
      });
    },
  };
}
