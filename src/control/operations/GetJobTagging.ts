import type { ControlOperation } from '../ControlContext.js';
import { renderControl } from '../xml/controlXml.js';
import { renderTagMembers } from '../xml/JobTags.js';
import { jobIdOf } from './jobIdOf.js';

/** GET /v20180820/jobs/{JobId}/tagging */
export const GetJobTagging: ControlOperation = {
  name: 'GetJobTagging',
  method: 'GET',
  path: '/jobs/{JobId}/tagging',
  async handle(ctx) {
    const job = await ctx.jobs.describe(ctx.principal.accountId, jobIdOf(ctx));
    return { status: 200, body: renderControl('GetJobTaggingResult', { Tags: renderTagMembers(job.tags) }) };
  },
};
