import { evaluate, RequestContext, verdictNow, type Decision, type EvaluationRequest, type Policy, type PolicyPrincipal, type RequestContextInput, type Verdict } from './engine/index.js';
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
  return evaluate(evaluationOf(request), { identity: request.identityPolicies, resource: request.resourcePolicy });
}

/**
 * The same decision's outcome, synchronously — or undefined when it depends on a lazily loaded condition key (existing
 * object tags, bucket tags given as a loader) that is not loaded: no loader is called. For callers that hold every
 * value in memory, would rather not wait, and report no statements (the S3 authorizer's in-memory path).
 */
export function authorizeIdentityNow(request: IdentityAuthorization): Verdict | undefined {
  return verdictNow(evaluationOf(request), { identity: request.identityPolicies, resource: request.resourcePolicy });
}

function evaluationOf(request: IdentityAuthorization): EvaluationRequest {
  const { principal } = request;
  const context = new RequestContext(new ContextInput(request.facts, principal, request.conditions));
  const owner = request.resourceOwnerAccountId ?? (principal.kind === 'user' ? principal.accountId : undefined);
  return { action: request.action, resource: request.resource, resourceOwnerAccountId: owner, context };
}

/**
 * The request facts and the action's condition keys as one RequestContextInput, read through (nothing is copied: this
 * runs for every action of every governed request, and the context reads a key only when a condition names it).
 */
class ContextInput implements RequestContextInput {
  constructor(
    private readonly facts: RequestFacts,
    readonly principal: PolicyPrincipal,
    private readonly c: ActionConditions | undefined,
  ) {}

  get now(): Date {
    return this.facts.now;
  }
  get sourceIp(): string | undefined {
    return this.facts.sourceIp;
  }
  get secureTransport(): boolean | undefined {
    return this.facts.secureTransport;
  }
  get userAgent(): string | undefined {
    return this.facts.userAgent;
  }
  get referer(): string | undefined {
    return this.facts.referer;
  }
  get resourceAccount(): string | undefined {
    return this.c?.resourceAccount;
  }
  get prefix(): string | undefined {
    return this.c?.prefix;
  }
  get delimiter(): string | undefined {
    return this.c?.delimiter;
  }
  get maxKeys(): number | string | undefined {
    return this.c?.maxKeys;
  }
  get versionId(): string | undefined {
    return this.c?.versionId;
  }
  get acl(): string | undefined {
    return this.c?.acl;
  }
  get copySource(): string | undefined {
    return this.c?.copySource;
  }
  get metadataDirective(): string | undefined {
    return this.c?.metadataDirective;
  }
  get contentSha256(): string | undefined {
    return this.c?.contentSha256;
  }
  get signatureVersion(): string | undefined {
    return this.c?.signatureVersion;
  }
  get authType(): RequestContextInput['authType'] {
    return this.c?.authType;
  }
  get requestObjectTags(): RequestContextInput['requestObjectTags'] {
    return this.c?.requestObjectTags;
  }
  get existingObjectTags(): RequestContextInput['existingObjectTags'] {
    return this.c?.existingObjectTags;
  }
  get bucketTags(): RequestContextInput['bucketTags'] {
    return this.c?.bucketTags;
  }
}
