import { ControlError } from '../../errors/ControlError.js';
import type { ControlOperation } from '../ControlContext.js';
import { renderControl } from '../xml/controlXml.js';
import { jobOf } from './jobOf.js';

/** POST /v20180820/jobs/{JobId}/priority?priority=N */
export const UpdateJobPriority: ControlOperation = {
  name: 'UpdateJobPriority',
  method: 'POST',
  path: '/jobs/{JobId}/priority',
  async handle(ctx) {
    const text = ctx.request.query.get('priority') ?? '';
    const priority = Number(text);
    if (!/^\d+$/.test(text) || priority > 2147483647) throw new ControlError('BadRequestException', { message: 'priority must be 0 to 2147483647' });
    const job = await jobOf(ctx);
    const updated = await ctx.store.updatePriority(ctx.principal.accountId, job.id, priority);
    if (updated === undefined) throw new ControlError('NotFoundException', { message: `Job ${job.id} not found` });
    ctx.wake();
    return { status: 200, body: renderControl('UpdateJobPriorityResult', { JobId: updated.id, Priority: updated.priority }) };
  },
};
