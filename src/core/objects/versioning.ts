import { opaqueId } from './opaqueId.js';
import type { VersioningState } from '../buckets/Bucket.js';
import { NULL_VERSION_ID } from './ObjectVersion.js';

/**
 * How a write lands in a bucket's version stack, as AWS documents it:
 * - Unversioned: the key has one version, the null version; a write replaces it.
 * - Enabled: every write adds a version with a fresh id; an existing null version stays as a non-current version.
 * - Suspended: a write (object or delete marker) replaces the null version, wherever it is, and becomes current.
 */
export interface WritePlacement {
  readonly versionId: string;
  readonly replaceNull: boolean;
}

export function placeWrite(state: VersioningState): WritePlacement {
  if (state === 'Enabled') return { versionId: newVersionId(), replaceNull: false };
  return { versionId: NULL_VERSION_ID, replaceNull: true };
}

/** A fresh opaque version id (32 URL-safe characters, like AWS's). */
export function newVersionId(): string {
  return opaqueId(24);
}

/** The x-amz-version-id header value for a version: omitted in never-versioned buckets. */
export function versionIdHeader(state: VersioningState, versionId: string): string | undefined {
  return state === 'Unversioned' ? undefined : versionId;
}

/**
 * The x-amz-version-id header of a write's response (PutObject, CopyObject, CompleteMultipartUpload, PostObject):
 * only for a version with an id of its own — a write to a suspended bucket creates the null version and, as on AWS,
 * answers without the header.
 */
export function writtenVersionIdHeader(versionId: string): string | undefined {
  return versionId === NULL_VERSION_ID ? undefined : versionId;
}
