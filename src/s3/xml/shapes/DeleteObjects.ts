import { S3Error } from '../../../errors/S3Error.js';
import { parseXml, renderXml, xml, type XmlElement } from '../../../xml/codec.js';

/** DeleteObjects request (`<Delete>`) and response (`<DeleteResult>`) shapes. */

/** AWS: "The request can contain a list of up to 1,000 keys". */
export const MAX_DELETE_KEYS = 1000;

export interface DeleteRequestObject {
  readonly key: string;
  readonly versionId?: string;
}

export interface DeleteRequest {
  readonly quiet: boolean;
  readonly objects: readonly DeleteRequestObject[];
}

/**
 * `<Delete><Quiet>true</Quiet><Object><Key>k</Key><VersionId>v</VersionId></Object>…</Delete>`.
 * MalformedXML for a document that does not fit, for no `<Object>`, for more than 1000, or for an `<Object>`
 * without `<Key>`. Other children of `<Object>` (ETag, LastModifiedTime, Size) are accepted and ignored.
 */
export function parseDeleteRequest(body: Buffer | string): DeleteRequest {
  const root = parseXml(body, 'Delete', ['Delete.Object']);
  const quietText = xml.text(root, 'Quiet');
  if (quietText !== undefined && !/^(true|false)$/i.test(quietText.trim())) throw new S3Error('MalformedXML');
  const entries = xml.children(root, 'Object');
  if (entries.length === 0 || entries.length > MAX_DELETE_KEYS) throw new S3Error('MalformedXML');
  const objects = entries.map((entry): DeleteRequestObject => {
    const key = xml.requiredText(entry, 'Key');
    if (key === '') throw new S3Error('MalformedXML');
    const versionId = xml.text(entry, 'VersionId');
    return versionId === undefined ? { key } : { key, versionId };
  });
  return { quiet: quietText?.trim().toLowerCase() === 'true', objects };
}

export interface DeletedEntry {
  readonly key: string;
  readonly versionId?: string;
  readonly deleteMarker?: boolean;
  readonly deleteMarkerVersionId?: string;
}

export interface DeleteErrorEntry {
  readonly key: string;
  readonly versionId?: string;
  readonly code: string;
  readonly message: string;
}

/** `<DeleteResult>` with a `<Deleted>` per success (none in quiet mode) and an `<Error>` per failure. */
export function renderDeleteResult(deleted: readonly DeletedEntry[], errors: readonly DeleteErrorEntry[]): string {
  const content: Record<string, XmlElement[]> = {};
  if (deleted.length > 0) {
    content.Deleted = deleted.map((d) => ({
      Key: d.key,
      VersionId: d.versionId,
      DeleteMarker: d.deleteMarker === true ? true : undefined,
      DeleteMarkerVersionId: d.deleteMarkerVersionId,
    }));
  }
  if (errors.length > 0) {
    content.Error = errors.map((e) => ({ Key: e.key, VersionId: e.versionId, Code: e.code, Message: e.message }));
  }
  return renderXml('DeleteResult', content);
}
