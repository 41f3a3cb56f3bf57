import type { IamOperation } from '../IamOperation.js';
import { pagedXml, userXml } from '../wire/shapes.js';
import { listResource, page, underPrefix } from './common.js';

export const ListUsers: IamOperation = {
  name: 'ListUsers',
  async handle(ctx) {
    await ctx.authorize('iam:ListUsers', listResource(ctx, 'user'));
    const users = underPrefix(ctx, await ctx.store.listUsers(ctx.accountId));
    const { items, marker } = page(ctx, users, (u) => u.userName);
    return pagedXml('Users', items.map((u) => userXml(u, false)), marker);
  },
};
