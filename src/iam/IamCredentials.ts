import type { CredentialSource, IdentityService, ResolvedKey } from '../core/identity/IdentityService.js';
import type { AccountStore } from '../core/ports/AccountStore.js';
import type { IamStore } from '../core/ports/IamStore.js';
import { S3Error } from '../errors/S3Error.js';
import { roleArn, sessionArn, userArn } from './arns.js';

/**
 * The keys the IAM module issues, for authentication: IAM users' access keys (principal with the user's ARN, path
 * and unique id) and AssumeRole's temporary credentials (`ASIA…`, with their session token). An expired session is
 * refused with ExpiredToken.
 */
export class IamCredentials implements CredentialSource {
  constructor(
    private readonly store: IamStore,
    private readonly metadata: AccountStore,
    private readonly identity: IdentityService,
    private readonly clock: () => Date,
  ) {}

  /** Keys resolved at `cachedRevision` of the store (undefined: not an IAM key), with a session's expiry. */
  private readonly cache = new Map<string, Resolution>();
  private cachedRevision: number | undefined;

  /**
   * Resolved keys are remembered while the store's revision stays the same (any IAM write, access key or account
   * change moves it), so the next request after a write reads afresh. A session's expiry is checked against the
   * clock on every use, cached or not.
   */
  resolve(accessKeyId: string): Promise<ResolvedKey | undefined> {
    let remembered;
    try {
      remembered = this.resolveNow(accessKeyId);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return remembered === null ? this.resolveAfresh(accessKeyId, this.store.revision?.()) : Promise.resolve(remembered);
  }

  /** A remembered key (every request of an IAM user comes here), synchronously; null when not remembered. */
  resolveNow(accessKeyId: string): ResolvedKey | undefined | null {
    const revision = this.store.revision?.();
    if (revision === undefined || revision !== this.cachedRevision) return null;
    const cached = this.cache.get(accessKeyId);
    if (cached === undefined) return null;
    if (cached.expiresAt !== undefined && this.clock().getTime() >= cached.expiresAt) throw new S3Error('ExpiredToken');
    return cached.resolved;
  }

  private async resolveAfresh(accessKeyId: string, revision: number | undefined): Promise<ResolvedKey | undefined> {
    if (revision === undefined) return (await this.load(accessKeyId)).resolved;
    if (revision !== this.cachedRevision) {
      this.cache.clear();
      this.cachedRevision = revision;
    }
    let resolution = this.cache.get(accessKeyId);
    if (resolution === undefined) {
      resolution = await this.load(accessKeyId);
      // remembered only if nothing was written while it was read (the reads span several turns)
      if (this.store.revision?.() === revision && this.cachedRevision === revision) {
        if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
        this.cache.set(accessKeyId, resolution);
      }
    }
    if (resolution.expiresAt !== undefined && this.clock().getTime() >= resolution.expiresAt) throw new S3Error('ExpiredToken');
    return resolution.resolved;
  }

  private async load(accessKeyId: string): Promise<Resolution> {
    if (accessKeyId.startsWith('ASIA')) return this.resolveSession(accessKeyId);
    return { resolved: await this.resolveUserKey(accessKeyId) };
  }

  private async resolveUserKey(accessKeyId: string): Promise<ResolvedKey | undefined> {
    const key = await this.metadata.getAccessKey(accessKeyId);
    if (key?.userName === undefined) return undefined;
    const [user, account] = await Promise.all([this.store.getUser(key.accountId, key.userName), this.identity.accountOf(key.accountId)]);
    if (!user || !account) return undefined;
    return {
      secretAccessKey: key.secretAccessKey,
      active: key.status === 'Active',
      principal: {
        kind: 'user',
        accountId: account.id,
        canonicalId: account.canonicalId,
        displayName: account.displayName,
        arn: userArn(account.id, user.path, user.userName),
        userName: user.userName,
        userId: user.userId,
        isRoot: false,
        accessKeyId,
      },
    };
  }

  /** A session's key; its expiry is checked by the caller (on every use). */
  private async resolveSession(accessKeyId: string): Promise<Resolution> {
    const session = await this.store.getSession(accessKeyId);
    if (!session) return { resolved: undefined };
    const expiresAt = session.expiresAt.getTime();
    if (this.clock().getTime() >= expiresAt) return { resolved: undefined, expiresAt };
    const [role, account] = await Promise.all([
      this.store.getRole(session.accountId, session.roleName),
      this.identity.accountOf(session.accountId),
    ]);
    if (!account) return { resolved: undefined, expiresAt };
    const resolved: ResolvedKey = {
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken,
      active: true,
      principal: {
        kind: 'user',
        accountId: account.id,
        canonicalId: account.canonicalId,
        displayName: account.displayName,
        arn: sessionArn(account.id, session.roleName, session.sessionName),
        userId: `${session.roleId}:${session.sessionName}`,
        isRoot: false,
        accessKeyId,
        role: {
          arn: roleArn(account.id, role?.path ?? '/', session.roleName),
          roleName: session.roleName,
          roleId: session.roleId,
          sessionName: session.sessionName,
          expiresAt: session.expiresAt,
        },
      },
    };
    return { resolved, expiresAt };
  }
}

/** Most keys remembered; the cache starts over when full. */
const CACHE_LIMIT = 10_000;

/** What a key resolved to (undefined: not one of the IAM module's keys) and, for a session, when it expires (ms). */
interface Resolution {
  readonly resolved: ResolvedKey | undefined;
  readonly expiresAt?: number;
}
