import type { Logger } from 'pino';
import type { Bucket } from '../../core/buckets/Bucket.js';
import type { Principal } from '../../core/identity/Principal.js';
import type { Services } from '../../core/Services.js';
import type { S3Request } from '../../http/S3Request.js';
import type { AuthSettings, CredentialResolver } from '../auth/Authenticator.js';
import type { RequestBody } from '../auth/RequestBody.js';
import type { RouteSpec } from '../router/RouteSpec.js';
import type { ActionRequest, AuthorizationFacts } from '../policy/Authorizer.js';
import type { HttpResponse } from '../../http/HttpResponse.js';

export type { ActionRequest, AuthorizationFacts };

/** What `Operation.prepare` read before authorization: facts for the authorizer, and a value for the handler. */
export interface PreparedRequest {
  readonly facts?: AuthorizationFacts;
  /** Whatever the handler reuses (e.g. the parsed body), so the body is read once. */
  readonly value?: unknown;
}

/**
 * For an operation whose requests carry their credentials in the body (browser POST uploads: the form's policy and
 * signature): what its handler needs to authenticate the request and then authorize it, which the pipeline did not.
 */
export interface InBodyAuthentication {
  readonly credentials: CredentialResolver;
  readonly settings: AuthSettings;
  /** Authorize `principal` for `actions` on the addressed bucket, as the pipeline does for every other operation. */
  authorize(principal: Principal, actions: readonly ActionRequest[], facts?: AuthorizationFacts): Promise<void>;
}

/** What an operation's handler receives. Immutable; built by the pipeline (src/s3/pipeline.ts). */
export interface OperationContext {
  readonly request: S3Request;
  readonly principal: Principal;
  readonly body: RequestBody;
  /** The addressed bucket, loaded by the pipeline (undefined for service-level operations and CreateBucket). */
  readonly bucket: Bucket | undefined;
  readonly services: Services;
  readonly now: Date;
  readonly log: Logger;
  /** What `Operation.prepare` returned, for operations that have one. */
  readonly prepared?: PreparedRequest;
  /** Set only for operations with `authenticatesInBody` (see there). */
  readonly inBodyAuth?: InBodyAuthentication;
}

/** What a handler returns; the pipeline writes it (adding x-amz-request-id and the rest). */
export type S3Response = HttpResponse;

/** One S3 operation, in a file named exactly as AWS names it (PutObjectTagging.ts exports PutObjectTagging). */
export interface Operation {
  /** The AWS operation name; labels logs, metrics and audit records. */
  readonly name: string;
  readonly route: RouteSpec;
  /**
   * Whether the pipeline must load the addressed bucket and answer NoSuchBucket when it is missing (default true
   * for bucket and object targets; CreateBucket says false).
   */
  readonly loadsBucket?: boolean;
  /**
   * The request authenticates itself in its body (PostObject: the form's policy and signature), so the pipeline
   * skips the authorization step and hands the handler `ctx.inBodyAuth`; the handler MUST authorize before it
   * changes anything.
   */
  readonly authenticatesInBody?: boolean;
  /**
   * Read what authorization needs from the body BEFORE authorizing (PutObjectTagging: the Tagging document, whose tags
   * policies test with s3:RequestObjectTag/…). The pipeline runs it after authentication and hands the result to
   * the authorizer (`facts`) and to the handler (`ctx.prepared`), so the body is read once. Must not change anything.
   */
  prepare?(request: S3Request, body: RequestBody): Promise<PreparedRequest>;
  /** The IAM actions this request needs (may depend on the request: versionId, copy source, tagging directive). */
  actions(request: S3Request): readonly ActionRequest[];
  handle(ctx: OperationContext): Promise<S3Response>;
}

/** ARN of a bucket, or of an object when key is given. */
export function s3Arn(bucket: string, key?: string): string {
  return key === undefined ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`;
}

/**
 * The one action an object-addressed request needs: `action`, or its version-specific form when the request names a
 * version (`?versionId=…`), as AWS authorizes e.g. s3:GetObjectTagging vs s3:GetObjectVersionTagging.
 */
export function objectActions(request: S3Request, action: string, versionAction: string): readonly ActionRequest[] {
  return [{ action: request.query.has('versionId') ? versionAction : action, resource: s3Arn(request.bucket ?? '', request.key) }];
}
