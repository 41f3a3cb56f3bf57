import type { Tag } from '../tags/Tag.js';
import type { JobSpec } from './Job.js';

/**
 * A CreateJob request as a domain value: parsed from the wire and checked in shape, its operation's TagSet already
 * validated (control/xml/CreateJobRequest.ts, through jobTags.validateOperationTags). JobService.create checks the
 * rest (job tags, role and trust, buckets, idempotency) and turns it into a Job.
 */
export interface JobRequest {
  readonly spec: JobSpec;
  readonly priority: number;
  readonly roleArn: string;
  readonly confirmationRequired: boolean;
  readonly clientRequestToken: string;
  readonly description?: string;
  readonly tags: readonly Tag[];
}
