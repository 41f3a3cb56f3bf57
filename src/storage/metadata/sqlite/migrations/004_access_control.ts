import type { Migration } from './Migration.js';

/** bucket policies and ACLs of buckets and objects (owned by the S3 access-control layer). */
export const accessControlSchema: Migration = {
  version: 4,
  name: 'access_control',
  sql: '',
};
