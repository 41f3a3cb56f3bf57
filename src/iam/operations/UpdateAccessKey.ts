import { IamError } from '../../errors/IamError.js';
import type { IamOperation } from '../IamOperation.js';
import { noSuchUser, userNameOrCaller, userResource } from './common.js';

/** UpdateAccessKey: Active | Inactive. An Inactive key is refused by authentication (InvalidAccessKeyId in S3). */
export const UpdateAccessKey: IamOperation = {
  name: 'UpdateAccessKey',
  async handle(ctx) {
    const name = userNameOrCaller(ctx);
    const accessKeyId = ctx.params.required('AccessKeyId');
    const status = ctx.params.required('Status');
    if (status !== 'Active' && status !== 'Inactive') {
      throw new IamError(
        'ValidationError',
        `1 validation error detected: Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`,
      );
    }
    const { arn, user } = await userResource(ctx, name);
    await ctx.authorize('iam:UpdateAccessKey', arn);
    if (!user) throw noSuchUser(name);
    if ((await ctx.store.setAccessKeyStatus(ctx.accountId, user.userName, accessKeyId, status)) === 'missing') {
      throw new IamError('NoSuchEntity', `The Access Key with id ${accessKeyId} cannot be found.`);
    }
    return undefined;
  },
};
