import type { AccessKey } from '../../core/identity/Account.js';
import type { Tag } from '../../core/tags/Tag.js';
import type { XmlElement } from '../../xml/codec.js';
import type { IamRole, IamUser, ManagedPolicy } from '../../core/ports/IamStore.js';
import { policyArn, roleArn, userArn } from '../arns.js';
import { isoSeconds } from './render.js';

/** The XML shapes of IAM's data types (API reference, "Data Types"). Lists are `<member>` elements. */

export function tagsXml(tags: readonly Tag[]): XmlElement | undefined {
  return tags.length === 0 ? undefined : { member: tags.map((t) => ({ Key: t.key, Value: t.value })) };
}

export function userXml(user: IamUser, withTags = true): XmlElement {
  return {
    Path: user.path,
    UserName: user.userName,
    UserId: user.userId,
    Arn: userArn(user.accountId, user.path, user.userName),
    CreateDate: isoSeconds(user.createdAt),
    Tags: withTags ? tagsXml(user.tags) : undefined,
  };
}

export function roleXml(role: IamRole, withTags = true): XmlElement {
  return {
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: roleArn(role.accountId, role.path, role.roleName),
    CreateDate: isoSeconds(role.createdAt),
    AssumeRolePolicyDocument: encodeURIComponent(role.trustPolicy),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    Tags: withTags ? tagsXml(role.tags) : undefined,
  };
}

export function policyXml(policy: ManagedPolicy): XmlElement {
  return {
    PolicyName: policy.policyName,
    PolicyId: policy.policyId,
    Arn: policyArn(policy.accountId, policy.path, policy.policyName),
    Path: policy.path,
    DefaultVersionId: 'v1',
    AttachmentCount: policy.attachmentCount,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: policy.description,
    CreateDate: isoSeconds(policy.createdAt),
    UpdateDate: isoSeconds(policy.updatedAt),
  };
}

export function attachedPolicyXml(policy: ManagedPolicy): XmlElement {
  return { PolicyName: policy.policyName, PolicyArn: policy.arn };
}

/** AccessKeyMetadata (ListAccessKeys); CreateAccessKey adds the secret. */
export function accessKeyXml(userName: string, key: AccessKey, withSecret: boolean): XmlElement {
  return {
    UserName: userName,
    AccessKeyId: key.accessKeyId,
    Status: key.status,
    SecretAccessKey: withSecret ? key.secretAccessKey : undefined,
    CreateDate: isoSeconds(key.createdAt),
  };
}

/** A list result with IAM's paging fields. */
export function pagedXml(listName: string, members: readonly XmlElement[], marker: string | undefined): XmlElement {
  return {
    [listName]: members.length === 0 ? '' : { member: members },
    IsTruncated: marker !== undefined,
    Marker: marker,
  };
}
