import type { JobFailure } from './Job.js';

/** More than 50% of tasks failed once at least 1,000 have run: the job fails (AWS's rule). */
export const FAILURE_THRESHOLD_MIN_TASKS = 1000;

export function exceedsFailureThreshold(succeeded: number, failed: number): boolean {
  const run = succeeded + failed;
  return run >= FAILURE_THRESHOLD_MIN_TASKS && failed * 2 > run;
}

/** What a job that crossed the threshold records as it goes to Failing (DescribeJob shows both). */
export function thresholdFailure(succeeded: number, failed: number): { readonly failureReasons: JobFailure[]; readonly statusUpdateReason: string } {
  return {
    failureReasons: [
      { code: 'JobFailureThresholdExceeded', reason: `Job failure threshold exceeded: ${failed} of ${succeeded + failed} tasks failed` },
    ],
    statusUpdateReason: 'Job failure threshold exceeded',
  };
}
