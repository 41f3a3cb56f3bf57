import type { Bucket } from '../../core/buckets/Bucket.js';
import type { Principal } from '../../core/identity/Principal.js';
import type { ActionRequest, AuthorizationFacts } from '../operations/Operation.js';
import type { S3Request } from '../../http/S3Request.js';

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
