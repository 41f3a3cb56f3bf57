import { ControlError } from '../../errors/ControlError.js';
import type { Job } from '../../core/batch/Job.js';
import type { ControlContext } from '../ControlContext.js';

/** The {JobId} of the path, of the caller's account, or NotFoundException. */
export async function jobOf(ctx: ControlContext): Promise<Job> {
  const id = ctx.params.JobId ?? '';
  const job = await ctx.store.getJob(ctx.principal.accountId, id);
  if (job === undefined) throw new ControlError('NotFoundException', { message: `Job ${id} not found` });
  return job;
}
