import { parseRoleArn, sessionArn } from '../arns.js';
import { IamError } from '../../errors/IamError.js';
import type { IamOperation } from '../IamOperation.js';
import { newSecretAccessKey, newSessionKeyId, newSessionToken } from '../ids.js';
import { parseTrustPolicy, trustAllows } from '../trustPolicy.js';
import { isoSeconds } from '../wire/render.js';

const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
/** Sessions are kept this long after they expire, so late requests get ExpiredToken rather than an unknown key. */
const KEEP_EXPIRED_MS = 24 * 3600 * 1000;
/** Role chaining (a role session assuming a role) is limited to one hour, as in AWS. */
const CHAINED_MAX_SECONDS = 3600;

/**
 * AssumeRole: temporary credentials (`ASIA…` key, secret, session token) for a role. The caller's identity policies
 * must allow `sts:AssumeRole` on the role (root users: always) and the role's trust policy must name the caller.
 * Session policies (Policy, PolicyArns) are not supported: refused rather than ignored.
 */
export const AssumeRole: IamOperation = {
  name: 'AssumeRole',
  async handle(ctx) {
    const arn = ctx.params.required('RoleArn');
    const sessionName = ctx.params.required('RoleSessionName');
    if (!SESSION_NAME.test(sessionName)) {
      throw new IamError(
        'ValidationError',
        `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
      );
    }
    const duration = ctx.params.integer('DurationSeconds', 900, 43200) ?? 3600;
    if (ctx.params.get('Policy') !== undefined || ctx.params.get('PolicyArns.member.1.arn') !== undefined) {
      throw new IamError('ValidationError', 'Session policies (Policy, PolicyArns) are not supported by this server.');
    }
    const parsed = parseRoleArn(arn);
    if (!parsed) throw new IamError('ValidationError', `${arn} is invalid`);
    await ctx.authorize('sts:AssumeRole', arn);
    const role = await ctx.store.getRole(parsed.accountId, parsed.roleName);
    const denied = new IamError('AccessDenied', `User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${arn}`);
    if (!role || role.path !== parsed.path) throw denied;
    if (!trustAllows(parseTrustPolicy(role.trustPolicy), ctx.caller)) throw denied;
    const max = ctx.caller.role !== undefined ? CHAINED_MAX_SECONDS : role.maxSessionDuration;
    if (duration > max) {
      throw new IamError(
        'ValidationError',
        `The requested DurationSeconds exceeds the ${ctx.caller.role !== undefined ? '1 hour session limit for roles assumed by role chaining' : 'MaxSessionDuration set for this role'}.`,
      );
    }
    const session = {
      accessKeyId: newSessionKeyId(),
      secretAccessKey: newSecretAccessKey(),
      sessionToken: newSessionToken(),
      accountId: role.accountId,
      roleName: role.roleName,
      roleId: role.roleId,
      sessionName,
      expiresAt: new Date(ctx.now.getTime() + duration * 1000),
      createdAt: ctx.now,
    };
    await ctx.store.putSession(session);
    await ctx.store.deleteExpiredSessions(new Date(ctx.now.getTime() - KEEP_EXPIRED_MS));
    return {
      Credentials: {
        AccessKeyId: session.accessKeyId,
        SecretAccessKey: session.secretAccessKey,
        SessionToken: session.sessionToken,
        Expiration: isoSeconds(session.expiresAt),
      },
      AssumedRoleUser: {
        AssumedRoleId: `${role.roleId}:${sessionName}`,
        Arn: sessionArn(role.accountId, role.roleName, sessionName),
      },
    };
  },
};

