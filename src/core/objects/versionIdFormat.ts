import { NULL_VERSION_ID } from './ObjectVersion.js';

/**
 * Whether a version id given by a client can name a version at all. Tessera mints 32-character URL-safe ids
 * (versioning.ts `newVersionId`) and the literal `null`; anything else cannot exist, and AWS answers such ids with
 * 400 InvalidArgument "Invalid version id specified" rather than 404 NoSuchVersion.
 */
export function isWellFormedVersionId(versionId: string): boolean {
  return versionId === NULL_VERSION_ID || /^[A-Za-z0-9_-]{32}$/.test(versionId);
}
