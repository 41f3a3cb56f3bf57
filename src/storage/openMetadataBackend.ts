import type { MetadataBackend } from './MetadataBackend.js';
import { openSqliteBackend } from './metadata/sqlite/openSqliteBackend.js';

/** The backend the configuration names: PostgreSQL at `metadataUrl` (TESSERA_METADATA_URL), else SQLite in `dataDir`. */
export async function openMetadataBackend(settings: { readonly dataDir: string; readonly metadataUrl?: string | undefined }): Promise<MetadataBackend> {
  if (settings.metadataUrl !== undefined) {
    throw new Error('PostgreSQL backend: not wired yet');
  }
  return openSqliteBackend(settings.dataDir);
}
