import { evaluate, RequestContext, type Decision, type Policy, type PolicyPrincipal, type RequestContextInput } from './engine/index.js';
import type { RequestFacts } from './RequestFacts.js';

/** The condition keys an action adds to the request's facts (S3's tag, listing and header keys, …). */
export type ActionConditions = Omit<RequestContextInput, 'now' | 'principal' | keyof RequestFacts>;

/** One action on one resource, by one principal, as every API asks it. */
export interface IdentityAuthorization {
  readonly principal: PolicyPrincipal;
  readonly action: string;
  /** The resource ARN (arn:aws:s3:::bucket/key, arn:aws:iam::123456789012:user/alice, …). */
  readonly resource: string;
  /** The account owning the resource; defaults to the principal's (IAM, S3 Control and batch act in their account). */
  readonly resourceOwnerAccountId?: string | undefined;
  readonly facts: RequestFacts;
  /** Condition keys the action adds (S3: s3:prefix, s3:RequestObjectTag/…, existing-tag loaders, …). */
  readonly conditions?: ActionConditions | undefined;
  /** The principal's identity policies, compiled (CompiledPolicies). */
  readonly identityPolicies: readonly Policy[];
  /** The resource's own policy (an S3 bucket policy), if any. */
  readonly resourcePolicy?: Policy | undefined;
}

/**
 * The one authorization decision of Tessera's APIs — S3, S3 Control, IAM/STS and batch tasks — on the same request
 * facts: the policy engine evaluates the identity policies (and the resource policy, when the resource has one) with
 * AWS's rules: explicit Deny wins; an account's root user may do everything in its account; same account: identity
 * OR resource policy; across accounts: both. Each API turns a denial into its own error; S3 then consults ACLs.
 */
export function authorizeIdentity(request: IdentityAuthorization): Promise<Decision> {
  const { facts, principal } = request;
  const c = request.conditions;
  // one literal of a fixed shape (not a spread): this runs for every action of every governed request
  const context = new RequestContext({
    now: facts.now,
    principal,
    sourceIp: facts.sourceIp,
    secureTransport: facts.secureTransport,
    userAgent: facts.userAgent,
    referer: facts.referer,
    resourceAccount: c?.resourceAccount,
    prefix: c?.prefix,
    delimiter: c?.delimiter,
    maxKeys: c?.maxKeys,
    versionId: c?.versionId,
    acl: c?.acl,
    copySource: c?.copySource,
    metadataDirective: c?.metadataDirective,
    contentSha256: c?.contentSha256,
    signatureVersion: c?.signatureVersion,
    authType: c?.authType,
    requestObjectTags: c?.requestObjectTags,
    existingObjectTags: c?.existingObjectTags,
    bucketTags: c?.bucketTags,
  });
  const owner = request.resourceOwnerAccountId ?? (principal.kind === 'user' ? principal.accountId : undefined);
  return evaluate(
    { action: request.action, resource: request.resource, ...(owner === undefined ? {} : { resourceOwnerAccountId: owner }), context },
    { identity: request.identityPolicies, resource: request.resourcePolicy },
  );
}
