import type { OwnerInfo } from '../../../core/objects/listing/owners.js';
import type { PrincipalView } from '../../xml/shapes/ListPartsResult.js';

const IAM_ARN = /^arn:[^:]+:iam::(\d{12}):(root|user\/(?:.*\/)?([^/]+))$/;

/**
 * The Initiator element of an upload, from the initiator's ARN, as AWS fills it: an account's root user is shown
 * like an Owner (canonical id, display name); an IAM user by its ARN and user name. Anything else: the ARN itself.
 */
export async function initiatorView(arn: string, owner: (accountId: string) => Promise<OwnerInfo>): Promise<PrincipalView> {
  const m = IAM_ARN.exec(arn);
  if (m === null) return { id: arn };
  const accountId = m[1] as string;
  if (m[2] === 'root') return ownerView(await owner(accountId));
  return { id: arn, displayName: m[3] as string };
}

export function ownerView(owner: OwnerInfo): PrincipalView {
  return owner.displayName === undefined ? { id: owner.id } : { id: owner.id, displayName: owner.displayName };
}
