import { putInlinePolicy } from './inlinePolicies.js';

/** PutRolePolicy: create or replace an inline policy of a role (validated as an identity policy). */
export const PutRolePolicy = putInlinePolicy('role');
