import { ControlError } from '../../errors/ControlError.js';
import { JOB_STATUSES, type JobStatus } from '../../core/batch/Job.js';
import { MAX_LIST_RESULTS } from '../../core/batch/JobService.js';
import type { ControlOperation } from '../ControlContext.js';
import { members, renderControl } from '../xml/controlXml.js';
import { renderJobListDescriptor } from '../xml/JobDescriptor.js';

/** jobStatuses may repeat (`jobStatuses=Active&jobStatuses=Complete`); S3Request keeps only the first, so read the raw query. */
function statusesOf(rawQuery: string): JobStatus[] {
  const out: JobStatus[] = [];
  for (const pair of rawQuery.split('&')) {
    const [name, value] = pair.split('=');
    if (name !== 'jobStatuses' || value === undefined) continue;
    const status = decodeURIComponent(value) as JobStatus;
    if (!JOB_STATUSES.includes(status)) throw new ControlError('BadRequestException', { message: `Invalid job status: ${status}` });
    out.push(status);
  }
  return out;
}

/** GET /v20180820/jobs[?jobStatuses=…&nextToken=…&maxResults=…] — newest first. */
export const ListJobs: ControlOperation = {
  name: 'ListJobs',
  method: 'GET',
  path: '/jobs',
  async handle(ctx) {
    const statuses = statusesOf(ctx.request.rawQuery);
    const maxText = ctx.request.query.get('maxResults');
    const maxResults = maxText === undefined ? MAX_LIST_RESULTS : Number(maxText);
    const page = await ctx.jobs.list(ctx.principal.accountId, { statuses, maxResults, nextToken: ctx.request.query.get('nextToken') });
    return {
      status: 200,
      body: renderControl('ListJobsResult', { NextToken: page.nextToken, Jobs: members(page.jobs, renderJobListDescriptor) }),
    };
  },
};
