import type { ApiModuleDeps } from '../ApiModule.js';
import type { UserPrincipal } from '../core/identity/Principal.js';
import type { RoleDirectory } from '../core/identity/RoleDirectory.js';
import type { S3Request } from '../http/S3Request.js';
import type { JobStore } from '../core/ports/JobStore.js';

/** What an S3 Control operation gets: the request, its authenticated caller (account checked), the job store. */
export interface ControlContext {
  readonly request: S3Request;
  readonly principal: UserPrincipal;
  /** Path parameters ({JobId}). */
  readonly params: Readonly<Record<string, string>>;
  readonly body: () => Promise<Buffer>;
  readonly deps: ApiModuleDeps;
  readonly roles: RoleDirectory;
  readonly store: JobStore;
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
