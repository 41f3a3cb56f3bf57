import type { ControlOperation } from '../ControlContext.js';
import { jobIdOf } from './jobIdOf.js';

/** DELETE /v20180820/jobs/{JobId}/tagging — remove every tag of the job. */
export const DeleteJobTagging: ControlOperation = {
  name: 'DeleteJobTagging',
  method: 'DELETE',
  path: '/jobs/{JobId}/tagging',
  async handle(ctx) {
    await ctx.jobs.deleteTags(ctx.principal.accountId, jobIdOf(ctx));
    return { status: 200 };
  },
};
