import { it } from 'node:test';
import { randomBytes } from 'node:crypto';
import type { VersioningState } from '../../../src/core/buckets/Bucket.js';
import type { MultipartUpload, UploadPart } from '../../../src/core/objects/MultipartUpload.js';
import type { NewObjectVersion } from '../../../src/core/objects/ObjectVersion.js';
import type { MetadataStore } from '../../../src/core/ports/MetadataStore.js';
import type { Tag } from '../../../src/core/tags/Tag.js';

/** One store under test, fresh and empty. */
export interface MetadataFixture {
  readonly store: MetadataStore;
  /** Close the store and open it again over the same data (omit when the backend cannot). */
  reopen?(): Promise<MetadataStore>;
  /** Close whatever is open and remove the data. */
  dispose(): Promise<void>;
}

export interface MetadataContractTarget {
  create(): Promise<MetadataFixture>;
  /** Set to a reason to skip the whole suite (e.g. "no PostgreSQL configured"). */
  readonly skip?: string;
}

/** Declares one contract test: it runs on a fresh fixture (the whole store: a role's tests set up through the others). */
export type ContractTest = (title: string, body: (store: MetadataStore, fixture: MetadataFixture) => Promise<void>) => void;

/** The ContractTest of a target: each test gets its own fixture, disposed afterwards. */
export function contractTest(target: MetadataContractTarget): ContractTest {
  return (title, body) => {
    void it(title, async () => {
      const fixture = await target.create();
      try {
        await body(fixture.store, fixture);
      } finally {
        await fixture.dispose();
      }
    });
  };
}

// ---- builders ----

export function blobId(): string {
  return randomBytes(16).toString('hex');
}

export function account(id: string) {
  return { id, canonicalId: id.repeat(6).slice(0, 64).padEnd(64, '0'), displayName: `acct-${id}`, createdAt: new Date(1_700_000_000_000) };
}

export function bucketOf(name: string, owner = '111111111111', versioning: VersioningState = 'Unversioned') {
  return { name, ownerAccountId: owner, region: 'us-east-1', createdAt: new Date(1_700_000_000_000), versioning };
}

export type VersionOverrides = Partial<Omit<NewObjectVersion, 'bucket' | 'key'>>;

export function newVersion(bucket: string, key: string, overrides: VersionOverrides = {}): NewObjectVersion {
  const size = overrides.size ?? 10;
  return {
    bucket,
    key,
    versionId: randomBytes(24).toString('base64url'),
    isDeleteMarker: false,
    lastModified: new Date(1_700_000_000_000),
    ownerAccountId: '111111111111',
    size,
    etag: randomBytes(16).toString('hex'),
    storageClass: 'STANDARD',
    contentHeaders: {},
    userMetadata: {},
    segments: [{ blobId: blobId(), size }],
    tags: [],
    ...overrides,
  };
}

export function deleteMarker(bucket: string, key: string, versionId?: string): NewObjectVersion {
  return newVersion(bucket, key, {
    isDeleteMarker: true,
    size: 0,
    etag: '',
    segments: [],
    ...(versionId === undefined ? {} : { versionId }),
  });
}

export function upload(bucket: string, key: string, uploadId: string): MultipartUpload {
  return {
    uploadId,
    bucket,
    key,
    initiated: new Date(1_700_000_000_000),
    ownerAccountId: '111111111111',
    initiatorArn: 'arn:aws:iam::111111111111:root',
    storageClass: 'STANDARD',
    contentHeaders: {},
    userMetadata: {},
    tags: [] as Tag[],
  };
}

export function part(uploadId: string, partNumber: number, overrides: Partial<UploadPart> = {}): UploadPart {
  const size = 5 * 1024 * 1024 + partNumber;
  return {
    uploadId,
    partNumber,
    size,
    etag: randomBytes(16).toString('hex'),
    lastModified: new Date(1_700_000_000_000),
    segment: { blobId: blobId(), size },
    ...overrides,
  };
}

/** A version whose one segment is stored inline with it. */
export function inlineVersion(bucket: string, key: string, data: Buffer, overrides: VersionOverrides = {}): NewObjectVersion {
  const id = 'in' + randomBytes(15).toString('hex');
  return newVersion(bucket, key, {
    size: data.length,
    segments: [{ blobId: id, size: data.length, inline: true }],
    inlineData: new Map([[id, data]]),
    ...overrides,
  });
}

export function blobIdsOf(version: NewObjectVersion): string[] {
  return version.segments.map((s) => s.blobId).sort();
}

/** Everything in the outbox, forgotten afterwards; sorted. */
export async function drainReleased(store: MetadataStore): Promise<string[]> {
  const ids = await store.takeReleasedBlobs(10_000);
  await store.forgetReleasedBlobs(ids);
  return ids.sort();
}

export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
