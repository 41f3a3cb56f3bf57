import type { Migration } from './Migration.js';

/** IAM users, access keys of users, policies, roles and role sessions (owned by the IAM module). */
export const iamSchema: Migration = {
  version: 2,
  name: 'iam',
  sql: '',
};
