import type { Readable } from 'node:stream';
import type { ContentHeaders } from '../objects/ObjectVersion.js';
import type { Tag } from '../tags/Tag.js';

/** A replica to write: the source version's id, bytes, metadata and tags. */
export interface ReplicaObject {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
  /** The source version's creation time and ETag: the replica keeps them. */
  readonly lastModified: Date;
  readonly etag: string;
  readonly size: number;
  readonly body: Readable;
  readonly storageClass: string;
  readonly contentHeaders: ContentHeaders;
  readonly userMetadata: Readonly<Record<string, string>>;
  readonly tags: readonly Tag[];
}

/**
 * Where replicas are written: a bucket on a registered remote (another Tessera or any S3 endpoint) or on this server.
 * Each call is idempotent on a Tessera destination (the replica keeps the source's version id, and a version that
 * exists is not written again), so a delivery repeated after a crash lands once.
 */
export interface ReplicationTarget {
  /** A short description for logs and status (`remote NAME`, `this server`). */
  readonly label: string;
  putReplica(replica: ReplicaObject): Promise<void>;
  /** Replace a replica's tags; a destination that does not hold the version is left alone (no error). */
  putReplicaTags(bucket: string, key: string, versionId: string, tags: readonly Tag[]): Promise<void>;
  putReplicaDeleteMarker(bucket: string, key: string, versionId: string): Promise<void>;
}

/** Finds the target holding a destination bucket; undefined when no remote and not this server has it. */
export interface ReplicationTargets {
  resolve(bucket: string): Promise<ReplicationTarget | undefined>;
}
