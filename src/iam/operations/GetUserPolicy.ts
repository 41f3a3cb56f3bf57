import { getInlinePolicy } from './inlinePolicies.js';

/** GetUserPolicy: an inline policy of a user, its document URL-encoded as IAM returns it. */
export const GetUserPolicy = getInlinePolicy('user');
