import { IamError } from '../../errors/IamError.js';
import type { IamOperation } from '../IamOperation.js';
import { newAccessKeyId, newSecretAccessKey } from '../ids.js';
import { accessKeyXml } from '../wire/shapes.js';
import { noSuchUser, userNameOrCaller, userResource } from './common.js';

/** At most two access keys per user (IAM quota AccessKeysPerUser). */
export const MAX_ACCESS_KEYS = 2;

/** CreateAccessKey: a new Active key; the secret is shown in this response only. */
export const CreateAccessKey: IamOperation = {
  name: 'CreateAccessKey',
  async handle(ctx) {
    const name = userNameOrCaller(ctx);
    const { arn, user } = await userResource(ctx, name);
    await ctx.authorize('iam:CreateAccessKey', arn);
    if (!user) throw noSuchUser(name);
    const key = {
      accessKeyId: newAccessKeyId(),
      secretAccessKey: newSecretAccessKey(),
      accountId: ctx.accountId,
      userName: user.userName,
      status: 'Active' as const,
      createdAt: ctx.now,
    };
    const result = await ctx.store.createAccessKey(key, MAX_ACCESS_KEYS);
    if (result === 'missing-user') throw noSuchUser(name);
    if (result === 'limit') throw new IamError('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${MAX_ACCESS_KEYS}`);
    return { AccessKey: accessKeyXml(user.userName, key, true) };
  },
};
