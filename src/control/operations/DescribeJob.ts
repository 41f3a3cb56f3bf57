import type { ControlOperation } from '../ControlContext.js';
import { renderControl } from '../xml/controlXml.js';
import { renderJobDescriptor } from '../xml/JobDescriptor.js';
import { jobOf } from './jobOf.js';

/** GET /v20180820/jobs/{JobId} */
export const DescribeJob: ControlOperation = {
  name: 'DescribeJob',
  method: 'GET',
  path: '/jobs/{JobId}',
  handle(ctx) {
    const job = jobOf(ctx);
    return Promise.resolve({ status: 200, body: renderControl('DescribeJobResult', { Job: renderJobDescriptor(job, ctx.deps.config.region) }) });
  },
};
