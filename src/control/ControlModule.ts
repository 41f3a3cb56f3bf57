import type { ApiModuleDeps, Worker } from '../ApiModule.js';
import type { RoleDirectory } from '../core/identity/RoleDirectory.js';
import type { RequestHandler } from '../http/server.js';
import { notServedApi } from '../http/notServedApi.js';

/** S3 Control (Batch Operations jobs) under /v20180820/, and the worker that runs the jobs. */
export interface ControlModule {
  readonly control: RequestHandler;
  readonly workers: readonly Worker[];
}

export function createControlModule(_deps: ApiModuleDeps, _roles: RoleDirectory): ControlModule {
  return { control: notServedApi('S3 Control'), workers: [] };
}
