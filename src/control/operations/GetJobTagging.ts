import type { ControlOperation } from '../ControlContext.js';
import { renderControl } from '../xml/controlXml.js';
import { renderTagMembers } from '../xml/JobTags.js';
import { jobOf } from './jobOf.js';

/** GET /v20180820/jobs/{JobId}/tagging */
export const GetJobTagging: ControlOperation = {
  name: 'GetJobTagging',
  method: 'GET',
  path: '/jobs/{JobId}/tagging',
  handle(ctx) {
    const job = jobOf(ctx);
    return Promise.resolve({ status: 200, body: renderControl('GetJobTaggingResult', { Tags: renderTagMembers(job.tags) }) });
  },
};
