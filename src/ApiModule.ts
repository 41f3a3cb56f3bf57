import type { Logger } from 'pino';
import type { TesseraConfig } from './config/config.js';
import type { IdentityService } from './core/identity/IdentityService.js';
import type { Services } from './core/Services.js';
import type { Authenticate, AuthSettings } from './s3/auth/Authenticator.js';
import type { SqliteMetadataStore } from './storage/metadata/sqlite/SqliteMetadataStore.js';

/**
 * What the composition root hands a feature module (IAM/STS, S3 Control batch jobs, …): the shared services and
 * the one SQLite store (whose connection a module's own tables live on, see storage/metadata/sqlite/).
 */
export interface ApiModuleDeps {
  readonly config: TesseraConfig;
  readonly services: Services;
  readonly sqlite: SqliteMetadataStore;
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
