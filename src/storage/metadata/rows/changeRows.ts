import type { Change } from '../../../core/ports/ChangeFeed.js';

/** A row of `change_outbox` as the change feed reads it, and its Change; shared by both backends. */
export interface ChangeRow {
  readonly seq: number;
  readonly bucket: string;
  readonly key: string;
  readonly version_id: string;
  readonly kind: Change['kind'];
  readonly event: string;
  readonly size: number | null;
  readonly etag: string | null;
  readonly at: number;
}

export function toChange(r: ChangeRow): Change {
  return {
    seq: r.seq,
    bucket: r.bucket,
    key: r.key,
    versionId: r.version_id,
    kind: r.kind,
    event: r.event,
    ...(r.size === null ? {} : { size: r.size }),
    ...(r.etag === null ? {} : { etag: r.etag }),
    at: new Date(r.at),
  };
}
