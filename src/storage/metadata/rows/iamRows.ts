import type { IamRole, IamUser, ManagedPolicy, RoleSession } from '../../../core/ports/IamStore.js';
import type { Tag } from '../../../core/tags/Tag.js';

export interface UserRow {
  readonly account_id: string;
  readonly user_name: string;
  readonly user_id: string;
  readonly path: string;
  readonly created_at: number;
}

export interface RoleRow {
  readonly account_id: string;
  readonly role_name: string;
  readonly role_id: string;
  readonly path: string;
  readonly trust_policy: string;
  readonly description: string | null;
  readonly max_session_duration: number;
  readonly created_at: number;
}

export interface PolicyRow {
  readonly arn: string;
  readonly account_id: string;
  readonly policy_name: string;
  readonly policy_id: string;
  readonly path: string;
  readonly description: string | null;
  readonly document: string;
  readonly created_at: number;
  readonly updated_at: number;
  readonly attachments: number;
}

export interface SessionRow {
  readonly access_key_id: string;
  readonly secret_access_key: string;
  readonly session_token: string;
  readonly account_id: string;
  readonly role_name: string;
  readonly role_id: string;
  readonly session_name: string;
  readonly session_policy: string | null;
  readonly expires_at: number;
  readonly created_at: number;
}

export function toUser(row: UserRow, tags: readonly Tag[]): IamUser {
  return {
    accountId: row.account_id,
    userName: row.user_name,
    userId: row.user_id,
    path: row.path,
    createdAt: new Date(row.created_at),
    tags,
  };
}

export function toRole(row: RoleRow, tags: readonly Tag[]): IamRole {
  return {
    accountId: row.account_id,
    roleName: row.role_name,
    roleId: row.role_id,
    path: row.path,
    trustPolicy: row.trust_policy,
    ...(row.description === null ? {} : { description: row.description }),
    maxSessionDuration: row.max_session_duration,
    createdAt: new Date(row.created_at),
    tags,
  };
}

export function toPolicy(row: PolicyRow): ManagedPolicy {
  return {
    accountId: row.account_id,
    policyName: row.policy_name,
    policyId: row.policy_id,
    path: row.path,
    arn: row.arn,
    ...(row.description === null ? {} : { description: row.description }),
    document: row.document,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    attachmentCount: row.attachments,
  };
}

export function toSession(row: SessionRow): RoleSession {
  return {
    accessKeyId: row.access_key_id,
    secretAccessKey: row.secret_access_key,
    sessionToken: row.session_token,
    accountId: row.account_id,
    roleName: row.role_name,
    roleId: row.role_id,
    sessionName: row.session_name,
    ...(row.session_policy === null ? {} : { sessionPolicy: row.session_policy }),
    expiresAt: new Date(row.expires_at),
    createdAt: new Date(row.created_at),
  };
}

// ---- domain → INSERT parameters, in the column order both backends' INSERTs name; dates as ms since the epoch ----

/** iam_managed_policies: arn, account_id, policy_name, policy_id, path, description, document, created_at, updated_at. */
export type PolicyParams = [string, string, string, string, string, string | null, string, number, number];

export function policyParams(policy: ManagedPolicy): PolicyParams {
  return [
    policy.arn,
    policy.accountId,
    policy.policyName,
    policy.policyId,
    policy.path,
    policy.description ?? null,
    policy.document,
    policy.createdAt.getTime(),
    policy.updatedAt.getTime(),
  ];
}

/** iam_roles: account_id, role_name, role_id, path, trust_policy, description, max_session_duration, created_at. */
export type RoleParams = [string, string, string, string, string, string | null, number, number];

export function roleParams(role: IamRole): RoleParams {
  return [
    role.accountId,
    role.roleName,
    role.roleId,
    role.path,
    role.trustPolicy,
    role.description ?? null,
    role.maxSessionDuration,
    role.createdAt.getTime(),
  ];
}

/**
 * iam_sessions: access_key_id, secret_access_key, session_token, account_id, role_name, role_id, session_name,
 * session_policy, expires_at, created_at.
 */
export type SessionParams = [string, string, string, string, string, string, string, string | null, number, number];

export function sessionParams(session: RoleSession): SessionParams {
  return [
    session.accessKeyId,
    session.secretAccessKey,
    session.sessionToken,
    session.accountId,
    session.roleName,
    session.roleId,
    session.sessionName,
    session.sessionPolicy ?? null,
    session.expiresAt.getTime(),
    session.createdAt.getTime(),
  ];
}
