import type { IdentityPolicySource } from '../policy/IdentityPolicySource.js';
import type { ControlOperation } from './ControlContext.js';
import { createJobOperation } from './operations/CreateJob.js';
import { DeleteJobTagging } from './operations/DeleteJobTagging.js';
import { DescribeJob } from './operations/DescribeJob.js';
import { GetJobTagging } from './operations/GetJobTagging.js';
import { ListJobs } from './operations/ListJobs.js';
import { PutJobTagging } from './operations/PutJobTagging.js';
import { UpdateJobPriority } from './operations/UpdateJobPriority.js';
import { UpdateJobStatus } from './operations/UpdateJobStatus.js';

export const CONTROL_PREFIX = '/v20180820';

/** The S3 Control operations served, as data: method + path pattern under /v20180820. */
export function controlOperations(identityPolicies: IdentityPolicySource): ControlOperation[] {
  return [
    createJobOperation(identityPolicies),
    ListJobs,
    DescribeJob,
    UpdateJobPriority,
    UpdateJobStatus,
    PutJobTagging,
    GetJobTagging,
    DeleteJobTagging,
  ];
}

/** Match a request path (percent-encoded, as sent) to an operation and its path parameters. Pure. */
export function matchRoute(
  operations: readonly ControlOperation[],
  method: string,
  rawPath: string,
): { operation: ControlOperation; params: Record<string, string> } | 'method-not-allowed' | undefined {
  if (!rawPath.startsWith(CONTROL_PREFIX + '/')) return undefined;
  const segments = rawPath.slice(CONTROL_PREFIX.length).replace(/\/+$/, '').split('/');
  let pathMatched = false;
  for (const operation of operations) {
    const pattern = operation.path.split('/');
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pattern.length && ok; i++) {
      const p = pattern[i]!;
      const s = segments[i]!;
      if (p.startsWith('{') && p.endsWith('}')) {
        if (s === '') ok = false;
        else {
          try {
            params[p.slice(1, -1)] = decodeURIComponent(s);
          } catch {
            ok = false;
          }
        }
      } else if (p !== s) ok = false;
    }
    if (!ok) continue;
    pathMatched = true;
    if (operation.method === method) return { operation, params };
  }
  return pathMatched ? 'method-not-allowed' : undefined;
}
