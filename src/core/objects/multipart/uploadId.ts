import { randomBytes } from 'node:crypto';

/**
 * A fresh multipart upload id: 48 random bytes as base64url (64 characters). Opaque, URL-safe (no `+`, `/` or `=`,
 * so clients that forget to encode it still work) and unguessable; it never derives from the bucket or key.
 */
export function newUploadId(): string {
  return randomBytes(48).toString('base64url');
}
