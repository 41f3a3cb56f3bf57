import { ControlError } from '../../errors/ControlError.js';
import { requestedTransition } from '../../core/batch/jobStateMachine.js';
import type { ControlOperation } from '../ControlContext.js';
import { renderControl } from '../xml/controlXml.js';
import { jobOf } from './jobOf.js';

/**
 * POST /v20180820/jobs/{JobId}/status?requestedJobStatus=Ready|Cancelled[&statusUpdateReason=…] — confirm a
 * suspended job, or cancel one (a running job goes through Cancelling; the worker stops it within a unit).
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
    if (reason !== undefined && reason.length > 256) throw new ControlError('BadRequestException', { message: 'statusUpdateReason is too long' });
    const job = await jobOf(ctx);
    const to = requestedTransition(job.status, requested);
    if (to === undefined) {
      throw new ControlError('JobStatusException', { message: `Job ${job.id} is ${job.status}; it cannot be set to ${requested}` });
    }
    const updated = await ctx.store.transition(job.id, [job.status], to, {
      ...(reason !== undefined ? { statusUpdateReason: reason } : {}),
      ...(to === 'Cancelled' ? { terminationDate: ctx.deps.clock() } : {}),
    });
    if (updated === undefined) throw new ControlError('JobStatusException', { message: `Job ${job.id} changed status meanwhile; retry` });
    ctx.wake();
    return {
      status: 200,
      body: renderControl('UpdateJobStatusResult', { JobId: updated.id, Status: updated.status, StatusUpdateReason: updated.statusUpdateReason }),
    };
  },
};
