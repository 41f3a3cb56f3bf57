import type { Clients } from '../session/clients.js';
import { tesseraGet } from './tesseraGet.js';

export interface TaggedObject {
  readonly key: string;
  readonly versionId: string;
  readonly size: number;
  readonly lastModified: string;
  readonly tags: readonly { key: string; value: string }[];
}

export interface TaggedPage {
  readonly objects: readonly TaggedObject[];
  readonly next?: string;
}

/**
 * Tessera's tag filter, `GET /{bucket}?tessera-tags=objects&tag-key=…&tag-value=…` (docs/console.md): the current
 * objects carrying a tag, through the server's tag index, authorized like ListObjects (s3:ListBucket).
 */
export function listTaggedObjects(
  clients: Clients,
  bucket: string,
  query: { key: string; value: string; prefix: string; after?: string; maxKeys: number },
): Promise<TaggedPage> {
  return tesseraGet<TaggedPage>(clients, bucket, {
    'tessera-tags': 'objects',
    'tag-key': query.key,
    'tag-value': query.value,
    prefix: query.prefix,
    'max-keys': String(query.maxKeys),
    ...(query.after !== undefined ? { after: query.after } : {}),
  });
}
