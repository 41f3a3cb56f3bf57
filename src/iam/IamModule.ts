import type { ApiModuleDeps } from '../ApiModule.js';
import type { RoleDirectory } from '../core/identity/RoleDirectory.js';
import type { RequestHandler } from '../http/server.js';
import type { IdentityPolicySource } from '../policy/IdentityPolicySource.js';
import { IamCredentials } from './IamCredentials.js';
import { IdentityPolicies } from './IdentityPolicies.js';
import { iamOperations } from './operations/index.js';
import { serveQuery } from './serveQuery.js';
import { stsOperations } from './sts/index.js';
import { IAM_XMLNS, STS_XMLNS } from './wire/render.js';

/** IAM and STS on the S3 endpoint (AWS query protocol, routed by the SigV4 service name). */
export interface IamModule {
  readonly iam: RequestHandler;
  readonly sts: RequestHandler;
  /** Identity policies of IAM users and role sessions, for the S3 authorizer. */
  readonly identityPolicies: IdentityPolicySource;
  /** IAM roles, for features that act as a role (batch jobs). */
  readonly roles: RoleDirectory;
}

/**
 * Wires the IAM module: its store (the backend's IAM store), its keys (users' access keys, role sessions)
 * into authentication, and the IAM and STS query APIs. See docs/iam.md.
 */
export function createIamModule(deps: ApiModuleDeps): IamModule {
  const store = deps.backend.iam;
  const policies = new IdentityPolicies(store);
  deps.identity.addCredentialSource(new IamCredentials(store, deps.metadata, deps.identity, deps.clock));
  return {
    iam: serveQuery({ service: 'iam', xmlns: IAM_XMLNS, operations: iamOperations, store, policies, deps }),
    sts: serveQuery({ service: 'sts', xmlns: STS_XMLNS, operations: stsOperations, store, policies, deps }),
    identityPolicies: policies,
    roles: policies,
  };
}
