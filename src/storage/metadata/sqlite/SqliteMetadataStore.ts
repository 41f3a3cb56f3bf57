import type { AccessKey, Account } from '../../../core/identity/Account.js';
import type { Bucket, VersioningState } from '../../../core/buckets/Bucket.js';
import type { MultipartUpload, UploadPart } from '../../../core/objects/MultipartUpload.js';
import type { NewObjectVersion, ObjectVersion } from '../../../core/objects/ObjectVersion.js';
import type { Tag } from '../../../core/tags/Tag.js';
import type { TaggedVersion, VersionWriteOptions } from '../../../core/ports/VersionStore.js';
import type { MetadataStore } from '../../../core/ports/MetadataStore.js';
import type { AclGrant } from '../../../core/access/AccessControlList.js';
import type { WriteSignal } from '../../cache/WriteSignal.js';
import { AccessRepo } from './AccessRepo.js';
import { AccountRepo } from './AccountRepo.js';
import { BlobLedger } from './BlobLedger.js';
import { BucketRepo } from './BucketRepo.js';
import type { GroupCommit } from './GroupCommit.js';
import type { IdentityRevision } from './IdentityRevision.js';
import { SqliteDatabase } from './SqliteDatabase.js';
import { UploadRepo } from './UploadRepo.js';
import { VersionRepo } from './VersionRepo.js';
import { toObjectVersion } from '../rows/versionRows.js';
import { settle } from './settle.js';

/** How long a completed upload is remembered for retried completions. */
const COMPLETION_MEMORY_MS = 24 * 60 * 60 * 1000;

export interface SqliteMetadataOptions {
  /** Directory holding `metadata.sqlite` (created if missing). */
  readonly dataDir: string;
}

/**
 * MetadataStore on one SQLite file (better-sqlite3, WAL, synchronous=NORMAL with the group commit's own WAL fsync:
 * see GroupCommit).
 *
 * Reads run synchronously on the connection and see committed data only. Writes go through a GroupCommit: those
 * arriving in the same event-loop turn share one durable transaction, each in its own savepoint. Nothing is cached
 * here: the composition root puts the read caches in front (storage/cache/withReadCaches, following `writeSignal`).
 */
export class SqliteMetadataStore implements MetadataStore {
  private readonly commits: GroupCommit;
  private readonly identity: IdentityRevision;
  private readonly accounts: AccountRepo;
  private readonly buckets: BucketRepo;
  private readonly versions: VersionRepo;
  private readonly uploads: UploadRepo;
  private readonly ledger: BlobLedger;
  private readonly access: AccessRepo;

  /**
   * A store on an open database (the composition root's, shared with the other SQLite stores). With `owned`, closing
   * the store closes the database too.
   */
  constructor(
    private readonly database: SqliteDatabase,
    private readonly owned = false,
  ) {
    const db = database.db;
    this.commits = database.commits;
    this.identity = database.identity;
    this.ledger = new BlobLedger(db);
    this.accounts = new AccountRepo(db);
    this.buckets = new BucketRepo(db);
    this.access = new AccessRepo(db);
    this.versions = new VersionRepo(db, this.ledger, this.access);
    this.uploads = new UploadRepo(db, this.ledger);
  }

  /** A store with its own database (tests, the accounts command): closing the store closes the file. */
  static async open(options: SqliteMetadataOptions): Promise<SqliteMetadataStore> {
    return new SqliteMetadataStore(await SqliteDatabase.open(options.dataDir), true);
  }

  /** See SqliteDatabase.writeSignal. */
  get writeSignal(): WriteSignal {
    return this.database.writeSignal;
  }

  /** Group commit counters (transactions, writes, largest batch), for metrics and tests. */
  get commitStats(): Readonly<GroupCommit['stats']> {
    return this.database.commitStats;
  }

  /** `PRAGMA integrity_check` plus foreign key check; an empty list means the file is sound. */
  checkIntegrity(): string[] {
    return this.database.checkIntegrity();
  }

  // ---- accounts and access keys ----

  createAccount(account: Account): Promise<'created' | 'exists'> {
    return this.write(() => {
      this.identity.bump();
      return this.accounts.create(account);
    });
  }

  getAccount(accountId: string): Promise<Account | undefined> {
    return settle(() => this.accounts.get(accountId));
  }

  listAccounts(): Promise<Account[]> {
    return settle(() => this.accounts.list());
  }

  putAccessKey(key: AccessKey): Promise<void> {
    return this.write(() => {
      this.identity.bump();
      this.accounts.putKey(key);
    });
  }

  getAccessKey(accessKeyId: string): Promise<AccessKey | undefined> {
    return settle(() => this.accounts.getKey(accessKeyId));
  }

  // ---- buckets ----

  createBucket(bucket: Bucket): Promise<'created' | 'exists'> {
    return this.write(() => this.buckets.create(bucket));
  }

  getBucket(name: string): Promise<Bucket | undefined> {
    return settle(() => this.buckets.get(name));
  }

  listBuckets(ownerAccountId?: string): Promise<Bucket[]> {
    return settle(() => this.buckets.list(ownerAccountId));
  }

