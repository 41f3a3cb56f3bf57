import { ControlError } from '../../errors/ControlError.js';
import { createHash, randomUUID } from 'node:crypto';
import { callerMay } from '../callerMay.js';
import { requestFactsOf } from '../../http/requestFacts.js';
import type { ControlContext, ControlOperation, ControlResponse } from '../ControlContext.js';
import { trustsBatchOperations } from '../roleTrust.js';
import { renderControl } from '../xml/controlXml.js';
import { parseCreateJobRequest } from '../xml/CreateJobRequest.js';
import { validateJobTags } from '../xml/JobTags.js';
import type { IdentityPolicySource } from '../../policy/IdentityPolicySource.js';

/**
 * POST /v20180820/jobs — create a job. The caller needs s3:CreateJob and iam:PassRole on RoleArn, which must name a
 * role of the caller's account that trusts batchoperations.s3.amazonaws.com. A repeated ClientRequestToken returns
 * the job it created (IdempotencyException when the request differs).
 */
export function createJobOperation(identityPolicies: IdentityPolicySource): ControlOperation {
  return {
    name: 'CreateJob',
    method: 'POST',
    path: '/jobs',
    async handle(ctx: ControlContext): Promise<ControlResponse> {
      const now = ctx.deps.clock();
      const { principal } = ctx;
      const body = await ctx.body();
      const input = parseCreateJobRequest(body);
      const jobs = `arn:aws:s3:${ctx.deps.config.region}:${principal.accountId}:job/*`;
      if (!(await callerMay(principal, identityPolicies, 's3:CreateJob', jobs, requestFactsOf(ctx.request, now)))) {
        throw new ControlError('AccessDenied', { message: 'Access Denied: the caller is not allowed s3:CreateJob' });
      }
      if (!(await callerMay(principal, identityPolicies, 'iam:PassRole', input.roleArn, requestFactsOf(ctx.request, now)))) {
        throw new ControlError('AccessDenied', { message: `Access Denied: the caller is not allowed iam:PassRole on ${input.roleArn}` });
      }
      const tags = validateJobTags(input.tags);
      const role = await ctx.roles.roleByArn(input.roleArn);
      if (role === undefined || role.accountId !== principal.accountId) {
        throw new ControlError('BadRequestException', { message: `The role ${input.roleArn} does not exist in account ${principal.accountId}` });
      }
      if (!trustsBatchOperations(role.trustPolicy)) {
        throw new ControlError('BadRequestException', { message: `The role ${input.roleArn} does not trust batchoperations.s3.amazonaws.com` });
      }
      const output = input.spec.generator?.output;
      if (output !== undefined) {
        const name = output.bucket.replace(/^arn:[^:]+:s3:::/, '');
        if ((await ctx.deps.services.buckets.get(name)) === undefined) {
          throw new ControlError('BadRequestException', { message: `The manifest output bucket ${name} does not exist` });
        }
      }
      const report = input.spec.report;
      if (report.enabled && report.bucket !== undefined) {
        const name = report.bucket.replace(/^arn:[^:]+:s3:::/, '');
        if ((await ctx.deps.services.buckets.get(name)) === undefined) {
          throw new ControlError('BadRequestException', { message: `The report bucket ${name} does not exist` });
        }
      }
      const fingerprint = createHash('sha256')
        .update(JSON.stringify({ ...input, clientRequestToken: undefined }))
        .digest('hex');
      const created = await ctx.store.createJob({
        id: randomUUID(),
        accountId: principal.accountId,
        seq: 0,
        status: 'New',
        priority: input.priority,
        confirmationRequired: input.confirmationRequired,
        clientRequestToken: input.clientRequestToken,
        requestFingerprint: fingerprint,
        ...(input.description !== undefined ? { description: input.description } : {}),
        roleArn: input.roleArn,
        spec: input.spec,
        tags,
        creationTime: now,
        failureReasons: [],
        succeeded: 0,
        failed: 0,
        cursor: 0,
        activeMs: 0,
      });
      if (created.status === 'exists' && created.job.requestFingerprint !== fingerprint) {
        throw new ControlError('IdempotencyException', { message: 'The ClientRequestToken was already used with different parameters' });
      }
      ctx.wake();
      return { status: 200, body: renderControl('CreateJobResult', { JobId: created.job.id }) };
    },
  };
}
