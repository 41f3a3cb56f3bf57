import type { Logger } from 'pino';
import type { MemoryReads } from '../../core/ports/MemoryReads.js';
import type { ObjectVersion } from '../../core/objects/ObjectVersion.js';
import type { Tag } from '../../core/tags/Tag.js';
import { authorizeIdentityNow } from '../../policy/authorizeIdentity.js';
import { parseStored, type CompiledPolicies } from '../../policy/CompiledPolicies.js';
import type { TagSource } from '../../policy/engine/index.js';
import type { RequestFacts } from '../../policy/RequestFacts.js';
import type { ActionRequest, AuthorizationRequest } from './Authorizer.js';
import { s3ConditionsOf } from './requestContext.js';
import { arnWithin, isObjectRead } from './s3Arn.js';

/**
 * One action's decision from what the store and the identity source hold in memory: true (allowed), false (an
 * explicit Deny), or undefined — "ask the full path" — whenever anything is not in memory or the answer would need
 * more than the policies: an ACL (an implicit deny), the 404-or-403 rule of a missing object, a lazily loaded key
 * (bucket tags), a resource other than the addressed bucket. The full path (createS3Authorizer) then decides from
 * scratch, so this path only ever answers what that one would, without a promise in between: most requests of a
 * policy-governed user are an Allow read from the caches.
 */
export type MemoryDecider = (request: AuthorizationRequest, action: ActionRequest, facts: RequestFacts) => boolean | undefined;

export function createMemoryDecider(memory: MemoryReads, compiled: CompiledPolicies, log: Logger | undefined): MemoryDecider {
  return (request, action, facts) => {
    const { principal, request: req, bucket } = request;
    if (action.onlyIfTagged !== undefined || bucket === undefined || bucket.name !== req.bucket) return undefined;
    const target = arnWithin(action.resource, bucket.name, req.key);
    if (target === 'elsewhere') return undefined;
    const access = memory.bucketAccess(bucket.name);
    if (access === null) return undefined;
    const ownerRoot = principal.kind === 'user' && principal.isRoot && principal.accountId === bucket.ownerAccountId;
    if (ownerRoot && access.policy === undefined) return true;
    const identityPolicies = compiled.inMemory(principal);
    if (identityPolicies === null) return undefined;
    const addressed = target === 'object';
    const key = req.key;
    const versionId = addressed ? req.query.get('versionId') : undefined;
    const read = addressed && !ownerRoot && isObjectRead(action.action, req.method);
    // the addressed version's tags, which the existing-tag conditions read; for a read, with the version, which the
    // missing-object rule reads (the full path's lookups: getTags for a read, getTagsOnly otherwise). When only the
    // version is remembered (a policy without tag conditions never made the full path read tags), its tag count
    // still tells an untagged version; other tags are "not in memory", which only a tag condition would ask for.
    let version: ObjectVersion | undefined;
    let existingObjectTags: TagSource | undefined;
    if (addressed && key !== undefined) {
      if (read) {
        const found = memory.versionTags(bucket.name, key, versionId);
        if (found !== null) {
          version = found?.version;
          existingObjectTags = found?.tags ?? NO_TAGS;
        }
      } else {
        const tags = memory.tagsOnly(bucket.name, key, versionId);
        if (tags !== null) existingObjectTags = tags ?? NO_TAGS;
      }
      if (existingObjectTags === undefined) {
        const known = memory.version(bucket.name, key, versionId);
        if (known === null) return undefined;
        version = known;
        existingObjectTags = known === undefined || known.tagCount === 0 ? NO_TAGS : NOT_IN_MEMORY;
      }
    }
    const conditions = s3ConditionsOf({
      request: req,
      facts: request.facts,
      resourceAccount: bucket.ownerAccountId,
      existingObjectTags,
      // a loader: a condition on bucket tags leaves the decision to the full path
      bucketTags: NOT_IN_MEMORY,
    });
    const resourcePolicy = access.policy === undefined ? undefined : parseStored(access.policy, 'resource', bucket.name, log);
    const asked = { principal, action: action.action, resource: action.resource, resourceOwnerAccountId: bucket.ownerAccountId, facts, conditions, identityPolicies, resourcePolicy };
    const verdict = authorizeIdentityNow(asked);
    if (verdict === 'explicit-deny') return false;
    // undefined (waits on a lazy key) or an implicit deny (an ACL may still allow): the full path decides
    if (verdict !== 'allow') return undefined;
    // a read of the addressed object is allowed only if the version is there (else: 404 or 403, the full path's rule)
    if (read) {
      return version !== undefined && (versionId !== undefined || !version.isDeleteMarker) ? true : undefined;
    }
    return true;
  };
}

const NO_TAGS: readonly Tag[] = Object.freeze([]);

/** A lazy source the in-memory path never loads. */
const NOT_IN_MEMORY = (): Promise<readonly Tag[]> => Promise.reject(new Error('not in memory'));
