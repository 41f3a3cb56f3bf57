import type { AclGrant } from '../../../core/access/AccessControlList.js';
import { bucketGeneration, type Bucket, type VersioningState } from '../../../core/buckets/Bucket.js';
import type { AccessKey, Account } from '../../../core/identity/Account.js';
import type { MultipartUpload, UploadPart } from '../../../core/objects/MultipartUpload.js';
import type { NewObjectVersion, ObjectVersion } from '../../../core/objects/ObjectVersion.js';
import type { MetadataStore } from '../../../core/ports/MetadataStore.js';
import type { VersionWriteOptions } from '../../../core/ports/VersionStore.js';
import type { Tag } from '../../../core/tags/Tag.js';
import { toObjectVersion, type VersionRow } from '../rows/versionRows.js';
import { AccessRepo } from './AccessRepo.js';
import { AccountRepo } from './AccountRepo.js';
import { BlobLedger } from './BlobLedger.js';
import { BucketAccessMemo } from './BucketAccessMemo.js';
import { BucketRepo } from './BucketRepo.js';
import { refuseNulText } from './nulText.js';
import { PostgresDatabase, sqlState, type TransactionOptions } from './PostgresDatabase.js';
import { PartRace, UploadRepo } from './UploadRepo.js';
import { VersionRepo, isVersionRace, pairsToTags, type TagPairs } from './VersionRepo.js';
import {
  SELECT_BY_VERSION_ID_WITH_ACL,
  SELECT_BY_VERSION_ID_WITH_TAGS,
  SELECT_LATEST_TAGS,
  SELECT_LATEST_WITH_ACL,
  SELECT_LATEST_WITH_TAGS,
  SELECT_TAGS_BY_VERSION_ID,
} from './versionSql.js';
import { VERSION_COLUMNS } from '../rows/versionRows.js';

/** How long a completed upload is remembered for retried completions. */
const COMPLETION_MEMORY_MS = 24 * 60 * 60 * 1000;

const VERSION_WRITE: TransactionOptions = { retryOn: isVersionRace };

type TagWriteResult =
  | { status: 'ok'; version: ObjectVersion }
  | { status: 'missing' }
  | { status: 'delete-marker'; version: ObjectVersion };

/**
 * MetadataStore on PostgreSQL, for several Tessera nodes sharing one database (TESSERA_METADATA_URL).
 *
 * Reads are single statements on the pool (each its own snapshot; a version read with its tags or ACL is one
 * statement). Every write is a single statement or one transaction of PostgresDatabase (READ COMMITTED, re-run
 * after a serialization failure or deadlock). Writers of one key take turns: a per-key advisory lock, then the
 * latest row's lock (see VersionRepo); a PUT or tag write whose key nobody else is writing is one statement.
 * Object writes only share-lock their bucket row (the foreign key's check), which DeleteBucket locks exclusively.
 * Nothing is cached in memory: what one node writes, every node reads at once.
 */
export class PostgresMetadataStore implements MetadataStore {
  private readonly accounts = new AccountRepo();
  private readonly buckets = new BucketRepo();
  private readonly versions = new VersionRepo();
  private readonly uploads = new UploadRepo();
  private readonly ledger = new BlobLedger();
  private readonly access = new AccessRepo();
  /** The policy and ACL each bucket read saw, by bucket generation (see BucketAccessMemo). */
  private readonly accessSeen = new BucketAccessMemo();

  /** A store on an open database (the composition root's, shared with the other PostgreSQL stores). */
  constructor(
    readonly database: PostgresDatabase,
    private readonly owned = false,
    /**
     * Try a PUT or a tag write as one statement before its transaction (VersionRepo.insertAtOnce,
     * replaceTagsAtOnce); off: always the transaction.
     */
    private readonly oneStatementWrites = true,
  ) {}

  /** A store with its own pool (tests, tools): closing the store closes the pool. */
  static async open(url: string, options: { readonly oneStatementWrites?: boolean } = {}): Promise<PostgresMetadataStore> {
    return new PostgresMetadataStore(await PostgresDatabase.open(url), true, options.oneStatementWrites ?? true);
  }

  // ---- accounts and access keys ----

  createAccount(account: Account): Promise<'created' | 'exists'> {
    return this.run(() => this.accounts.create(this.database, account));
  }

  getAccount(accountId: string): Promise<Account | undefined> {
    return this.run(() => this.accounts.get(this.database, accountId));
  }

  listAccounts(): Promise<Account[]> {
    return this.run(() => this.accounts.list(this.database));
  }

  putAccessKey(key: AccessKey): Promise<void> {
    return this.run(() => this.accounts.putKey(this.database, key));
  }

  getAccessKey(accessKeyId: string): Promise<AccessKey | undefined> {
    return this.run(() => this.accounts.getKey(this.database, accessKeyId));
  }

