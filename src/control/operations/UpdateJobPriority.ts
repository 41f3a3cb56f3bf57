import { ControlError } from '../../errors/ControlError.js';
import { MAX_JOB_PRIORITY } from '../../core/batch/Job.js';
import type { ControlOperation } from '../ControlContext.js';
import { renderControl } from '../xml/controlXml.js';
import { jobIdOf } from './jobIdOf.js';

/** POST /v20180820/jobs/{JobId}/priority?priority=N */
export const UpdateJobPriority: ControlOperation = {
  name: 'UpdateJobPriority',
  method: 'POST',
  path: '/jobs/{JobId}/priority',
  async handle(ctx) {
    const text = ctx.request.query.get('priority') ?? '';
    if (!/^\d+$/.test(text)) throw new ControlError('BadRequestException', { message: `priority must be 0 to ${MAX_JOB_PRIORITY}` });
    const updated = await ctx.jobs.updatePriority(ctx.principal.accountId, jobIdOf(ctx), Number(text));
    ctx.wake();
    return { status: 200, body: renderControl('UpdateJobPriorityResult', { JobId: updated.id, Priority: updated.priority }) };
  },
};
