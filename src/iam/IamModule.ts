import type { ApiModuleDeps } from '../ApiModule.js';
import type { RoleDirectory } from '../core/identity/RoleDirectory.js';
import type { RequestHandler } from '../http/server.js';
import { notServedApi } from '../http/notServedApi.js';
import type { IdentityPolicySource } from '../s3/policy/IdentityPolicySource.js';

/** IAM and STS on the S3 endpoint (AWS query protocol, routed by the SigV4 service name). */
export interface IamModule {
  readonly iam: RequestHandler;
  readonly sts: RequestHandler;
  /** Identity policies of IAM users and role sessions, for the S3 authorizer. */
  readonly identityPolicies: IdentityPolicySource;
  /** IAM roles, for features that act as a role (batch jobs). */
  readonly roles: RoleDirectory;
}

export function createIamModule(_deps: ApiModuleDeps): IamModule {
  return {
    iam: notServedApi('IAM'), sts: notServedApi('STS'), identityPolicies: { policiesOf: () => Promise.resolve([]) },
    roles: { roleByArn: () => Promise.resolve(undefined) },
  };
}
