import type { Job, JobStatus } from './Job.js';

/**
 * The job lifecycle, as AWS documents it, and the one table every status change is checked against (JobService, through
 * TransitionCheckedJobStore), whether S3 Control asks for it or the worker makes it:
 * New → Preparing → (Suspended when ConfirmationRequired) → Ready → Active → Complete;
 * any waiting or running state → Cancelling → Cancelled (states with no task running go straight to Cancelled);
 * Preparing/Active → Failing → Failed; a completion report that cannot be written fails the job from where it is
 * (Active or Cancelling → Failed).
 * Pure; table-tested in test/unit/batch/jobStateMachine.test.ts.
 */
const NEXT: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  New: ['Preparing', 'Cancelled', 'Failing', 'Failed'],
  Preparing: ['Suspended', 'Ready', 'Cancelled', 'Failing', 'Failed'],
  Suspended: ['Ready', 'Cancelled'],
  Ready: ['Active', 'Cancelled'],
  Active: ['Complete', 'Cancelling', 'Failing', 'Failed', 'Pausing'],
  Pausing: ['Paused', 'Cancelling'],
  Paused: ['Active', 'Cancelling'],
  Complete: [],
  Cancelling: ['Cancelled', 'Failed'],
  Cancelled: [],
  Failing: ['Failed'],
  Failed: [],
};

/** The statuses the worker has work in: it prepares, activates, runs, or finishes (report, then the end status). */
export const RUNNABLE_STATUSES = ['New', 'Preparing', 'Ready', 'Active', 'Cancelling', 'Failing'] as const satisfies readonly JobStatus[];
export type RunnableStatus = (typeof RUNNABLE_STATUSES)[number];
export type RunnableJob = Job & { readonly status: RunnableStatus };

export function isRunnable(job: Job): job is RunnableJob {
  return (RUNNABLE_STATUSES as readonly JobStatus[]).includes(job.status);
}

/** Where a finishing job ends once its report is written: all tasks done, cancelled, or failed. */
export const END_STATUS = { Active: 'Complete', Cancelling: 'Cancelled', Failing: 'Failed' } as const satisfies Partial<Record<RunnableStatus, JobStatus>>;
export type FinishingStatus = keyof typeof END_STATUS;

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return NEXT[from].includes(to);
}

export function isTerminal(status: JobStatus): boolean {
  return status === 'Complete' || status === 'Cancelled' || status === 'Failed';
}

/**
 * UpdateJobStatus: where a requested status (Ready | Cancelled) takes a job, or undefined when AWS refuses it
 * (JobStatusException). Ready is accepted only for a job waiting for confirmation; Cancelled for any job that has
 * not ended. A job with tasks in flight goes through Cancelling.
 */
export function requestedTransition(from: JobStatus, requested: 'Ready' | 'Cancelled'): JobStatus | undefined {
  if (requested === 'Ready') return from === 'Suspended' ? 'Ready' : undefined;
  if (isTerminal(from) || from === 'Cancelling' || from === 'Failing') return undefined;
  if (from === 'Active' || from === 'Pausing' || from === 'Paused') return 'Cancelling';
  return 'Cancelled';
}
