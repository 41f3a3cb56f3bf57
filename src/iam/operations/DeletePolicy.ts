import { IamError } from '../../errors/IamError.js';
import type { IamOperation } from '../IamOperation.js';
import { authorizedPolicy, noSuchPolicy } from './common.js';

/** DeletePolicy: DeleteConflict while the policy is attached to a user or role. */
export const DeletePolicy: IamOperation = {
  name: 'DeletePolicy',
  async handle(ctx) {
    const { arn, policy } = await authorizedPolicy(ctx, 'iam:DeletePolicy');
    if (!policy) throw noSuchPolicy(arn);
    const result = await ctx.store.deletePolicy(arn);
    if (result === 'missing') throw noSuchPolicy(arn);
    if (result === 'conflict') throw new IamError('DeleteConflict', 'Cannot delete a policy attached to entities.');
    return undefined;
  },
};
