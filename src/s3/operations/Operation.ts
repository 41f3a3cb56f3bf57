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

/** What a route addresses: `/` (service), `/{Bucket}` (bucket) or `/{Bucket}/{Key+}` (object). */
export type Target = RouteSpec['target'];

/** The bucket a handler of a `T` route receives: none for the service; the loaded bucket for bucket and object routes. */
export type BucketOf<T extends Target> = T extends 'service' ? undefined : Bucket;

/** What `Operation.prepare` read before authorization: facts for the authorizer, and a value for the handler. */
export interface PreparedRequest<P> {
  readonly facts?: AuthorizationFacts;
  /** What the handler reuses (e.g. the parsed body) as `ctx.prepared`, so the body is read once. */
  readonly value: P;
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

/**
 * What an operation's handler receives. Immutable; built by the pipeline (src/s3/pipeline.ts).
 * `B`: the addressed bucket (see BucketOf); `P`: what the operation's `prepare` read; `A`: in-body authentication.
 */
export interface OperationContext<
  B extends Bucket | undefined = Bucket,
  P = undefined,
  A extends InBodyAuthentication | undefined = undefined,
> {
  readonly request: S3Request;
  readonly principal: Principal;
  readonly body: RequestBody;
  /** The addressed bucket, loaded by the pipeline (see BucketOf; CreateBucket's does not exist yet). */
  readonly bucket: B;
  readonly services: Services;
  readonly now: Date;
  readonly log: Logger;
  /** The value `Operation.prepare` returned (undefined for operations without one). */
  readonly prepared: P;
  /** Only for operations that authenticate in their body (see AuthenticatesInBody). */
  readonly inBodyAuth: A;
}

/** What a handler returns; the pipeline writes it (adding x-amz-request-id and the rest). */
export type S3Response = HttpResponse;

/** What every operation declares; the exported types below fix what its handler receives. */
interface OperationSpec<T extends Target, B extends Bucket | undefined, P, A extends InBodyAuthentication | undefined> {
  /** The AWS operation name; labels logs, metrics and audit records. */
  readonly name: string;
  readonly route: RouteSpec & { readonly target: T };
  /** The IAM actions this request needs (may depend on the request: versionId, copy source, tagging directive). */
  actions(request: S3Request): readonly ActionRequest[];
  handle(ctx: OperationContext<B, P, A>): Promise<S3Response>;
}

/**
 * Read what authorization needs from the body BEFORE authorizing (PutObjectTagging: the Tagging document, whose tags
 * policies test with s3:RequestObjectTag/…). The pipeline runs it after authentication and hands the result to
 * the authorizer (`facts`) and to the handler (`ctx.prepared`), so the body is read once. Must not change anything.
 */
type Preparation<P> = [P] extends [undefined]
  ? { readonly prepare?: undefined }
  : { prepare(request: S3Request, body: RequestBody): Promise<PreparedRequest<P>> };

/**
 * One S3 operation, in a file named exactly as AWS names it (PutObjectTagging.ts exports PutObjectTagging), on a
 * `T` route; `P` is what its `prepare` reads from the body before authorization, if it has one. The pipeline loads
 * the addressed bucket of bucket and object routes (NoSuchBucket when missing) and authorizes before `handle`.
 */
export type Operation<T extends Target, P = undefined> = OperationSpec<T, BucketOf<T>, P, undefined> &
  Preparation<P> & { readonly loadsBucket?: true; readonly authenticatesInBody?: false };

/** CreateBucket: a bucket route whose bucket the pipeline does not load (it is about to exist). */
export type CreatesItsBucket = OperationSpec<'bucket', undefined, undefined, undefined> & {
  readonly loadsBucket: false;
  readonly prepare?: undefined;
  readonly authenticatesInBody?: false;
};

/**
 * The request authenticates itself in its body (PostObject: the form's policy and signature), so the pipeline
 * skips the authorization step and hands the handler `ctx.inBodyAuth`; the handler MUST authorize before it
 * changes anything.
 */
export type AuthenticatesInBody<T extends Target> = OperationSpec<T, BucketOf<T>, undefined, InBodyAuthentication> & {
  readonly authenticatesInBody: true;
  readonly prepare?: undefined;
  readonly loadsBucket?: true;
};

/** Any operation, as the routing table (registry.ts) and the pipeline hold them. */
export interface AnyOperation {
  readonly name: string;
  readonly route: RouteSpec;
  /** false: the pipeline does not load the addressed bucket (CreateBucket); otherwise it does, or answers NoSuchBucket. */
  readonly loadsBucket?: boolean | undefined;
  /** true: the pipeline does not authorize; the handler does, through `ctx.inBodyAuth`. */
  readonly authenticatesInBody?: boolean | undefined;
  readonly prepare?: ((request: S3Request, body: RequestBody) => Promise<PreparedRequest<unknown>>) | undefined;
  actions(request: S3Request): readonly ActionRequest[];
  handle(ctx: OperationContext<Bucket | undefined, unknown, InBodyAuthentication | undefined>): Promise<S3Response>;
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
