import type { Logger } from 'pino';
import type { TesseraConfig } from './config/config.js';
import type { IdentityService } from './core/identity/IdentityService.js';
import type { Services } from './core/Services.js';
import type { Authenticate, AuthSettings } from './s3/auth/Authenticator.js';
import type { MetadataStore } from './core/ports/MetadataStore.js';
import type { MetadataBackend } from './storage/MetadataBackend.js';

/**
 * What the composition root hands a feature module (IAM/STS, S3 Control batch jobs, …): the shared services, the
 * metadata store (behind its read caches) and the backend's other stores, where a module finds its own (the IAM
 * store, the job store; storage/MetadataBackend).
 */
export interface ApiModuleDeps {
  readonly config: TesseraConfig;
  readonly services: Services;
  readonly metadata: MetadataStore;
  readonly backend: Pick<MetadataBackend, 'iam' | 'jobs'>;
  readonly identity: IdentityService;
  readonly authenticate: Authenticate;
  readonly authSettings: AuthSettings;
  readonly log: Logger;
  readonly clock: () => Date;
}

/** A background worker a module runs (batch jobs, lifecycle, …): bounded units of work, resumable after a crash. */
export interface Worker {
  start(): void;
  stop(): Promise<void>;
}
