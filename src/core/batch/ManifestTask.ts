/** One manifest row: the object a task acts on. `row` numbers rows from 0 in manifest order. */
export interface ManifestTask {
  readonly row: number;
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

/** An object opened for reading: its bytes, ETag, version and size in bytes. */
export interface OpenedObject {
  readonly stream: NodeJS.ReadableStream;
  readonly etag: string;
  readonly versionId: string;
  readonly size: number;
}

/** Opens an object's bytes (the manifest, inventory files); undefined when there is no such object. */
export type ObjectOpener = (bucket: string, key: string, versionId?: string) => Promise<OpenedObject | undefined>;
