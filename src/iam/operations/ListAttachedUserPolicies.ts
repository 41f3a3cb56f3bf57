import { listAttachedPolicies } from './attachedPolicies.js';

/** ListAttachedUserPolicies: managed policies attached to a user (PathPrefix, Marker/MaxItems). */
export const ListAttachedUserPolicies = listAttachedPolicies('user');
