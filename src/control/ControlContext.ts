import type { JobService } from '../core/batch/JobService.js';
import type { UserPrincipal } from '../core/identity/Principal.js';
import type { S3Request } from '../http/S3Request.js';

/**
 * What an S3 Control operation gets: the request, its authenticated caller (account checked), the job service (the
 * operation parses the wire, calls the service, renders the answer; it never sees a store).
 */
export interface ControlContext {
  readonly request: S3Request;
  readonly principal: UserPrincipal;
  /** Path parameters ({JobId}). */
  readonly params: Readonly<Record<string, string>>;
  readonly body: () => Promise<Buffer>;
  readonly jobs: JobService;
  /** The time the request is handled at (the facts its authorization sees). */
  readonly now: Date;
  /** Tell the worker there is new work. */
  readonly wake: () => void;
}

/** A response: status and XML body (or none). */
export interface ControlResponse {
  readonly status: number;
  readonly body?: string;
}

/** One S3 Control operation, named as AWS names it. */
export interface ControlOperation {
  readonly name: string;
  readonly method: string;
  /** Path pattern under /v20180820, with {Param} segments. */
  readonly path: string;
  handle(ctx: ControlContext): Promise<ControlResponse>;
}
