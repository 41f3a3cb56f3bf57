import type { IamRole, IamUser, ManagedPolicy, PolicyHolder } from '../../core/ports/IamStore.js';
import type { DeleteConflict } from '../../core/ports/IamStore.js';
import { parsePolicyArn, policyArn, roleArn, userArn } from '../arns.js';
import { IamError } from '../../errors/IamError.js';
import type { IamContext } from '../IamOperation.js';
import { checkName } from '../validate.js';
import type { XmlElement } from '../../xml/codec.js';

/** Helpers shared by the IAM operations. */

export function noSuchUser(name: string): IamError {
  return new IamError('NoSuchEntity', `The user with name ${name} cannot be found.`);
}

export function noSuchRole(name: string): IamError {
  return new IamError('NoSuchEntity', `The role with name ${name} cannot be found.`);
}

export function noSuchPolicy(arn: string): IamError {
  return new IamError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
}

/** ARN of a user for authorization: with its stored path when it exists. */
export async function userResource(ctx: IamContext, userName: string): Promise<{ arn: string; user: IamUser | undefined }> {
  const user = await ctx.store.getUser(ctx.accountId, userName);
  return { arn: userArn(ctx.accountId, user?.path ?? '/', user?.userName ?? userName), user };
}

export async function roleResource(ctx: IamContext, roleName: string): Promise<{ arn: string; role: IamRole | undefined }> {
  const role = await ctx.store.getRole(ctx.accountId, roleName);
  return { arn: roleArn(ctx.accountId, role?.path ?? '/', role?.roleName ?? roleName), role };
}

/** Authorize `action` on the holder, then return it; NoSuchEntity when it does not exist. */
export async function authorizedHolder(ctx: IamContext, kind: PolicyHolder['kind'], action: string): Promise<PolicyHolder> {
  const field = kind === 'user' ? 'UserName' : 'RoleName';
  const name = checkName(ctx.params.required(field), kind === 'user' ? 'userName' : 'roleName');
  if (kind === 'user') {
    const { arn, user } = await userResource(ctx, name);
    await ctx.authorize(action, arn);
    if (!user) throw noSuchUser(name);
    return { kind, name: user.userName };
  }
  const { arn, role } = await roleResource(ctx, name);
  await ctx.authorize(action, arn);
  if (!role) throw noSuchRole(name);
  return { kind, name: role.roleName };
}

/**
 * The user an operation addresses: the UserName parameter, else the caller (an IAM user). Role sessions and root
 * users must name the user (AWS: root "defaults to the root user" for access keys; Tessera requires a name).
 */
export function userNameOrCaller(ctx: IamContext): string {
  const given = ctx.params.get('UserName');
  if (given !== undefined) return checkName(given, 'userName');
  if (ctx.caller.userName !== undefined && ctx.caller.role === undefined) return ctx.caller.userName;
  throw new IamError('ValidationError', 'Must specify userName when calling with non-User credentials');
}

/** A managed policy of the caller's account by ARN (checked), after authorizing `action` on it. */
export async function authorizedPolicy(ctx: IamContext, action: string): Promise<{ arn: string; policy: ManagedPolicy | undefined }> {
  const arn = ctx.params.required('PolicyArn');
  const parsed = parsePolicyArn(arn);
  if (!parsed) throw new IamError('InvalidInput', `ARN ${arn} is not valid.`);
  await ctx.authorize(action, arn);
  const policy = parsed.accountId === ctx.accountId ? await ctx.store.getPolicy(arn) : undefined;
  return { arn, policy };
}

export function deleteConflict(result: DeleteConflict): IamError {
  switch (result) {
    case 'has-access-keys':
      return new IamError('DeleteConflict', 'Cannot delete entity, must delete access keys first.');
    case 'has-inline-policies':
      return new IamError('DeleteConflict', 'Cannot delete entity, must delete policies first.');
    case 'has-attached-policies':
      return new IamError('DeleteConflict', 'Cannot delete entity, must detach all policies first.');
  }
}

/** `arn:aws:iam::<account>:<kind>/` — the resource of List* operations. */
export function listResource(ctx: IamContext, kind: 'user' | 'role' | 'policy'): string {
  return `arn:aws:iam::${ctx.accountId}:${kind}/`;
}

export { policyArn };

/**
 * IAM paging: MaxItems (1..1000, default 100) and an opaque Marker (here: the name to resume at, base64url).
 * Returns the page and the marker of the next page, if any.
 */
export function page<T>(ctx: IamContext, items: readonly T[], nameOf: (item: T) => string): { items: T[]; marker: string | undefined } {
  const max = ctx.params.integer('MaxItems', 1, 1000) ?? 100;
  const markerParam = ctx.params.get('Marker');
  let start = 0;
  if (markerParam !== undefined) {
    const resumeAt = Buffer.from(markerParam, 'base64url').toString('utf8');
    start = items.findIndex((item) => nameOf(item).toLowerCase() >= resumeAt.toLowerCase());
    if (start < 0) start = items.length;
  }
  const slice = items.slice(start, start + max);
  const next = items[start + max];
  return { items: slice, marker: next === undefined ? undefined : Buffer.from(nameOf(next), 'utf8').toString('base64url') };
}

/** Items under a PathPrefix (default `/`: everything). */
export function underPrefix<T extends { path: string }>(ctx: IamContext, items: readonly T[]): T[] {
  const prefix = ctx.params.get('PathPrefix') ?? '/';
  return items.filter((item) => item.path.startsWith(prefix));
}

export type Result = XmlElement | undefined;