  setBucketVersioning(name: string, state: VersioningState): Promise<'ok' | 'missing'> {
    return this.write(() => this.buckets.setVersioning(name, state));
  }

  deleteBucket(name: string): Promise<'deleted' | 'missing' | 'not-empty'> {
    return this.write(() => {
      if (this.buckets.get(name) === undefined) return 'missing';
      if (this.versions.bucketHasVersions(name)) return 'not-empty';
      // as on AWS, uploads still in progress do not keep a bucket alive: they are aborted with it
      this.uploads.removeAllInBucket(name);
      this.buckets.delete(name);
      return 'deleted';
    });
  }

  getBucketTags(name: string): Promise<Tag[] | undefined> {
    return settle(() => this.buckets.getTags(name));
  }

  setBucketTags(name: string, tags: readonly Tag[] | undefined): Promise<'ok' | 'missing'> {
    return this.write(() => this.buckets.setTags(name, tags));
  }

  // ---- object versions ----

  getVersion(bucket: string, key: string, versionId?: string): Promise<ObjectVersion | undefined> {
    return settle(() => {
      const row = this.versions.find(bucket, key, versionId);
      return row === undefined ? undefined : toObjectVersion(row);
    });
  }

  putVersion(version: NewObjectVersion, options: VersionWriteOptions): Promise<ObjectVersion> {
    return this.write(() => {
      this.expectLatest(version, options);
      return this.versions.insert(version, options.replaceNull);
    }, version);
  }

  /** A conditional write's precondition, on the key's latest version, inside the write (VersionWriteOptions.expect). */
  private expectLatest(version: NewObjectVersion, options: VersionWriteOptions): void {
    if (options.expect === undefined) return;
    const latest = this.versions.find(version.bucket, version.key);
    options.expect(latest === undefined ? undefined : toObjectVersion(latest));
  }

  deleteVersion(bucket: string, key: string, versionId: string): Promise<ObjectVersion | undefined> {
    return this.write(() => this.versions.remove(bucket, key, versionId), { bucket, key });
  }

  listLatest(
    bucket: string,
    query: { prefix: string; after?: string; limit: number },
  ): Promise<ObjectVersion[]> {
    return settle(() => this.versions.listLatest(bucket, query.prefix, query.after, query.limit));
  }

  listVersions(
    bucket: string,
    query: { prefix: string; after?: { key: string; afterSeq?: number }; limit: number },
  ): Promise<ObjectVersion[]> {
    return settle(() => this.versions.listVersions(bucket, query.prefix, query.after, query.limit));
  }

  // ---- object tags ----

  getTags(
    bucket: string,
    key: string,
    versionId?: string,
  ): Promise<{ version: ObjectVersion; tags: Tag[] } | undefined> {
    return settle(() => {
      const row = this.versions.find(bucket, key, versionId);
      if (row === undefined) return undefined;
      return { version: toObjectVersion(row), tags: this.versions.tagsOf(row.id) };
    });
  }

  getTagsOnly(bucket: string, key: string, versionId?: string): Promise<readonly Tag[] | undefined> {
    // the tags without the version row (its id only): what the authorizer needs, also right after a write
    return settle(() => {
      const target = this.versions.findTagTarget(bucket, key, versionId);
      return target === undefined ? undefined : this.versions.tagsOf(target.id);
    });
  }

  replaceTags(
    bucket: string,
    key: string,
    versionId: string | undefined,
    tags: readonly Tag[],
  ): Promise<
    { status: 'ok'; version: TaggedVersion } | { status: 'missing' } | { status: 'delete-marker'; version: TaggedVersion }
  > {
    return this.write(() => {
      // the columns a tag write needs, not the whole row (its JSON columns, parsed into a version nobody reads)
      const target = this.versions.findTagTarget(bucket, key, versionId);
      if (target === undefined) return { status: 'missing' as const };
      if (target.is_delete_marker === 1) return { status: 'delete-marker' as const, version: { versionId: target.version_id, tagCount: 0 } };
      return { status: 'ok' as const, version: this.versions.replaceTags(bucket, target, tags) };
    }, { bucket, key });
  }

  // ---- multipart uploads ----

  createUpload(upload: MultipartUpload, acl?: readonly AclGrant[]): Promise<void> {
    return this.write(() => {
      this.uploads.create(upload);
      if (acl !== undefined) this.access.setUploadAcl(upload.uploadId, acl);
    });
  }

  getUpload(bucket: string, key: string, uploadId: string): Promise<MultipartUpload | undefined> {
    return settle(() => {
      const upload = this.uploads.get(uploadId);
      return upload !== undefined && upload.bucket === bucket && upload.key === key ? upload : undefined;
    });
  }

  putPart(part: UploadPart): Promise<'ok' | 'no-upload'> {
    return this.write(() => this.uploads.putPart(part));
  }

  listParts(uploadId: string, query: { afterPartNumber: number; limit: number }): Promise<UploadPart[]> {
    return settle(() => this.uploads.listParts(uploadId, query.afterPartNumber, query.limit));
  }

