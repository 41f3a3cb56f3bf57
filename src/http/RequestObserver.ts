import type { Bucket } from '../core/buckets/Bucket.js';
import type { S3Request } from './S3Request.js';
import type { RequestTrace } from './RequestTrace.js';

/** One request, once its response is finished (or its connection closed): what observers are given. */
export interface FinishedRequest {
  readonly trace: RequestTrace;
  /** x-amz-request-id of the response. */
  readonly requestId: string;
  /** The parsed request; undefined when it could not be parsed (answered before any API saw it). */
  readonly request: S3Request | undefined;
  readonly method: string;
  /** The path as sent, without the query. */
  readonly rawPath: string;
  readonly status: number;
  /** False when the connection closed before the whole response was written. */
  readonly completed: boolean;
  /** Request body bytes (x-amz-decoded-content-length, else Content-Length), response body bytes (0 for HEAD and bodiless answers). */
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** Seconds from arrival to the response's start, and to its end. */
  readonly firstByteSeconds: number;
  readonly totalSeconds: number;
  /** The version the response names (x-amz-version-id), if any. */
  readonly versionId: string | undefined;
  /** x-amz-tagging-count of the response (GetObject and HeadObject send it when the object has tags). */
  readonly taggingCount: number | undefined;
  readonly sourceIp: string;
  readonly userAgent: string | undefined;
}

/**
 * Something that watches every request served (metrics, the audit log). `observe` is called once per request after
 * its response; it must be cheap and must not throw (work it needs to do later it does on its own).
 */
export interface RequestObserver {
  observe(finished: FinishedRequest): void;
  /** Whether the tags of an object a DELETE addresses in `bucket` should be captured before it goes. */
  wantsObjectTags(bucket: Bucket): boolean | Promise<boolean>;
}

/** Several observers as one. */
export function observeAll(observers: readonly RequestObserver[]): RequestObserver | undefined {
  if (observers.length === 0) return undefined;
  if (observers.length === 1) return observers[0];
  return {
    observe(finished) {
      for (const o of observers) o.observe(finished);
    },
    async wantsObjectTags(bucket) {
      for (const o of observers) if (await o.wantsObjectTags(bucket)) return true;
      return false;
    },
  };
}
