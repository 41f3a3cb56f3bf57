import type { PolicyHolder } from '../../core/ports/IamStore.js';
import { IamError } from '../../errors/IamError.js';
import type { IamOperation } from '../IamOperation.js';
import { checkIdentityPolicy, checkName, POLICY_SIZE } from '../validate.js';
import { authorizedHolder, noSuchRole, noSuchUser, page } from './common.js';

/** Put/Get/List/Delete{User,Role}Policy: the same four operations for users and roles. */

type Kind = PolicyHolder['kind'];
const label = (kind: Kind): string => (kind === 'user' ? 'User' : 'Role');

function missingHolder(kind: Kind, name: string): IamError {
  return kind === 'user' ? noSuchUser(name) : noSuchRole(name);
}

export function putInlinePolicy(kind: Kind): IamOperation {
  const name = `Put${label(kind)}Policy`;
  return {
    name,
    async handle(ctx) {
      const policyName = checkName(ctx.params.required('PolicyName'), 'policyName', 128);
      const document = ctx.params.required('PolicyDocument');
      const holder = await authorizedHolder(ctx, kind, `iam:${name}`);
      const max = kind === 'user' ? POLICY_SIZE.userInline : POLICY_SIZE.roleInline;
      checkIdentityPolicy(document, max, `Maximum policy size of ${max} bytes exceeded for ${kind} ${holder.name}`);
      if ((await ctx.store.putInlinePolicy(ctx.accountId, holder, policyName, document)) === 'missing') {
        throw missingHolder(kind, holder.name);
      }
      return undefined;
    },
  };
}

/** Get{User,Role}Policy returns the document URL-encoded, as IAM does (RFC 3986). */
export function getInlinePolicy(kind: Kind): IamOperation {
  const name = `Get${label(kind)}Policy`;
  return {
    name,
    async handle(ctx) {
      const policyName = checkName(ctx.params.required('PolicyName'), 'policyName', 128);
      const holder = await authorizedHolder(ctx, kind, `iam:${name}`);
      const document = await ctx.store.getInlinePolicy(ctx.accountId, holder, policyName);
      if (document === undefined) {
        throw new IamError('NoSuchEntity', `The ${kind} policy with name ${policyName} cannot be found.`);
      }
      return { [`${label(kind)}Name`]: holder.name, PolicyName: policyName, PolicyDocument: encodeURIComponent(document) };
    },
  };
}

export function listInlinePolicies(kind: Kind): IamOperation {
  const name = `List${label(kind)}Policies`;
  return {
    name,
    async handle(ctx) {
      const holder = await authorizedHolder(ctx, kind, `iam:${name}`);
      const policies = await ctx.store.listInlinePolicies(ctx.accountId, holder);
      const { items, marker } = page(ctx, policies, (p) => p.name);
      return { PolicyNames: items.length === 0 ? '' : { member: items.map((p) => p.name) }, IsTruncated: marker !== undefined, Marker: marker };
    },
  };
}

export function deleteInlinePolicy(kind: Kind): IamOperation {
  const name = `Delete${label(kind)}Policy`;
  return {
    name,
    async handle(ctx) {
      const policyName = checkName(ctx.params.required('PolicyName'), 'policyName', 128);
      const holder = await authorizedHolder(ctx, kind, `iam:${name}`);
      if ((await ctx.store.deleteInlinePolicy(ctx.accountId, holder, policyName)) === 'missing') {
        throw new IamError('NoSuchEntity', `The ${kind} policy with name ${policyName} cannot be found.`);
      }
      return undefined;
    },
  };
}
