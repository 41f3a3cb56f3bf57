/** An S3 endpoint the operator registered as a replication destination (`tessera remotes add`). */
export interface Remote {
  readonly name: string;
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The registered remotes (kept in the data dir, readable only by its owner). */
export interface RemoteDirectory {
  list(): Promise<Remote[]>;
  get(name: string): Promise<Remote | undefined>;
  /** Add or replace a remote. */
  put(remote: Remote): Promise<void>;
  remove(name: string): Promise<boolean>;
}
