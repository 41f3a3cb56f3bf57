import { listAttachedPolicies } from './attachedPolicies.js';

/** ListAttachedRolePolicies: managed policies attached to a role (PathPrefix, Marker/MaxItems). */
export const ListAttachedRolePolicies = listAttachedPolicies('role');
