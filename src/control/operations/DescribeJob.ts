import type { ControlOperation } from '../ControlContext.js';
import { renderControl } from '../xml/controlXml.js';
import { renderJobDescriptor } from '../xml/JobDescriptor.js';
import { jobIdOf } from './jobIdOf.js';

/** GET /v20180820/jobs/{JobId} */
export const DescribeJob: ControlOperation = {
  name: 'DescribeJob',
  method: 'GET',
  path: '/jobs/{JobId}',
  async handle(ctx) {
    const job = await ctx.jobs.describe(ctx.principal.accountId, jobIdOf(ctx));
    return { status: 200, body: renderControl('DescribeJobResult', { Job: renderJobDescriptor(job, ctx.jobs.region) }) };
  },
};
