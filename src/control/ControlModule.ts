import type { ApiModuleDeps, Worker } from '../ApiModule.js';
import type { RoleDirectory } from '../core/identity/RoleDirectory.js';
import type { RequestHandler } from '../http/server.js';
import type { IdentityPolicySource } from '../policy/IdentityPolicySource.js';
import { TransitionCheckedJobStore } from '../core/batch/TransitionCheckedJobStore.js';
import { SqliteJobStore } from '../storage/metadata/sqlite/jobs/SqliteJobStore.js';
import { SqliteBatchTagWriter } from '../storage/metadata/sqlite/jobs/SqliteBatchTagWriter.js';
import { BatchJobWorker } from '../workers/BatchJobWorker.js';
import { controlOperations } from './routes.js';
import { serveControl } from './serveControl.js';

/** S3 Control (Batch Operations jobs) under /v20180820/, and the worker that runs the jobs. */
export interface ControlModule {
  readonly control: RequestHandler;
  readonly workers: readonly Worker[];
}

const NO_IDENTITY_POLICIES: IdentityPolicySource = { policiesOf: () => Promise.resolve([]) };

export function createControlModule(
  deps: ApiModuleDeps,
  roles: RoleDirectory,
  identityPolicies: IdentityPolicySource = NO_IDENTITY_POLICIES,
): ControlModule {
  // every status change goes through the one transition table
  const store = new TransitionCheckedJobStore(new SqliteJobStore(deps.sqlite));
  const worker = new BatchJobWorker({
    store,
    services: deps.services,
    versions: deps.metadata,
    tagWriter: new SqliteBatchTagWriter(deps.sqlite),
    roles,
    log: deps.log,
    clock: deps.clock,
  });
  const operations = controlOperations(identityPolicies);
  const wake = (): void => worker.wake();
  return {
    control: (req, res) => serveControl(req, res, { deps, roles, store, operations, wake }),
    workers: [worker],
  };
}
