import { attachPolicy } from './attachedPolicies.js';

/** AttachUserPolicy: attach a customer managed policy of the account to a user. */
export const AttachUserPolicy = attachPolicy('user');
