import type { ControlOperation } from '../ControlContext.js';
import { renderControl } from '../xml/controlXml.js';
import { renderTagMembers } from '../xml/JobTags.js';
import { jobOf } from './jobOf.js';

/** GET /v20180820/jobs/{JobId}/tagging */
export const GetJobTagging: ControlOperation = {
  name: 'GetJobTagging',
  method: 'GET',
  path: '/jobs/{JobId}/tagging',
  async handle(ctx) {
    const job = await jobOf(ctx);
    return { status: 200, body: renderControl('GetJobTaggingResult', { Tags: renderTagMembers(job.tags) }) };
  },
};
