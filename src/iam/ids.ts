import { randomBytes, randomInt } from 'node:crypto';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomUpper(length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += UPPER_ALNUM[randomInt(UPPER_ALNUM.length)];
  return out;
}

/** IAM unique ids: a four-letter prefix naming the entity type and 17 characters, as AWS's look. */
export const newUserId = (): string => `AIDA${randomUpper(17)}`;
export const newRoleId = (): string => `AROA${randomUpper(17)}`;
export const newPolicyId = (): string => `ANPA${randomUpper(17)}`;

/** Long-term access key ids start with AKIA, temporary (STS) ones with ASIA; 20 characters in all. */
export const newAccessKeyId = (): string => `AKIA${randomUpper(16)}`;
export const newSessionKeyId = (): string => `ASIA${randomUpper(16)}`;

/** A 40-character secret access key. */
export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64').replace(/\+/g, 'A').replace(/\//g, 'B');
}

/** An opaque session token (x-amz-security-token). */
export function newSessionToken(): string {
  return `Tessera${randomBytes(96).toString('base64')}`;
}
