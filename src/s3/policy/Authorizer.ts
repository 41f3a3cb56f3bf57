import type { Bucket } from '../../core/buckets/Bucket.js';
import type { Principal } from '../../core/identity/Principal.js';
import type { Tag } from '../../core/tags/Tag.js';
import type { S3Request } from '../../http/S3Request.js';

/** An IAM action a request needs, on one resource ARN (arn:aws:s3:::bucket or arn:aws:s3:::bucket/key). */
export interface ActionRequest {
  readonly action: string;
  readonly resource: string;
  /**
   * The action is needed only when this object version has tags (CopyObject copying the source's tags needs
   * s3:GetObjectTagging only when there are tags to copy); the authorizer skips it otherwise.
   */
  readonly onlyIfTagged?: { readonly bucket: string; readonly key: string; readonly versionId?: string | undefined };
}

/**
 * Condition facts that only the operation can tell the authorizer (docs/access-control.md): what the body says.
 * Everything the headers and query say (x-amz-tagging, x-amz-acl, versionId, prefix, …) the authorizer reads itself.
 */
export interface AuthorizationFacts {
  /** The tags the request sets (s3:RequestObjectTag/<key>, s3:RequestObjectTagKeys), e.g. PutObjectTagging's body. */
  readonly requestObjectTags?: readonly Tag[];
  /** The canned ACL the request sets when it is not in x-amz-acl (PostObject's `acl` field). */
  readonly acl?: string;
  /** How the request was authenticated when not by a header or query signature (PostObject: POST). */
  readonly authType?: 'POST';
}

/** Everything an authorization decision may look at. */
export interface AuthorizationRequest {
  readonly principal: Principal;
  readonly actions: readonly ActionRequest[];
  /** The addressed bucket, when it exists. */
  readonly bucket: Bucket | undefined;
  readonly request: S3Request;
  readonly now: Date;
  /** What the operation read from the body for conditions (Operation.prepare, PostObject's form). */
  readonly facts?: AuthorizationFacts | undefined;
}

/** Decides whether a request may run; throws S3Error AccessDenied when not. */
export interface Authorizer {
  authorize(request: AuthorizationRequest): Promise<void>;
}
