import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { DescribeJobCommand, ListJobsCommand, UpdateJobStatusCommand, type JobListDescriptor } from '@aws-sdk/client-s3-control';
import { useEffect, useState } from 'react';
import { CreateJobForm } from '../jobs/CreateJobForm.js';
import { JobReport } from '../jobs/JobReport.js';
import { useSession } from '../session/SessionContext.js';
import { Notice } from '../ui/Notice.js';
import { attempt, useAsync } from '../ui/useAsync.js';

const DONE = new Set(['Complete', 'Failed', 'Cancelled']);

/** Batch jobs: create one, and follow each with a live progress bar; confirm, cancel, open the completion report. */
export function JobsPage() {
  const { clients, identity } = useSession();
  const [jobs, setJobs] = useState<JobListDescriptor[]>([]);
  const [error, setError] = useState<string | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const [report, setReport] = useState<{ jobId: string; bucket: string; folder: string } | undefined>(undefined);
  const [bucket, setBucket] = useState('');
  const buckets = useAsync(() => clients.s3.send(new ListBucketsCommand({})), []);

  useEffect(() => {
    let live = true;
    const load = async (): Promise<void> => {
      try {
        const list = await clients.control.send(new ListJobsCommand({ AccountId: identity.account, MaxResults: 50 }));
        if (live) {
          setJobs(list.Jobs ?? []);
          setError(undefined);
        }
      } catch (err) {
        if (live) setError(`Cannot list jobs: ${String((err as Error).name)}: ${(err as Error).message}`);
      }
    };
    void load();
    const timer = window.setInterval(() => void load(), 1000);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [clients, identity, tick]);

  const update = async (jobId: string, status: 'Ready' | 'Cancelled'): Promise<void> => {
    setError(await attempt(() => clients.control.send(new UpdateJobStatusCommand({ AccountId: identity.account, JobId: jobId, RequestedJobStatus: status }))));
    setTick((t) => t + 1);
  };
  /** The report's place comes from DescribeJob: <prefix>/job-<id>/ in the report bucket. */
  const openReport = async (jobId: string): Promise<void> => {
    if (report?.jobId === jobId) {
      setReport(undefined);
      return;
    }
    setError(
      await attempt(async () => {
        const job = (await clients.control.send(new DescribeJobCommand({ AccountId: identity.account, JobId: jobId }))).Job;
        const r = job?.Report;
        if (r?.Enabled !== true || r.Bucket === undefined) throw new Error('This job has no completion report');
        const prefix = r.Prefix !== undefined && r.Prefix !== '' ? `${r.Prefix.replace(/\/+$/, '')}/` : '';
        setReport({ jobId, bucket: r.Bucket.replace(/^arn:[^:]*:s3:::/, ''), folder: `${prefix}job-${jobId}` });
      }),
    );
  };
  const chosen = bucket !== '' ? bucket : (buckets.data?.Buckets?.[0]?.Name ?? '');

  return (
    <>
      <h1>Batch jobs</h1>
      <Notice error={error} />
      <table className="list" aria-label="Jobs">
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Status</th>
            <th scope="col">Progress</th>
            <th scope="col">Priority</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => {
            const p = job.ProgressSummary;
            const total = p?.TotalNumberOfTasks ?? 0;
            const done = (p?.NumberOfTasksSucceeded ?? 0) + (p?.NumberOfTasksFailed ?? 0);
            return (
              <tr key={job.JobId} data-job-id={job.JobId}>
                <td>
                  <code>{job.JobId}</code>
                  <div className="hint">{job.Description}</div>
                </td>
                <td className="job-status">
                  {job.Status}
                </td>
                <td>
                  <progress max={total === 0 ? 1 : total} value={total === 0 ? (DONE.has(job.Status ?? '') ? 1 : 0) : done} aria-label={`Progress of job ${job.JobId}`} />
                  <span className="hint">
                    {' '}
                    {done} / {total} tasks, {p?.NumberOfTasksFailed ?? 0} failed
                  </span>
                </td>
                <td>{job.Priority}</td>
                <td>
                  {job.Status === 'Suspended' && (
                    <button type="button" className="primary" onClick={() => void update(job.JobId ?? '', 'Ready')}>
                      Confirm
                    </button>
                  )}
                  {!DONE.has(job.Status ?? '') && job.Status !== 'Cancelling' && (
                    <button type="button" onClick={() => void update(job.JobId ?? '', 'Cancelled')}>
                      Cancel
                    </button>
                  )}
                  {DONE.has(job.Status ?? '') && (
                    <button type="button" onClick={() => void openReport(job.JobId ?? '')} aria-expanded={report?.jobId === job.JobId}>
                      Completion report
                    </button>
                  )}
                  {report !== undefined && report.jobId === job.JobId && <JobReport bucket={report.bucket} folder={report.folder} />}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {jobs.length === 0 && <p>No jobs yet.</p>}
      <h2>New job</h2>
      <label>
        Bucket
        <select value={chosen} onChange={(e) => setBucket(e.target.value)}>
          {(buckets.data?.Buckets ?? []).map((b) => (
            <option key={b.Name} value={b.Name}>
              {b.Name}
            </option>
          ))}
        </select>
      </label>
      {chosen !== '' && <CreateJobForm key={chosen} bucket={chosen} initialSource="prefix" selection={[]} prefix="" tag={undefined} />}
    </>
  );
}
