import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RootCredentials } from '../core/identity/IdentityService.js';

const FILE = 'root-credentials.json';

/** An access key id in AWS's shape: 20 upper-case letters and digits. */
export function newAccessKeyId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = randomBytes(16);
  let id = 'TS';
  for (let i = 0; i < 18; i++) id += alphabet[(bytes[i % 16] as number) % 32];
  return id;
}

/** A 40-character secret access key. */
export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64').replace(/\+/g, 'A').replace(/\//g, 'B');
}

/**
 * The root credentials: from the configuration when given; otherwise those stored in the data dir; otherwise
 * newly generated and stored there (mode 0600). `generated` tells the caller to print them once.
 */
export function resolveRootCredentials(
  dataDir: string,
  configured: { accessKeyId: string | undefined; secretAccessKey: string | undefined },
): { credentials: RootCredentials; generated: boolean } {
  if (configured.accessKeyId !== undefined && configured.secretAccessKey !== undefined) {
    return { credentials: { accessKeyId: configured.accessKeyId, secretAccessKey: configured.secretAccessKey }, generated: false };
  }
  const path = join(dataDir, FILE);
  if (existsSync(path)) {
    const stored = JSON.parse(readFileSync(path, 'utf8')) as { accessKeyId?: unknown; secretAccessKey?: unknown };
    if (typeof stored.accessKeyId === 'string' && typeof stored.secretAccessKey === 'string') {
      return { credentials: { accessKeyId: stored.accessKeyId, secretAccessKey: stored.secretAccessKey }, generated: false };
    }
  }
  const credentials = { accessKeyId: newAccessKeyId(), secretAccessKey: newSecretAccessKey() };
  writeFileSync(path, JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600 });
  return { credentials, generated: true };
}
