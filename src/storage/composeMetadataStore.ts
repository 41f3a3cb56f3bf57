import type { StoreRoles } from '../core/CoreDeps.js';
import type { MemoryReads } from '../core/ports/MemoryReads.js';
import type { MetadataStore } from '../core/ports/MetadataStore.js';

/**
 * One MetadataStore made of role ports (each possibly a decorator, see storage/cache/), for the callers that take the
 * whole store: the composition root, workers, the authorizer and the contract suite. Every method forwards to its role;
 * `memory` is what the read caches in front of the roles can answer synchronously (withReadCaches), if any.
 */
export function composeMetadataStore(roles: StoreRoles, close: () => Promise<void>, memory?: MemoryReads): MetadataStore {
  return {
    memory,
    createAccount: (account) => roles.accounts.createAccount(account),
    getAccount: (accountId) => roles.accounts.getAccount(accountId),
    listAccounts: () => roles.accounts.listAccounts(),
    putAccessKey: (key) => roles.accounts.putAccessKey(key),
    getAccessKey: (accessKeyId) => roles.accounts.getAccessKey(accessKeyId),
    createBucket: (bucket) => roles.buckets.createBucket(bucket),
    getBucket: (name) => roles.buckets.getBucket(name),
    listBuckets: (ownerAccountId) => roles.buckets.listBuckets(ownerAccountId),
    setBucketVersioning: (name, state) => roles.buckets.setBucketVersioning(name, state),
    deleteBucket: (name) => roles.buckets.deleteBucket(name),
    getBucketTags: (name) => roles.buckets.getBucketTags(name),
    setBucketTags: (name, tags) => roles.buckets.setBucketTags(name, tags),
    getVersion: (bucket, key, versionId) => roles.versions.getVersion(bucket, key, versionId),
    putVersion: (version, options) => roles.versions.putVersion(version, options),
    deleteVersion: (bucket, key, versionId) => roles.versions.deleteVersion(bucket, key, versionId),
    listLatest: (bucket, query) => roles.versions.listLatest(bucket, query),
    listVersions: (bucket, query) => roles.versions.listVersions(bucket, query),
    getTags: (bucket, key, versionId) => roles.versions.getTags(bucket, key, versionId),
    getTagsOnly: (bucket, key, versionId) =>
      roles.versions.getTagsOnly !== undefined
        ? roles.versions.getTagsOnly(bucket, key, versionId)
        : roles.versions.getTags(bucket, key, versionId).then((found) => found?.tags),
    replaceTags: (bucket, key, versionId, tags) => roles.versions.replaceTags(bucket, key, versionId, tags),
    createUpload: (upload, acl) => roles.uploads.createUpload(upload, acl),
    getUpload: (bucket, key, uploadId) => roles.uploads.getUpload(bucket, key, uploadId),
    putPart: (part) => roles.uploads.putPart(part),
    listParts: (uploadId, query) => roles.uploads.listParts(uploadId, query),
    listUploads: (bucket, query) => roles.uploads.listUploads(bucket, query),
    completeUpload: (uploadId, version, options) => roles.uploads.completeUpload(uploadId, version, options),
    getCompletedUpload: (bucket, key, uploadId) => roles.uploads.getCompletedUpload(bucket, key, uploadId),
    abortUpload: (uploadId) => roles.uploads.abortUpload(uploadId),
    getUploadAcl: (uploadId) => roles.uploads.getUploadAcl(uploadId),
    takeReleasedBlobs: (limit) => roles.ledger.takeReleasedBlobs(limit),
    forgetReleasedBlobs: (blobIds) => roles.ledger.forgetReleasedBlobs(blobIds),
    isBlobReferenced: (blobId) => roles.ledger.isBlobReferenced(blobId),
    readInlineBlob: (blobId) => roles.ledger.readInlineBlob(blobId),
    getBucketAccess: (name, asOf) => roles.access.getBucketAccess(name, asOf),
    setBucketPolicy: (name, policy) => roles.access.setBucketPolicy(name, policy),
    setBucketAcl: (name, grants) => roles.access.setBucketAcl(name, grants),
    getObjectAcl: (bucket, key, versionId) => roles.access.getObjectAcl(bucket, key, versionId),
    setObjectAcl: (bucket, key, versionId, grants) => roles.access.setObjectAcl(bucket, key, versionId, grants),
    close,
  };
}
