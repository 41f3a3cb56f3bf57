import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Bucket } from '../core/buckets/Bucket.js';
import type { Principal } from '../core/identity/Principal.js';
import type { Services } from '../core/Services.js';
import type { S3Request } from '../http/S3Request.js';
import type { RequestObserver } from '../http/RequestObserver.js';
import type { Tag } from '../core/tags/Tag.js';
import { serveApi, type ApiErrors } from '../http/serveApi.js';
import type { Authenticate, AuthSettings, CredentialResolver } from './auth/Authenticator.js';
import { S3Error, isS3Error } from '../errors/S3Error.js';
import type { AnyOperation, InBodyAuthentication, OperationContext, S3Response } from './operations/Operation.js';
import type { ActionRequest, AuthorizationFacts, Authorizer } from './policy/Authorizer.js';
import { resolve } from './router/resolve.js';
import { renderError } from './xml/shapes/Error.js';

export interface PipelineDeps {
  readonly operations: readonly AnyOperation[];
  readonly services: Services;
  readonly authenticate: Authenticate;
  readonly credentials: CredentialResolver;
  readonly authSettings: AuthSettings;
  readonly authorizer: Authorizer;
  readonly log: Logger;
  readonly clock: () => Date;
  /** Watches requests (metrics, audit): asked whether a DELETE's object tags should be noted before it goes. */
  readonly observer?: RequestObserver | undefined;
}

/** An object version's tags, or none when it is missing or a delete marker. */
async function tagsOf(services: Services, bucket: string, key: string, versionId: string | undefined): Promise<readonly Tag[]> {
  const found = await services.tags.getVersionTags(bucket, key, versionId);
  return found.status === 'ok' ? found.tags : [];
}

function targetOf(req: S3Request): 'service' | 'bucket' | 'object' {
  if (req.bucket === undefined) return 'service';
  return req.key === undefined ? 'bucket' : 'object';
}

/**
 * The stages every S3 request goes through (docs/request-lifecycle.md):
 * route → authenticate → load bucket → prepare (optional: read the body facts authorization needs) → authorize → handle.
 */
async function run(req: S3Request, deps: PipelineDeps, log: Logger): Promise<S3Response> {
  const resolution = resolve(deps.operations, {
    method: req.method,
    target: targetOf(req),
    query: req.query,
    headers: req.headers,
  });
  if (resolution.kind === 'not-implemented') {
    throw new S3Error('NotImplemented', { message: 'A header you provided implies functionality that is not implemented' });
  }
  if (resolution.kind === 'method-not-allowed') {
    throw new S3Error('MethodNotAllowed', { details: { Method: req.method, ResourceType: targetOf(req).toUpperCase() } });
  }
  const op = resolution.route;
  req.trace.operation = op.name;
  const now = deps.clock();
  const auth = await deps.authenticate(req, deps.credentials, deps.authSettings, now);
  req.trace.principal = auth.principal;
  let bucket: Bucket | undefined;
  if (req.bucket !== undefined && op.loadsBucket !== false) {
    bucket = await deps.services.buckets.get(req.bucket);
    if (bucket === undefined) throw new S3Error('NoSuchBucket', { details: { BucketName: req.bucket } });
    req.trace.bucket = bucket;
  }
  const authorize = (principal: Principal, actions: readonly ActionRequest[], facts?: AuthorizationFacts): Promise<void> =>
    deps.authorizer.authorize({ principal, actions, bucket, request: req, now, facts });
  // what authorization needs from the body (PutObjectTagging's tags) is read first; the handler reuses it
  const prepared = op.prepare === undefined ? undefined : await op.prepare(req, auth.body);
  // an operation that authenticates in its body (browser POST) authorizes in its handler, once it knows who sent it
  if (op.authenticatesInBody !== true) await authorize(auth.principal, op.actions(req), prepared?.facts);
  const inBodyAuth = op.authenticatesInBody === true ? { credentials: deps.credentials, settings: deps.authSettings, authorize } : undefined;
  const ctx: OperationContext<Bucket | undefined, unknown, InBodyAuthentication | undefined> = {
    request: req,
    principal: auth.principal,
    body: auth.body,
    bucket,
    services: deps.services,
    now,
    log,
    prepared: prepared?.value,
    inBodyAuth,
  };
  if (req.method === 'DELETE' && req.key !== undefined && bucket !== undefined && deps.observer !== undefined && (await deps.observer.wantsObjectTags(bucket))) {
    req.trace.tagsBefore = await tagsOf(deps.services, bucket.name, req.key, req.query.get('versionId'));
  }
  const response = await op.handle(ctx);
  if (log.isLevelEnabled('debug')) log.debug({ op: op.name, status: response.status }, 'request');
  return response;
}

function resourceOf(req: S3Request): string {
  if (req.bucket === undefined) return '/';
  return req.key === undefined ? `/${req.bucket}` : `/${req.bucket}/${req.key}`;
}

/** S3's errors: the S3Error catalogue, rendered as <Error> (no body for HEAD or 304). */
const S3_ERRORS: ApiErrors<S3Error> = {
  name: 'S3',
  own: (err) => (isS3Error(err) ? err : undefined),
  internal: () => new S3Error('InternalError'),
  render(error, req, res) {
    if (error.status === 304) return { status: 304, headers: error.headers };
    const body = renderError(error, resourceOf(req), req.id, res.getHeader('x-amz-id-2')?.toString() ?? '');
    return { status: error.status, headers: { ...error.headers, 'Content-Type': 'application/xml' }, body };
  },
};

/** Serve one S3 request end to end. Never throws: every failure becomes an S3 error response. */
export function serveS3(req: S3Request, res: ServerResponse, deps: PipelineDeps): Promise<void> {
  const log = deps.log.child({ requestId: req.id });
  return serveApi(req, res, S3_ERRORS, log, run(req, deps, log));
}
