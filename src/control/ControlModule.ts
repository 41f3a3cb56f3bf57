import type { ApiModuleDeps, Worker } from '../ApiModule.js';
import type { RoleDirectory } from '../core/identity/RoleDirectory.js';
import type { RequestHandler } from '../http/server.js';
import type { IdentityPolicySource } from '../policy/IdentityPolicySource.js';
import { JobService } from '../core/batch/JobService.js';
import type { JobStatusSummary } from '../core/ports/JobStore.js';
import { BatchJobWorker } from '../workers/BatchJobWorker.js';
import { controlOperations } from './routes.js';
import { serveControl } from './serveControl.js';

/** S3 Control (Batch Operations jobs) under /v20180820/, and the worker that runs the jobs. */
export interface ControlModule {
  readonly control: RequestHandler;
  readonly workers: readonly Worker[];
  /** Jobs of every account by status, with their tasks done (the metrics). */
  readonly jobSummary: () => Promise<JobStatusSummary[]>;
}

const NO_IDENTITY_POLICIES: IdentityPolicySource = { policiesOf: () => Promise.resolve([]) };

export function createControlModule(
  deps: ApiModuleDeps,
  roles: RoleDirectory,
  identityPolicies: IdentityPolicySource = NO_IDENTITY_POLICIES,
): ControlModule {
  // the one way to the jobs: every status change goes through the transition table, whoever makes it
  const jobs = new JobService({
    store: deps.backend.jobs,
    buckets: deps.services.buckets,
    roles,
    settings: { region: deps.config.region },
    clock: deps.clock,
  });
  const worker = new BatchJobWorker({
    jobs,
    services: deps.services,
    versions: deps.metadata,
    roles,
    log: deps.log,
    clock: deps.clock,
    ...(deps.config.batchLeaseSeconds !== undefined ? { leaseMs: deps.config.batchLeaseSeconds * 1000 } : {}),
  });
  const operations = controlOperations(identityPolicies);
  const wake = (): void => worker.wake();
  return {
    control: (req, res) => serveControl(req, res, { deps, jobs, operations, wake }),
    workers: [worker],
    jobSummary: () => jobs.summary(),
  };
}
