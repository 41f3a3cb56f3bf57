import type { MetadataBackend } from './MetadataBackend.js';
import { openSqliteBackend } from './metadata/sqlite/openSqliteBackend.js';

/** The backend the configuration names: PostgreSQL at `metadataUrl` (TESSERA_METADATA_URL), else SQLite in `dataDir`. */
export async function openMetadataBackend(settings: { readonly dataDir: string; readonly metadataUrl?: string | undefined }): Promise<MetadataBackend> {
  if (settings.metadataUrl !== undefined) {
    const { openPostgresBackend } = await import('./metadata/postgres/openPostgresBackend.js');
    return openPostgresBackend(settings.metadataUrl);
  }
  return openSqliteBackend(settings.dataDir);
}
