import { detachPolicy } from './attachedPolicies.js';

/** DetachUserPolicy: NoSuchEntity when the policy is not attached to the user. */
export const DetachUserPolicy = detachPolicy('user');
