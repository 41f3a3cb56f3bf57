import { ControlError } from '../../errors/ControlError.js';
import { parseXml, xml } from '../../xml/codec.js';
import type { ControlOperation } from '../ControlContext.js';
import { renderControl } from '../xml/controlXml.js';
import { parseTagMembers, validateJobTags } from '../xml/JobTags.js';
import { jobOf } from './jobOf.js';

/** PUT /v20180820/jobs/{JobId}/tagging — replace the job's tags. */
export const PutJobTagging: ControlOperation = {
  name: 'PutJobTagging',
  method: 'PUT',
  path: '/jobs/{JobId}/tagging',
  async handle(ctx) {
    const root = parseXml(await ctx.body(), 'PutJobTaggingRequest', ['PutJobTaggingRequest.Tags.member']);
    const tags = validateJobTags(parseTagMembers(xml.child(root, 'Tags')));
    const job = await jobOf(ctx);
    if ((await ctx.store.setJobTags(ctx.principal.accountId, job.id, tags)) === 'missing') {
      throw new ControlError('NotFoundException', { message: `Job ${job.id} not found` });
    }
    return { status: 200, body: renderControl('PutJobTaggingResult', {}) };
  },
};
