import { attachPolicy } from './attachedPolicies.js';

/** AttachRolePolicy: attach a customer managed policy of the account to a role. */
export const AttachRolePolicy = attachPolicy('role');
