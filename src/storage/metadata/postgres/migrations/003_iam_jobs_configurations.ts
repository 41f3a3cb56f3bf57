import type { PostgresMigration } from './PostgresMigration.js';

/** Placeholder for step 3 (IAM, batch jobs, configurations), written on another branch: it replaces this file when they merge. */
export const iamJobsConfigurations: PostgresMigration = {
  version: 3,
  name: 'iam_jobs_configurations',
  sql: 'SELECT 1',
};
