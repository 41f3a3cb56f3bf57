import type { AclGrant } from '../../core/access/AccessControlList.js';
import type { Bucket } from '../../core/buckets/Bucket.js';
import type { Principal } from '../../core/identity/Principal.js';
import type { ObjectVersion } from '../../core/objects/ObjectVersion.js';
import type { Tag } from '../../core/tags/Tag.js';
import type { MetadataStore } from '../../core/ports/MetadataStore.js';
import type { Logger } from 'pino';
import { S3Error } from '../../errors/S3Error.js';
import type { ActionRequest } from './Authorizer.js';
import { aclGrants, aclPermissionFor } from './aclPermissions.js';
import type { AuthorizationRequest, Authorizer } from './Authorizer.js';
import type { Decision, Policy } from '../../policy/engine/index.js';
import type { IdentityPolicySource } from '../../policy/IdentityPolicySource.js';
import { authorizeIdentity } from '../../policy/authorizeIdentity.js';
import { CompiledPolicies, parseStored } from '../../policy/CompiledPolicies.js';
import type { RequestFacts } from '../../policy/RequestFacts.js';
import { requestFactsOf } from '../../http/requestFacts.js';
import { s3ConditionsOf } from './requestContext.js';
import { isObjectRead, parseS3Arn } from './s3Arn.js';
import { createMemoryDecider } from './decideInMemory.js';

/** The outcome for one action: an explicit Deny is told apart (no ACL, no missing-object answer overrides it). */
type Verdict = 'allow' | 'deny' | 'explicit-deny';

/** The addressed version of a GET or HEAD, as the existing-tag conditions read it (`looked`: they did). */
interface AddressedRead {
  looked: boolean;
  version: ObjectVersion | undefined;
}

function tagsOf(found: { readonly tags: readonly Tag[] } | undefined): readonly Tag[] | undefined {
  return found?.tags;
}

function orNone(tags: readonly Tag[] | undefined): readonly Tag[] {
  return tags ?? [];
}

/** What the authorizer reads: buckets, bucket policies and ACLs, object ACLs and tags (through the read caches). */
export type AuthorizerStores = Pick<
  MetadataStore,
  'getBucket' | 'getBucketAccess' | 'getBucketTags' | 'getObjectAcl' | 'getTags' | 'getTagsOnly' | 'getVersion' | 'memory'
>;

/** What the authorizer is built from: the stores it reads and a logger. */
export interface S3AuthorizerDeps {
  readonly metadata: AuthorizerStores;
  readonly log?: Logger;
}

/**
 * The S3 authorizer (docs/access-control.md). For every action a request needs, on its resource:
 *
 * 1. the policy engine decides on the principal's identity policies and the bucket policy of the bucket concerned
 *    (for CopyObject's source, the source bucket's): explicit Deny wins; the owner's root user is allowed (and never
 *    locked out of the bucket policy); same account: identity OR bucket policy; across accounts: both; anonymous:
 *    bucket policy only;
 * 2. on an implicit deny, the ACL (the bucket's, or the addressed object version's) may still grant the action: a
 *    group grant (AllUsers, AuthenticatedUsers) or a grant to the principal's account stands in for the bucket
 *    policy. The principal's own side must still allow: anonymous and root users need nothing more; an IAM user
 *    needs its identity policy to allow unless a group grant applies in its own account.
 *
 * Every denial is AccessDenied. Nothing is loaded that no decision needs: existing object tags only when a
 * statement conditions on them, object ACLs only on an implicit deny of an action an ACL can grant.
 */
