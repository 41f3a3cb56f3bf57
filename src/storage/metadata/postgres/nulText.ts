import { S3Error } from '../../../errors/S3Error.js';
import { sqlState } from './PostgresDatabase.js';

/**
 * PostgreSQL TEXT cannot hold U+0000, which an S3 key may carry (a URL-encoded %00; the S3 layer only checks a key's
 * length). A statement given one fails with SQLSTATE 22021 (character_not_in_repertoire); the stores turn that into
 * S3's 400 InvalidArgument rather than an internal error (SQLite stores such keys; PostgreSQL refuses them, reads
 * included: no stored key can contain U+0000 anyway).
 */
export function refuseNulText(error: unknown): never {
  if (sqlState(error) === '22021') {
    throw new S3Error('InvalidArgument', {
      message: 'Object keys, prefixes, markers and names cannot contain the NUL character (U+0000)',
    });
  }
  throw error;
}
