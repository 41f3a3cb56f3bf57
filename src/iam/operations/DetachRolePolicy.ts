import { detachPolicy } from './attachedPolicies.js';

/** DetachRolePolicy: NoSuchEntity when the policy is not attached to the role. */
export const DetachRolePolicy = detachPolicy('role');
