import { parseXml, xml } from '../../xml/codec.js';
import type { ControlOperation } from '../ControlContext.js';
import { renderControl } from '../xml/controlXml.js';
import { parseTagMembers } from '../xml/JobTags.js';
import { jobIdOf } from './jobIdOf.js';

/** PUT /v20180820/jobs/{JobId}/tagging — replace the job's tags. */
export const PutJobTagging: ControlOperation = {
  name: 'PutJobTagging',
  method: 'PUT',
  path: '/jobs/{JobId}/tagging',
  async handle(ctx) {
    const root = parseXml(await ctx.body(), 'PutJobTaggingRequest', ['PutJobTaggingRequest.Tags.member']);
    await ctx.jobs.putTags(ctx.principal.accountId, jobIdOf(ctx), parseTagMembers(xml.child(root, 'Tags')));
    return { status: 200, body: renderControl('PutJobTaggingResult', {}) };
  },
};
