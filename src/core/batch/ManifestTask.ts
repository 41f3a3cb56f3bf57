/** One manifest row: the object a task acts on. `row` numbers rows from 0 in manifest order. */
export interface ManifestTask {
  readonly row: number;
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

/**
 * Manifest lines [firstRow, firstRow + rows) as read (each ending in '\n'), every one `bucket,key` with a bucket
 * that needs no CSV quoting and a key of RFC 3986 unreserved characters and '/' only: the key is the same decoded
 * and encoded for a report, so a line is exactly the start of its task's report row (readManifestBlocks).
 */
export interface PlainLines {
  readonly firstRow: number;
  readonly rows: number;
  readonly text: string;
}

/** What readManifestBlocks yields: tasks, or lines read as they are. */
export type ManifestBlock = readonly ManifestTask[] | PlainLines;

/** An object opened for reading: its bytes, ETag, version and size in bytes. */
export interface OpenedObject {
  readonly stream: NodeJS.ReadableStream;
  readonly etag: string;
  readonly versionId: string;
  readonly size: number;
}

/** Opens an object's bytes (the manifest, inventory files); undefined when there is no such object. */
export type ObjectOpener = (bucket: string, key: string, versionId?: string) => Promise<OpenedObject | undefined>;