export function createAuthorizer(deps: S3AuthorizerDeps, identityPolicies: IdentityPolicySource): Authorizer {
  const { metadata, log } = deps;
  const compiled = new CompiledPolicies(identityPolicies, log);
  const inMemory = metadata.memory === undefined ? undefined : createMemoryDecider(metadata.memory, compiled, log);

  /** The tags of an existing version (undefined: no such version), as cheaply as the store can tell. */
  function existingTags(bucket: string, key: string, versionId: string | undefined): Promise<readonly Tag[] | undefined> {
    if (metadata.getTagsOnly !== undefined) return metadata.getTagsOnly(bucket, key, versionId);
    return metadata.getTags(bucket, key, versionId).then(tagsOf);
  }

  /**
   * The loader of `s3:ExistingObjectTag/…` for the addressed version. With `read` (a GET or HEAD the 404/403 rule
   * judges): the version and its tags in one lookup, the version kept for the rule, which then need not read it again.
   */
  function tagLoader(bucket: string, key: string, versionId: string | undefined, read: AddressedRead | undefined): () => Promise<readonly Tag[]> {
    if (read === undefined) return () => existingTags(bucket, key, versionId).then(orNone);
    return () =>
      metadata.getTags(bucket, key, versionId).then((found) => {
        read.version = found?.version;
        read.looked = true;
        return found?.tags ?? [];
      });
  }

  /**
   * The bucket a resource ARN names: the addressed one as the pipeline loaded it — not at all for operations that do
   * not load it (CreateBucket acts on a bucket that is not there yet: an existing one is the handler's
   * BucketAlreadyExists, never AccessDenied) — or another (a copy source), read here.
   */
  async function bucketOf(name: string, request: AuthorizationRequest): Promise<Bucket | undefined> {
    if (name === request.request.bucket) return request.bucket;
    return metadata.getBucket(name);
  }

  async function aclAllows(
    request: AuthorizationRequest,
    principal: Principal,
    action: ActionRequest,
    target: { bucket: Bucket; key: string | undefined; versionId: string | undefined },
    bucketAcl: readonly AclGrant[] | undefined,
    decision: Decision,
  ): Promise<boolean> {
    // the ACL and tags set while creating an object (x-amz-acl / x-amz-tagging on PutObject, PostObject's acl and
    // tagging fields, …) are part of the write: the bucket's WRITE permission covers them in S3's ACL model, which
    // knows no tagging permission; PutObjectAcl proper (?acl) needs WRITE_ACP, PutObjectTagging proper (?tagging) a policy
    const lower = action.action.toLowerCase();
    const creating =
      (lower === 's3:putobjectacl' && !request.request.query.has('acl')) ||
      (lower === 's3:putobjecttagging' && !request.request.query.has('tagging'));
    const needed = creating ? { acl: 'bucket' as const, permission: 'WRITE' as const } : aclPermissionFor(action.action);
    if (needed === undefined) return false;
    let grants: readonly AclGrant[];
    if (needed.acl === 'bucket') {
      grants = bucketAcl ?? [];
    } else {
      if (target.key === undefined) return false;
      const found = await metadata.getObjectAcl(target.bucket.name, target.key, target.versionId);
      if (found === undefined) return false;
      // the default object ACL: the object's owner has FULL_CONTROL
      grants = found.acl ?? [];
      if (found.acl === undefined && principal.kind === 'user' && found.version.ownerAccountId === principal.accountId) {
        return principal.isRoot || decision.missing === 'resource';
      }
    }
    const how = aclGrants(grants, principal, needed.permission);
    if (how === undefined) return false;
    if (principal.kind === 'anonymous' || principal.isRoot) return true;
    const sameAccount = principal.accountId === target.bucket.ownerAccountId;
    if (how === 'group' && sameAccount) return true;
    // an IAM user: its account's grant (or a group grant across accounts) still needs its own identity Allow
    return decision.missing === 'resource';
  }

  async function authorizeOne(
    request: AuthorizationRequest,
    action: ActionRequest,
    identity: () => Promise<readonly Policy[]>,
    facts: RequestFacts,
    prefix?: string,
    read?: AddressedRead,
  ): Promise<Verdict> {
    const { principal, request: req } = request;
    const target = parseS3Arn(action.resource);
    if (target === undefined) {
      // service-level actions (ListAllMyBuckets): signed principals of the account; IAM users need an identity Allow
      if (principal.kind !== 'user') return 'deny';
      if (principal.isRoot) return 'allow';
      const conditions = s3ConditionsOf({ request: req, facts: request.facts, resourceAccount: undefined, existingObjectTags: undefined, bucketTags: undefined });
      const decision = await authorizeIdentity({ principal, action: action.action, resource: action.resource, facts, conditions, identityPolicies: await identity() });
      return decision.effect === 'Allow' ? 'allow' : 'deny';
    }
    const bucket = target.bucket === req.bucket ? request.bucket : await bucketOf(target.bucket, request);
    if (bucket === undefined) {
      // a bucket that does not exist (CreateBucket, a copy source that is gone): the account acts on its own behalf
      if (principal.kind !== 'user') return 'deny';
      if (principal.isRoot) return 'allow';
      const conditions = s3ConditionsOf({ request: req, facts: request.facts, resourceAccount: principal.accountId, existingObjectTags: undefined, bucketTags: undefined });
      const decision = await authorizeIdentity({
        principal,
        action: action.action,
        resource: action.resource,
        resourceOwnerAccountId: principal.accountId,
        facts,
        conditions,
        identityPolicies: await identity(),
      });
      return decision.effect === 'Allow' ? 'allow' : 'deny';
    }
    const access = await metadata.getBucketAccess(bucket.name, bucket);
    const ownerRoot = principal.kind === 'user' && principal.isRoot && principal.accountId === bucket.ownerAccountId;
    if (ownerRoot && access.policy === undefined) return 'allow';
    const resourcePolicy = access.policy === undefined ? undefined : parseStored(access.policy, 'resource', bucket.name, log);
    // the addressed object (not a copy source) offers its existing tags; the version is the one the request names
    const addressed = req.bucket === bucket.name && target.key !== undefined && target.key === req.key;
    const versionId = addressed ? req.query.get('versionId') : undefined;
    const existingObjectTags = addressed && target.key !== undefined ? tagLoader(bucket.name, target.key, versionId, read) : undefined;
    const conditions = s3ConditionsOf({
      request: req,
      facts: request.facts,
      resourceAccount: bucket.ownerAccountId,
      existingObjectTags,
      bucketTags: async () => (await metadata.getBucketTags(bucket.name)) ?? [],
      prefix,
    });
    const decision = await authorizeIdentity({
      principal,
      action: action.action,
      resource: action.resource,
      resourceOwnerAccountId: bucket.ownerAccountId,
      facts,
      conditions,
      identityPolicies: await identity(),
      resourcePolicy,
    });
    if (decision.effect === 'Allow') return 'allow';
    if (decision.reason === 'ExplicitDeny') return 'explicit-deny';
    return (await aclAllows(request, principal, action, { bucket, key: target.key, versionId }, access.acl, decision)) ? 'allow' : 'deny';
  }

  /**
   * Reading an object that does not exist: AWS answers 404 only to a caller that may list the bucket (s3:ListBucket,
   * with s3:prefix = the key), and 403 to anyone else — whether or not s3:GetObject is allowed — so that existence
   * does not leak. Returns undefined when the rule does not apply (not a read of the addressed object, the owner's
   * root user, or the object exists), else whether the request may go on to the handler's 404.
   */
  async function missingObjectRead(
    request: AuthorizationRequest,
    action: ActionRequest,
    identity: () => Promise<readonly Policy[]>,
    facts: RequestFacts,
  ): Promise<boolean | undefined> {
    const { request: req, principal, bucket } = request;
    if (!isObjectRead(action.action, req.method)) return undefined;
    if (bucket === undefined || req.key === undefined) return undefined;
    if (action.resource !== `arn:aws:s3:::${bucket.name}/${req.key}`) return undefined;
    if (principal.kind === 'user' && principal.isRoot && principal.accountId === bucket.ownerAccountId) return undefined;
    const read: AddressedRead = { looked: false, version: undefined };
    const verdict = await authorizeOne(request, action, identity, facts, undefined, read);
    if (verdict === 'explicit-deny') return false;
    const versionId = req.query.get('versionId');
    // the version the existing-tag conditions read, when they did (the same lookup: same bucket, key and version id)
    const version = read.looked ? read.version : await metadata.getVersion(bucket.name, req.key, versionId);
    if (version !== undefined && (versionId !== undefined || !version.isDeleteMarker)) return verdict === 'allow';
    return (await authorizeOne(request, { action: 's3:ListBucket', resource: `arn:aws:s3:::${bucket.name}` }, identity, facts, req.key)) === 'allow';
  }

  function denied(request: AuthorizationRequest, action: ActionRequest): S3Error {
    log?.debug({ action: action.action, resource: action.resource, principal: request.principal.kind === 'user' ? request.principal.arn : 'anonymous' }, 'access denied');
    return new S3Error('AccessDenied');
  }

  /** The actions from `from` on, each decided by the full path (from the stores, loading only what it needs). */
  async function authorizeFrom(request: AuthorizationRequest, facts: RequestFacts, from: number): Promise<void> {
    let identity: Promise<readonly Policy[]> | undefined;
    const identityOnce = (): Promise<readonly Policy[]> => (identity ??= compiled.of(request.principal));
    for (let i = from; i < request.actions.length; i++) {
      const action = request.actions[i] as ActionRequest;
      const tagged = action.onlyIfTagged;
      if (tagged !== undefined && ((await existingTags(tagged.bucket, tagged.key, tagged.versionId))?.length ?? 0) === 0) continue;
      const allowed = (await missingObjectRead(request, action, identityOnce, facts)) ?? (await authorizeOne(request, action, identityOnce, facts)) === 'allow';
      if (!allowed) throw denied(request, action);
    }
  }

  return {
    authorize(request) {
      const facts = requestFactsOf(request.request, request.now);
      // each action decided from memory while it can be (no promise in between), the rest by the full path
      let i = 0;
      if (inMemory !== undefined) {
        try {
          for (; i < request.actions.length; i++) {
            const action = request.actions[i] as ActionRequest;
            const allowed = inMemory(request, action, facts);
            if (allowed === undefined) break;
            if (!allowed) return Promise.reject(denied(request, action));
          }
        } catch (err) {
          return Promise.reject(err instanceof Error ? err : new Error(String(err)));
        }
        if (i === request.actions.length) return DONE;
      }
      return authorizeFrom(request, facts, i);
    },
  };
}

const DONE: Promise<void> = Promise.resolve();