  // ---- buckets ----

  createBucket(bucket: Bucket): Promise<'created' | 'exists'> {
    return this.run(() => this.buckets.create(this.database, bucket));
  }

  getBucket(name: string): Promise<Bucket | undefined> {
    return this.run(async () => {
      const found = await this.buckets.getWithAccess(this.database, name);
      if (found === undefined) return undefined;
      this.accessSeen.remember(name, bucketGeneration(found.bucket), found.access);
      return found.bucket;
    });
  }

  listBuckets(ownerAccountId?: string): Promise<Bucket[]> {
    return this.run(() => this.buckets.list(this.database, ownerAccountId));
  }

  setBucketVersioning(name: string, state: VersioningState): Promise<'ok' | 'missing'> {
    return this.run(() => this.buckets.setVersioning(this.database, name, state));
  }

  deleteBucket(name: string): Promise<'deleted' | 'missing' | 'not-empty'> {
    return this.run(() =>
      this.database.transaction(async (tx) => {
        // exclusive: object writes share-lock the row (foreign keys), so those in flight finish first and later
        // ones wait, then find the bucket gone
        if (!(await this.buckets.lockForDelete(tx, name))) return 'missing';
        if (await this.versions.bucketHasVersions(tx, name)) return 'not-empty';
        // as on AWS, uploads still in progress do not keep a bucket alive: they are aborted with it
        await this.uploads.removeAllInBucket(tx, name);
        await this.buckets.delete(tx, name);
        return 'deleted';
      }),
    );
  }

  getBucketTags(name: string): Promise<Tag[] | undefined> {
    return this.run(() => this.buckets.getTags(this.database, name));
  }

  setBucketTags(name: string, tags: readonly Tag[] | undefined): Promise<'ok' | 'missing'> {
    return this.run(() => this.buckets.setTags(this.database, name, tags));
  }

  // ---- object versions ----

  getVersion(bucket: string, key: string, versionId?: string): Promise<ObjectVersion | undefined> {
    return this.run(async () => {
      const row = await this.versions.find(this.database, bucket, key, versionId);
      return row === undefined ? undefined : toObjectVersion(row);
    });
  }

  putVersion(version: NewObjectVersion, options: VersionWriteOptions): Promise<ObjectVersion> {
    return this.run(async () => {
      // the usual write is one statement; a conditional write, a contended key, tags to replace or a null version
      // below the latest take the transaction
      const done =
        this.oneStatementWrites && options.expect === undefined
          ? await this.versions.insertAtOnce(this.database, version, options.replaceNull)
          : undefined;
      if (done !== undefined) {
        this.database.committedStatement();
        return done;
      }
      return this.database.transaction(async (tx) => {
        const latest = await this.versions.lockLatest(tx, version.bucket, version.key);
        options.expect?.(latest === undefined ? undefined : toObjectVersion(latest));
        return this.versions.insert(tx, version, options.replaceNull, latest);
      }, VERSION_WRITE);
    });
  }

  deleteVersion(bucket: string, key: string, versionId: string): Promise<ObjectVersion | undefined> {
    return this.run(() =>
      this.database.transaction(async (tx) => {
        // the key's lock (the latest's row lock too: the removal may promote another version)
        await this.versions.lockLatest(tx, bucket, key);
        const removed = await this.versions.remove(tx, bucket, key, versionId);
        return removed === undefined ? undefined : toObjectVersion(removed);
      }),
    );
  }

  listLatest(bucket: string, query: { prefix: string; after?: string; limit: number }): Promise<ObjectVersion[]> {
    return this.run(() => this.versions.listLatest(this.database, bucket, query.prefix, query.after, query.limit));
  }

  listVersions(
    bucket: string,
    query: { prefix: string; after?: { key: string; afterSeq?: number }; limit: number },
  ): Promise<ObjectVersion[]> {
    return this.run(() => this.versions.listVersions(this.database, bucket, query.prefix, query.after, query.limit));
  }

  // ---- object tags ----

  getTags(bucket: string, key: string, versionId?: string): Promise<{ version: ObjectVersion; tags: Tag[] } | undefined> {
    return this.run(async () => {
      const result =
        versionId === undefined
          ? await this.database.query<VersionRow & { tags: TagPairs }>(SELECT_LATEST_WITH_TAGS, [bucket, key], 'tessera_v_latest_tags')
          : await this.database.query<VersionRow & { tags: TagPairs }>(
              SELECT_BY_VERSION_ID_WITH_TAGS,
              [bucket, key, versionId],
              'tessera_v_by_id_tags',
            );
      const row = result.rows[0];
      return row === undefined ? undefined : { version: toObjectVersion(row), tags: pairsToTags(row.tags) };
    });
  }

