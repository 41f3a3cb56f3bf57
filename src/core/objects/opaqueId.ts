import { randomBytes } from 'node:crypto';

/**
 * `bytes` random bytes as base64url, never starting with `-` or `_`: command-line tools read a value that starts with
 * `-` as an option (`aws s3api abort-multipart-upload --upload-id -x…` fails), so ids that users pass on command lines
 * start with a letter or a digit, as AWS's do.
 */
export function opaqueId(bytes: number): string {
  for (;;) {
    const id = randomBytes(bytes).toString('base64url');
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
}
