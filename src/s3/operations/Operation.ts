import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { Bucket } from '../../core/buckets/Bucket.js';
import type { Principal } from '../../core/identity/Principal.js';
import type { Services } from '../../core/Services.js';
import type { S3Request } from '../../http/S3Request.js';
import type { RequestBody } from '../auth/RequestBody.js';
import type { RouteSpec } from '../router/RouteSpec.js';

/** An IAM action a request needs, on one resource ARN (arn:aws:s3:::bucket or arn:aws:s3:::bucket/key). */
export interface ActionRequest {
  readonly action: string;
  readonly resource: string;
}

/** What an operation's handler receives. Immutable; built by the pipeline (src/s3/pipeline.ts). */
export interface OperationContext {
  readonly request: S3Request;
  readonly principal: Principal;
  readonly body: RequestBody;
  /** The addressed bucket, loaded by the pipeline (undefined for service-level operations and CreateBucket). */
  readonly bucket: Bucket | undefined;
  readonly services: Services;
  readonly now: Date;
  readonly log: Logger;
}

/** What a handler returns; the pipeline writes it (adding x-amz-request-id and the rest). */
export interface S3Response {
  readonly status: number;
  /** Header values; undefined entries are omitted. */
  readonly headers?: Readonly<Record<string, string | number | undefined>>;
  /** A rendered XML document (Content-Type application/xml), raw bytes, or a stream of the stated length. */
  readonly body?: string | Buffer | { readonly stream: Readable; readonly length: number };
}

/** One S3 operation, in a file named exactly as AWS names it (PutObjectTagging.ts exports PutObjectTagging). */
export interface Operation {
  /** The AWS operation name; labels logs, metrics and audit records. */
  readonly name: string;
  readonly route: RouteSpec;
  /**
   * Whether the pipeline must load the addressed bucket and answer NoSuchBucket when it is missing (default true
   * for bucket and object targets; CreateBucket says false).
   */
  readonly loadsBucket?: boolean;
  /** The IAM actions this request needs (may depend on the request: versionId, copy source, tagging directive). */
  actions(request: S3Request): readonly ActionRequest[];
  handle(ctx: OperationContext): Promise<S3Response>;
}

/** ARN of a bucket, or of an object when key is given. */
export function s3Arn(bucket: string, key?: string): string {
  return key === undefined ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`;
}
