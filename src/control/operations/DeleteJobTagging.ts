import { ControlError } from '../../errors/ControlError.js';
import type { ControlOperation } from '../ControlContext.js';
import { jobOf } from './jobOf.js';

/** DELETE /v20180820/jobs/{JobId}/tagging — remove every tag of the job. */
export const DeleteJobTagging: ControlOperation = {
  name: 'DeleteJobTagging',
  method: 'DELETE',
  path: '/jobs/{JobId}/tagging',
  async handle(ctx) {
    const job = await jobOf(ctx);
    if ((await ctx.store.setJobTags(ctx.principal.accountId, job.id, [])) === 'missing') {
      throw new ControlError('NotFoundException', { message: `Job ${job.id} not found` });
    }
    return { status: 200 };
  },
};
