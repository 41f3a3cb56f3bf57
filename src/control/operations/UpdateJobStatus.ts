import { ControlError } from '../../errors/ControlError.js';
import type { ControlOperation } from '../ControlContext.js';
import { renderControl } from '../xml/controlXml.js';
import { jobIdOf } from './jobIdOf.js';

/**
 * POST /v20180820/jobs/{JobId}/status?requestedJobStatus=Ready|Cancelled[&statusUpdateReason=…] — confirm a
 * suspended job, or cancel one (JobService.requestStatus: a running job goes through Cancelling; the worker stops it
 * within a unit).
 */
export const UpdateJobStatus: ControlOperation = {
  name: 'UpdateJobStatus',
  method: 'POST',
  path: '/jobs/{JobId}/status',
  async handle(ctx) {
    const requested = ctx.request.query.get('requestedJobStatus');
    if (requested !== 'Ready' && requested !== 'Cancelled') {
      throw new ControlError('BadRequestException', { message: 'requestedJobStatus must be Ready or Cancelled' });
    }
    const reason = ctx.request.query.get('statusUpdateReason');
    const updated = await ctx.jobs.requestStatus(ctx.principal.accountId, jobIdOf(ctx), requested, reason);
    ctx.wake();
    return {
      status: 200,
      body: renderControl('UpdateJobStatusResult', { JobId: updated.id, Status: updated.status, StatusUpdateReason: updated.statusUpdateReason }),
    };
  },
};