  getTagsOnly(bucket: string, key: string, versionId?: string): Promise<readonly Tag[] | undefined> {
    return this.run(async () => {
      const result =
        versionId === undefined
          ? await this.database.query<{ tags: TagPairs }>(SELECT_LATEST_TAGS, [bucket, key], 'tessera_tags_latest')
          : await this.database.query<{ tags: TagPairs }>(SELECT_TAGS_BY_VERSION_ID, [bucket, key, versionId], 'tessera_tags_by_id');
      const row = result.rows[0];
      return row === undefined ? undefined : pairsToTags(row.tags);
    });
  }

  replaceTags(bucket: string, key: string, versionId: string | undefined, tags: readonly Tag[]): Promise<TagWriteResult> {
    return this.run(async () => {
      // one statement unless another writer holds the key's lock
      if (this.oneStatementWrites) {
        const done = await this.versions.replaceTagsAtOnce(this.database, bucket, key, versionId, tags);
        if (done?.status === 'missing') return { status: 'missing' };
        if (done?.row !== undefined) {
          this.database.committedStatement();
          const version = toObjectVersion(done.row);
          return done.status === 'ok' ? { status: 'ok', version: { ...version, tagCount: tags.length } } : { status: 'delete-marker', version };
        }
      }
      return this.database.transaction(async (tx): Promise<TagWriteResult> => {
        const row = await this.versions.lockTarget(tx, bucket, key, versionId);
        if (row === undefined) return { status: 'missing' };
        if (row.is_delete_marker === 1) return { status: 'delete-marker', version: toObjectVersion(row) };
        return { status: 'ok', version: await this.versions.replaceTags(tx, row, tags) };
      });
    });
  }

  // ---- multipart uploads ----

  createUpload(upload: MultipartUpload, acl?: readonly AclGrant[]): Promise<void> {
    return this.run(() => this.uploads.create(this.database, upload, acl));
  }

  getUpload(bucket: string, key: string, uploadId: string): Promise<MultipartUpload | undefined> {
    return this.run(async () => {
      const upload = await this.uploads.get(this.database, uploadId);
      return upload !== undefined && upload.bucket === bucket && upload.key === key ? upload : undefined;
    });
  }

  putPart(part: UploadPart): Promise<'ok' | 'no-upload'> {
    return this.run(async () => {
      try {
        // a new part number (the usual case) is one statement; a replaced part locks the old row in a transaction
        if (await this.uploads.insertPartIfNew(this.database, part)) return 'ok';
        return await this.database.transaction((tx) => this.uploads.replacePart(tx, part), { retryOn: (e) => e instanceof PartRace });
      } catch (error) {
        // the upload was completed or aborted while the part was being added
        if (sqlState(error) === '23503') return 'no-upload';
        throw error;
      }
    });
  }

  listParts(uploadId: string, query: { afterPartNumber: number; limit: number }): Promise<UploadPart[]> {
    return this.run(() => this.uploads.listParts(this.database, uploadId, query.afterPartNumber, query.limit));
  }

  listUploads(
    bucket: string,
    query: { prefix: string; keyMarker?: string; uploadIdMarker?: string; limit: number },
  ): Promise<MultipartUpload[]> {
    return this.run(() =>
      this.uploads.list(this.database, bucket, query.prefix, query.keyMarker, query.uploadIdMarker, query.limit),
    );
  }

  completeUpload(
    uploadId: string,
    version: NewObjectVersion,
    options: VersionWriteOptions,
  ): Promise<{ status: 'ok'; version: ObjectVersion } | { status: 'no-upload' }> {
    return this.run(() =>
      this.database.transaction(async (tx) => {
        // the key's lock first (before any other lock or write: see VersionRepo), then the upload's
        const latest = await this.versions.lockLatest(tx, version.bucket, version.key);
        const locked = await this.uploads.lock(tx, uploadId);
        if (locked === undefined) return { status: 'no-upload' as const };
        options.expect?.(latest === undefined ? undefined : toObjectVersion(latest));
        const { upload } = locked;
        if (upload.bucket !== version.bucket || upload.key !== version.key) {
          throw new Error(`upload ${uploadId} belongs to ${upload.bucket}/${upload.key}, not ${version.bucket}/${version.key}`);
        }
        // the ACL asked for at CreateMultipartUpload commits with the version
        const acl = version.acl ?? locked.acl;
        await this.uploads.remove(tx, uploadId, version.segments.map((s) => s.blobId));
        const inserted = await this.versions.insert(tx, acl === undefined ? version : { ...version, acl }, options.replaceNull, latest);
        await this.uploads.recordCompletion(tx, uploadId, version.bucket, version.key, inserted.versionId, Date.now(), COMPLETION_MEMORY_MS);
        return { status: 'ok' as const, version: inserted };
      }, VERSION_WRITE),
    );
  }

