import type { Clients } from '../session/clients.js';
import { tesseraGet } from './tesseraGet.js';

export interface Figures {
  readonly objects: number;
  readonly bytes: number;
}

export interface TagBreakdown {
  readonly key: string;
  /** Whether the server keeps this key's figures (TESSERA_METRICS_TAG_KEYS); otherwise counted for this answer. */
  readonly tracked: boolean;
  readonly values: readonly (Figures & { readonly value: string })[];
  readonly untagged: Figures;
}

export interface StorageStats {
  readonly bucket: string;
  readonly objects: number;
  readonly objectBytes: number;
  readonly versions: number;
  readonly versionBytes: number;
  readonly deleteMarkers: number;
  readonly byTag?: TagBreakdown;
}

/** Tessera's storage figures, `GET /{bucket}?tessera-stats[&by-tag=KEY]` (docs/metrics.md); needs s3:ListBucket. */
export function storageStats(clients: Clients, bucket: string, byTag?: string): Promise<StorageStats> {
  return tesseraGet<StorageStats>(clients, bucket, { 'tessera-stats': '', ...(byTag !== undefined ? { 'by-tag': byTag } : {}) });
}
