import type { CredentialSource, IdentityService, ResolvedKey } from '../core/identity/IdentityService.js';
import type { MetadataStore } from '../storage/metadata/MetadataStore.js';
import type { IamStore } from '../storage/metadata/IamStore.js';
import { S3Error } from '../s3/errors/S3Error.js';
import { roleArn, sessionArn, userArn } from './arns.js';

/**
 * The keys the IAM module issues, for authentication: IAM users' access keys (principal with the user's ARN, path
 * and unique id) and AssumeRole's temporary credentials (`ASIA…`, with their session token). An expired session is
 * refused with ExpiredToken.
 */
export class IamCredentials implements CredentialSource {
  constructor(
    private readonly store: IamStore,
    private readonly metadata: MetadataStore,
    private readonly identity: IdentityService,
    private readonly clock: () => Date,
  ) {}

  async resolve(accessKeyId: string): Promise<ResolvedKey | undefined> {
    if (accessKeyId.startsWith('ASIA')) return this.resolveSession(accessKeyId);
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

  private async resolveSession(accessKeyId: string): Promise<ResolvedKey | undefined> {
    const session = await this.store.getSession(accessKeyId);
    if (!session) return undefined;
    if (this.clock().getTime() >= session.expiresAt.getTime()) throw new S3Error('ExpiredToken');
    const [role, account] = await Promise.all([
      this.store.getRole(session.accountId, session.roleName),
      this.identity.accountOf(session.accountId),
    ]);
    if (!account) return undefined;
    return {
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
  }
}
