import { randomBytes } from 'node:crypto';

/** A fresh valid bucket name. */
export function bucketName(prefix = 'test'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}
