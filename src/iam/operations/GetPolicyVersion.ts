import { IamError } from '../../errors/IamError.js';
import type { IamOperation } from '../IamOperation.js';
import { isoSeconds } from '../wire/render.js';
import { authorizedPolicy, noSuchPolicy } from './common.js';

/** GetPolicyVersion: Tessera keeps one version per managed policy, v1 (the default); its document URL-encoded. */
export const GetPolicyVersion: IamOperation = {
  name: 'GetPolicyVersion',
  async handle(ctx) {
    const versionId = ctx.params.required('VersionId');
    const { arn, policy } = await authorizedPolicy(ctx, 'iam:GetPolicyVersion');
    if (!policy) throw noSuchPolicy(arn);
    if (versionId !== 'v1') throw new IamError('NoSuchEntity', `Policy ${arn} version ${versionId} does not exist or is not attachable.`);
    return {
      PolicyVersion: {
        Document: encodeURIComponent(policy.document),
        VersionId: 'v1',
        IsDefaultVersion: true,
        CreateDate: isoSeconds(policy.createdAt),
      },
    };
  },
};
