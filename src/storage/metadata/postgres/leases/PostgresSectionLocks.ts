import { createHash } from 'node:crypto';
import pg from 'pg';
import type { SectionLocks } from '../../../../core/ports/SectionLocks.js';
import { KeyedMutex } from '../../../../core/objects/KeyedMutex.js';

/**
 * SectionLocks across nodes: a section runs in this process's queue for its name (KeyedMutex, so one process never
 * waits on itself in the database), then under a PostgreSQL session advisory lock on a hash of the name, held on a
 * connection of a small pool of its own (the section's own reads and writes use the main pool, so locks can never
 * starve them of connections). A node that dies drops its connection, and with it the lock.
 * Hash collisions only make two unrelated sections wait for each other.
 */

/** The advisory lock of a name: 64 bits of its SHA-256 (names may hold any character, NUL included). */
function lockId(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

export class PostgresSectionLocks implements SectionLocks {
  private readonly local = new KeyedMutex();
  private readonly pool: pg.Pool;

  constructor(url: string, connections = 8) {
    this.pool = new pg.Pool({ connectionString: url, max: connections, application_name: 'tessera-locks' });
    this.pool.on('error', () => undefined);
  }

  run<T>(name: string, section: () => Promise<T>): Promise<T> {
    return this.local.run(name, async () => {
      const client = await this.pool.connect();
      let broken = false;
      try {
        const id = lockId(name);
        await client.query({ name: 'section-lock', text: 'SELECT pg_advisory_lock($1::bigint)', values: [id] });
        try {
          return await section();
        } finally {
          await client
            .query({ name: 'section-unlock', text: 'SELECT pg_advisory_unlock($1::bigint)', values: [id] })
            .catch(() => {
              broken = true;
            });
        }
      } finally {
        client.release(broken);
      }
    });
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
