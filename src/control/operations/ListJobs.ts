import { ControlError } from '../../errors/ControlError.js';
import { JOB_STATUSES, type JobStatus } from '../../core/batch/Job.js';
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
    const max = maxText === undefined ? 1000 : Number(maxText);
    if (!Number.isInteger(max) || max < 0 || max > 1000) throw new ControlError('BadRequestException', { message: 'maxResults must be 0 to 1000' });
    const token = ctx.request.query.get('nextToken');
    let before: number | undefined;
    if (token !== undefined && token !== '') {
      before = Number(Buffer.from(token, 'base64url').toString('utf8'));
      if (!Number.isInteger(before)) throw new ControlError('BadRequestException', { message: 'Invalid nextToken' });
    }
    const page = await ctx.store.listJobs(ctx.principal.accountId, statuses, before, max + 1);
    const more = page.length > max;
    const jobs = page.slice(0, max);
    const last = jobs[jobs.length - 1];
    return {
      status: 200,
      body: renderControl('ListJobsResult', {
        NextToken: more && last !== undefined ? Buffer.from(String(last.seq)).toString('base64url') : undefined,
        Jobs: members(jobs, renderJobListDescriptor),
      }),
    };
  },
};
