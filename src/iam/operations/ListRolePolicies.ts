import { listInlinePolicies } from './inlinePolicies.js';

/** ListRolePolicies: names of a role's inline policies. */
export const ListRolePolicies = listInlinePolicies('role');