  listUploads(
    bucket: string,
    query: { prefix: string; keyMarker?: string; uploadIdMarker?: string; limit: number },
  ): Promise<MultipartUpload[]> {
    return settle(() => this.uploads.list(bucket, query.prefix, query.keyMarker, query.uploadIdMarker, query.limit));
  }

  completeUpload(
    uploadId: string,
    version: NewObjectVersion,
    options: VersionWriteOptions,
  ): Promise<{ status: 'ok'; version: ObjectVersion } | { status: 'no-upload' }> {
    return this.write(() => {
      const upload = this.uploads.get(uploadId);
      if (upload === undefined) return { status: 'no-upload' as const };
      this.expectLatest(version, options);
      if (upload.bucket !== version.bucket || upload.key !== version.key) {
        throw new Error(`upload ${uploadId} belongs to ${upload.bucket}/${upload.key}, not ${version.bucket}/${version.key}`);
      }
      // the ACL asked for at CreateMultipartUpload (read before the upload's rows go) commits with the version
      const acl = version.acl ?? this.access.uploadAcl(uploadId);
      this.uploads.remove(uploadId, new Set(version.segments.map((s) => s.blobId)));
      const inserted = this.versions.insert(acl === undefined ? version : { ...version, acl }, options.replaceNull);
      this.uploads.recordCompletion(uploadId, version.bucket, version.key, inserted.versionId, Date.now(), COMPLETION_MEMORY_MS);
      return { status: 'ok' as const, version: inserted };
    }, version);
  }

  getCompletedUpload(bucket: string, key: string, uploadId: string): Promise<ObjectVersion | undefined> {
    return settle(() => {
      const versionId = this.uploads.completion(bucket, key, uploadId);
      const row = versionId === undefined ? undefined : this.versions.find(bucket, key, versionId);
      return row === undefined ? undefined : toObjectVersion(row);
    });
  }

  abortUpload(uploadId: string): Promise<boolean> {
    return this.write(() => this.uploads.remove(uploadId));
  }

  // ---- access control ----

  getBucketAccess(name: string): Promise<{ policy: string | undefined; acl: AclGrant[] | undefined }> {
    return settle(() => this.access.bucketAccess(name));
  }

  setBucketPolicy(name: string, policy: string | undefined): Promise<'ok' | 'missing'> {
    return this.write(() => {
      if (this.buckets.get(name) === undefined) return 'missing';
      this.access.setPolicy(name, policy);
      return 'ok';
    });
  }

  setBucketAcl(name: string, grants: readonly AclGrant[] | undefined): Promise<'ok' | 'missing'> {
    return this.write(() => {
      if (this.buckets.get(name) === undefined) return 'missing';
      this.access.setAcl(name, grants);
      return 'ok';
    });
  }

  getObjectAcl(
    bucket: string,
    key: string,
    versionId?: string,
  ): Promise<{ version: ObjectVersion; acl: AclGrant[] | undefined } | undefined> {
    return settle(() => {
      const row = this.versions.find(bucket, key, versionId);
      if (row === undefined) return undefined;
      return { version: toObjectVersion(row), acl: this.access.objectAcl(row.id) };
    });
  }

  setObjectAcl(
    bucket: string,
    key: string,
    versionId: string | undefined,
    grants: readonly AclGrant[] | undefined,
  ): Promise<
    { status: 'ok'; version: ObjectVersion } | { status: 'missing' } | { status: 'delete-marker'; version: ObjectVersion }
  > {
    return this.write(() => {
      const row = this.versions.find(bucket, key, versionId);
      if (row === undefined) return { status: 'missing' as const };
      if (row.is_delete_marker === 1) return { status: 'delete-marker' as const, version: toObjectVersion(row) };
      this.access.setObjectAcl(row.id, grants);
      return { status: 'ok' as const, version: toObjectVersion(row) };
    }, { bucket, key });
  }

  getUploadAcl(uploadId: string): Promise<AclGrant[] | undefined> {
    return settle(() => this.access.uploadAcl(uploadId));
  }

  // ---- released blobs ----

  takeReleasedBlobs(limit: number): Promise<string[]> {
    return settle(() => this.ledger.take(limit));
  }

  forgetReleasedBlobs(blobIds: readonly string[]): Promise<void> {
    if (blobIds.length === 0) return Promise.resolve();
    return this.write(() => this.ledger.forget(blobIds));
  }

  isBlobReferenced(blobId: string): Promise<boolean> {
    return settle(() => this.ledger.isReferenced(blobId));
  }

  readInlineBlob(blobId: string): Promise<Buffer | undefined> {
    return settle(() => this.ledger.readInline(blobId));
  }

  /** Closes the database when the store owns it (see `open`); a shared one is closed by whoever opened it. */
  async close(): Promise<void> {
    if (this.owned) await this.database.close();
  }

  /**
   * A write through the group commit. `written`: the one object key it changes, when that is all a read cache could
   * see change (GroupCommit.run): the caches then forget that key only.
   */
  private write<T>(work: () => T, written?: { readonly bucket: string; readonly key: string }): Promise<T> {
    return this.commits.run(work, written === undefined ? undefined : { bucket: written.bucket, key: written.key });
  }
}
