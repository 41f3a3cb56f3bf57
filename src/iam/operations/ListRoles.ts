import type { IamOperation } from '../IamOperation.js';
import { pagedXml, roleXml } from '../wire/shapes.js';
import { listResource, page, underPrefix } from './common.js';

export const ListRoles: IamOperation = {
  name: 'ListRoles',
  async handle(ctx) {
    await ctx.authorize('iam:ListRoles', listResource(ctx, 'role'));
    const roles = underPrefix(ctx, await ctx.store.listRoles(ctx.accountId));
    const { items, marker } = page(ctx, roles, (r) => r.roleName);
    return pagedXml('Roles', items.map((r) => roleXml(r, false)), marker);
  },
};
