import { IamError } from '../../errors/IamError.js';
import type { IamOperation } from '../IamOperation.js';
import { pagedXml, policyXml } from '../wire/shapes.js';
import { listResource, page, underPrefix } from './common.js';

/** ListPolicies: the account's customer managed policies (Scope All or Local; AWS-managed policies do not exist here). */
export const ListPolicies: IamOperation = {
  name: 'ListPolicies',
  async handle(ctx) {
    await ctx.authorize('iam:ListPolicies', listResource(ctx, 'policy'));
    const scope = ctx.params.get('Scope') ?? 'All';
    if (!['All', 'Local', 'AWS'].includes(scope)) throw new IamError('ValidationError', `Invalid Scope ${scope}`);
    let policies = scope === 'AWS' ? [] : underPrefix(ctx, await ctx.store.listPolicies(ctx.accountId));
    if (ctx.params.get('OnlyAttached') === 'true') policies = policies.filter((p) => p.attachmentCount > 0);
    const { items, marker } = page(ctx, policies, (p) => p.policyName);
    return pagedXml('Policies', items.map(policyXml), marker);
  },
};
