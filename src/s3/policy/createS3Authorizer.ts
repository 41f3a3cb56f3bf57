import type { ApiModuleDeps } from '../../ApiModule.js';
import type { Authorizer } from './Authorizer.js';
import type { IdentityPolicySource } from './IdentityPolicySource.js';
import { ownerOnlyAuthorizer } from './ownerOnlyAuthorizer.js';

/** The authorizer the S3 pipeline uses. */
export function createS3Authorizer(_deps: ApiModuleDeps, _identityPolicies: IdentityPolicySource): Authorizer {
  return ownerOnlyAuthorizer;
}
