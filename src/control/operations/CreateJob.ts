import { ControlError } from '../../errors/ControlError.js';
import { jobArn } from '../../core/batch/Job.js';
import { requestFactsOf } from '../../http/requestFacts.js';
import type { IdentityPolicySource } from '../../policy/IdentityPolicySource.js';
import { callerMay } from '../callerMay.js';
import type { ControlContext, ControlOperation, ControlResponse } from '../ControlContext.js';
import { renderControl } from '../xml/controlXml.js';
import { parseCreateJobRequest } from '../xml/CreateJobRequest.js';

/**
 * POST /v20180820/jobs — create a job. The body is parsed (its operation's TagSet checked); the caller needs
 * s3:CreateJob and iam:PassRole on RoleArn; JobService.create checks the rest (job tags; a role of the caller's
 * account that trusts batchoperations.s3.amazonaws.com; the buckets; a repeated ClientRequestToken returns the job it
 * created, IdempotencyException when the request differs).
 */
export function createJobOperation(identityPolicies: IdentityPolicySource): ControlOperation {
  return {
    name: 'CreateJob',
    method: 'POST',
    path: '/jobs',
    async handle(ctx: ControlContext): Promise<ControlResponse> {
      const { principal } = ctx;
      const input = parseCreateJobRequest(await ctx.body());
      const facts = requestFactsOf(ctx.request, ctx.now);
      if (!(await callerMay(principal, identityPolicies, 's3:CreateJob', jobArn(ctx.jobs.region, principal.accountId, '*'), facts))) {
        throw new ControlError('AccessDenied', { message: 'Access Denied: the caller is not allowed s3:CreateJob' });
      }
      if (!(await callerMay(principal, identityPolicies, 'iam:PassRole', input.roleArn, facts))) {
        throw new ControlError('AccessDenied', { message: `Access Denied: the caller is not allowed iam:PassRole on ${input.roleArn}` });
      }
      const job = await ctx.jobs.create(principal.accountId, input);
      ctx.wake();
      return { status: 200, body: renderControl('CreateJobResult', { JobId: job.id }) };
    },
  };
}
