import type { Bucket } from '../core/buckets/Bucket.js';
import type { Principal } from '../core/identity/Principal.js';
import type { Tag } from '../core/tags/Tag.js';
import type { Api } from './apiOf.js';

/**
 * What is observed of one request while it is served, for the metrics and the audit log (docs/metrics.md,
 * docs/audit-log.md). The serve loop and the API layers note facts here as they learn them — the operation once
 * routed, the principal once authenticated, the error code of a failure — and observers read it once the response
 * is finished. Nothing that serves a request reads it back, so it changes no answer.
 */
export class RequestTrace {
  /** When the request arrived: epoch milliseconds, and a monotonic clock for durations. */
  readonly at = Date.now();
  readonly startedAt = performance.now();
  /** The AWS operation (or IAM action) name, once routed. */
  operation: string | undefined;
  /** Who sent it, once authenticated (a request that fails authentication has none). */
  principal: Principal | undefined;
  /** The addressed bucket, once the S3 pipeline has read it (a request refused before that has none). */
  bucket: Bucket | undefined;
  /** The error code of a failed request, as sent in the API's envelope. */
  errorCode: string | undefined;
  /** When the response started (status and headers ready), on the monotonic clock. */
  firstByteAt: number | undefined;
  /**
   * The addressed object's tags just before the request removed it: captured only for object DELETEs, and only when
   * an observer asked (`RequestObserver.wantsObjectTags`), because after the request they are gone.
   */
  tagsBefore: readonly Tag[] | undefined;

  constructor(readonly api: Api) {}
}
