import { listInlinePolicies } from './inlinePolicies.js';

/** ListUserPolicies: names of a user's inline policies. */
export const ListUserPolicies = listInlinePolicies('user');
