import type { PolicyHolder } from '../../core/ports/IamStore.js';
import { parsePolicyArn } from '../arns.js';
import { IamError } from '../../errors/IamError.js';
import type { IamOperation } from '../IamOperation.js';
import { attachedPolicyXml, pagedXml } from '../wire/shapes.js';
import { authorizedHolder, noSuchPolicy, noSuchRole, noSuchUser, page, underPrefix } from './common.js';

/** Attach/Detach/ListAttached{User,Role}Policies: the same three operations for users and roles. */

type Kind = PolicyHolder['kind'];
const label = (kind: Kind): string => (kind === 'user' ? 'User' : 'Role');

function policyArnParam(value: string): string {
  if (!parsePolicyArn(value)) throw new IamError('InvalidInput', `ARN ${value} is not valid.`);
  return value;
}

export function attachPolicy(kind: Kind): IamOperation {
  const name = `Attach${label(kind)}Policy`;
  return {
    name,
    async handle(ctx) {
      const arn = policyArnParam(ctx.params.required('PolicyArn'));
      const holder = await authorizedHolder(ctx, kind, `iam:${name}`);
      const result = await ctx.store.attachPolicy(ctx.accountId, holder, arn);
      if (result === 'missing-policy') throw noSuchPolicy(arn);
      if (result === 'missing-holder') throw kind === 'user' ? noSuchUser(holder.name) : noSuchRole(holder.name);
      return undefined;
    },
  };
}

export function detachPolicy(kind: Kind): IamOperation {
  const name = `Detach${label(kind)}Policy`;
  return {
    name,
    async handle(ctx) {
      const arn = policyArnParam(ctx.params.required('PolicyArn'));
      const holder = await authorizedHolder(ctx, kind, `iam:${name}`);
      if ((await ctx.store.detachPolicy(ctx.accountId, holder, arn)) === 'not-attached') {
        throw new IamError('NoSuchEntity', `Policy ${arn} was not found.`);
      }
      return undefined;
    },
  };
}

export function listAttachedPolicies(kind: Kind): IamOperation {
  const name = `ListAttached${label(kind)}Policies`;
  return {
    name,
    async handle(ctx) {
      const holder = await authorizedHolder(ctx, kind, `iam:${name}`);
      const attached = underPrefix(ctx, await ctx.store.attachedPolicies(ctx.accountId, holder));
      const { items, marker } = page(ctx, attached, (p) => p.policyName);
      return pagedXml('AttachedPolicies', items.map(attachedPolicyXml), marker);
    },
  };
}
