import { opaqueId } from '../opaqueId.js';

/**
 * A fresh multipart upload id: 48 random bytes as base64url (64 characters). Opaque, URL-safe (no `+`, `/` or `=`,
 * so clients that forget to encode it still work), never starting with `-` (see opaqueId) and unguessable; it never derives from the bucket or key.
 */
export function newUploadId(): string {
  return opaqueId(48);
}