  getCompletedUpload(bucket: string, key: string, uploadId: string): Promise<ObjectVersion | undefined> {
    return this.run(async () => {
      const columns = VERSION_COLUMNS.split(', ').map((c) => `v.${c}`).join(', ');
      const result = await this.database.query<VersionRow>(
        `SELECT ${columns} FROM completed_uploads c
         JOIN versions v ON v.bucket = c.bucket COLLATE "C" AND v.key = c.key COLLATE "C" AND v.version_id = c.version_id COLLATE "C"
         WHERE c.upload_id = $1 AND c.bucket = $2 AND c.key = $3`,
        [uploadId, bucket, key],
      );
      const row = result.rows[0];
      return row === undefined ? undefined : toObjectVersion(row);
    });
  }

  abortUpload(uploadId: string): Promise<boolean> {
    return this.run(() =>
      this.database.transaction(async (tx) => {
        if ((await this.uploads.lock(tx, uploadId)) === undefined) return false;
        return this.uploads.remove(tx, uploadId);
      }),
    );
  }

  // ---- access control ----

  getBucketAccess(name: string, asOf?: Bucket): Promise<{ policy: string | undefined; acl: AclGrant[] | undefined }> {
    // the access read with the caller's bucket read, when it is of that bucket's generation (BucketAccessMemo)
    const seen = asOf === undefined || asOf.name !== name ? undefined : this.accessSeen.find(name, bucketGeneration(asOf));
    if (seen !== undefined) return Promise.resolve(seen);
    return this.run(() => this.access.bucketAccess(this.database, name));
  }

  setBucketPolicy(name: string, policy: string | undefined): Promise<'ok' | 'missing'> {
    return this.run(() => this.database.transaction((tx) => this.access.setBucketField(tx, name, 'policy', policy ?? null)));
  }

  setBucketAcl(name: string, grants: readonly AclGrant[] | undefined): Promise<'ok' | 'missing'> {
    const value = grants === undefined ? null : JSON.stringify(grants);
    return this.run(() => this.database.transaction((tx) => this.access.setBucketField(tx, name, 'acl', value)));
  }

  getObjectAcl(
    bucket: string,
    key: string,
    versionId?: string,
  ): Promise<{ version: ObjectVersion; acl: AclGrant[] | undefined } | undefined> {
    return this.run(async () => {
      const result =
        versionId === undefined
          ? await this.database.query<VersionRow & { acl: string | null }>(SELECT_LATEST_WITH_ACL, [bucket, key], 'tessera_v_latest_acl')
          : await this.database.query<VersionRow & { acl: string | null }>(
              SELECT_BY_VERSION_ID_WITH_ACL,
              [bucket, key, versionId],
              'tessera_v_by_id_acl',
            );
      const row = result.rows[0];
      if (row === undefined) return undefined;
      return { version: toObjectVersion(row), acl: row.acl === null ? undefined : (JSON.parse(row.acl) as AclGrant[]) };
    });
  }

  setObjectAcl(
    bucket: string,
    key: string,
    versionId: string | undefined,
    grants: readonly AclGrant[] | undefined,
  ): Promise<TagWriteResult> {
    return this.run(() =>
      this.database.transaction(async (tx): Promise<TagWriteResult> => {
        const row = await this.versions.lockTarget(tx, bucket, key, versionId);
        if (row === undefined) return { status: 'missing' };
        if (row.is_delete_marker === 1) return { status: 'delete-marker', version: toObjectVersion(row) };
        await this.access.setObjectAcl(tx, row.id, grants);
        return { status: 'ok', version: toObjectVersion(row) };
      }),
    );
  }

  getUploadAcl(uploadId: string): Promise<AclGrant[] | undefined> {
    return this.run(() => this.access.uploadAcl(this.database, uploadId));
  }

  // ---- released blobs ----

  takeReleasedBlobs(limit: number): Promise<string[]> {
    return this.run(() => this.ledger.take(this.database, limit));
  }

  forgetReleasedBlobs(blobIds: readonly string[]): Promise<void> {
    if (blobIds.length === 0) return Promise.resolve();
    return this.run(() => this.ledger.forget(this.database, blobIds));
  }

  isBlobReferenced(blobId: string): Promise<boolean> {
    return this.run(() => this.ledger.isReferenced(this.database, blobId));
  }

  readInlineBlob(blobId: string): Promise<Buffer | undefined> {
    return this.run(() => this.ledger.readInline(this.database, blobId));
  }

  /** Closes the pool when the store owns it (see `open`); a shared one is closed by whoever opened it. */
  async close(): Promise<void> {
    if (this.owned) await this.database.close();
  }

  /** Every method's body: a U+0000 in a name becomes a 400 (see refuseNulText). */
  private run<T>(work: () => Promise<T>): Promise<T> {
    return work().catch(refuseNulText);
  }
}
