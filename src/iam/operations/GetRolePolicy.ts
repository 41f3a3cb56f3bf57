import { getInlinePolicy } from './inlinePolicies.js';

/** GetRolePolicy: an inline policy of a role, its document URL-encoded as IAM returns it. */
export const GetRolePolicy = getInlinePolicy('role');
