import type { IamOperation } from '../IamOperation.js';
import { AttachRolePolicy } from './AttachRolePolicy.js';
import { AttachUserPolicy } from './AttachUserPolicy.js';
import { CreateAccessKey } from './CreateAccessKey.js';
import { CreatePolicy } from './CreatePolicy.js';
import { CreateRole } from './CreateRole.js';
import { CreateUser } from './CreateUser.js';
import { DeleteAccessKey } from './DeleteAccessKey.js';
import { DeletePolicy } from './DeletePolicy.js';
import { DeleteRole } from './DeleteRole.js';
import { DeleteRolePolicy } from './DeleteRolePolicy.js';
import { DeleteUser } from './DeleteUser.js';
import { DeleteUserPolicy } from './DeleteUserPolicy.js';
import { DetachRolePolicy } from './DetachRolePolicy.js';
import { DetachUserPolicy } from './DetachUserPolicy.js';
import { GetPolicy } from './GetPolicy.js';
import { GetPolicyVersion } from './GetPolicyVersion.js';
import { GetRole } from './GetRole.js';
import { GetRolePolicy } from './GetRolePolicy.js';
import { GetUser } from './GetUser.js';
import { GetUserPolicy } from './GetUserPolicy.js';
import { ListAccessKeys } from './ListAccessKeys.js';
import { ListAttachedRolePolicies } from './ListAttachedRolePolicies.js';
import { ListAttachedUserPolicies } from './ListAttachedUserPolicies.js';
import { ListPolicies } from './ListPolicies.js';
import { ListRolePolicies } from './ListRolePolicies.js';
import { ListRoles } from './ListRoles.js';
import { ListUserPolicies } from './ListUserPolicies.js';
import { ListUsers } from './ListUsers.js';
import { PutRolePolicy } from './PutRolePolicy.js';
import { PutUserPolicy } from './PutUserPolicy.js';
import { UpdateAccessKey } from './UpdateAccessKey.js';
import { UpdateAssumeRolePolicy } from './UpdateAssumeRolePolicy.js';

/** Every IAM action served, dispatched on the `Action` parameter. */
export const iamOperations: readonly IamOperation[] = [
  CreateUser, GetUser, ListUsers, DeleteUser,
  CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey,
  PutUserPolicy, GetUserPolicy, ListUserPolicies, DeleteUserPolicy,
  CreatePolicy, GetPolicy, GetPolicyVersion, ListPolicies, DeletePolicy,
  AttachUserPolicy, DetachUserPolicy, ListAttachedUserPolicies,
  CreateRole, GetRole, ListRoles, DeleteRole, UpdateAssumeRolePolicy,
  PutRolePolicy, GetRolePolicy, ListRolePolicies, DeleteRolePolicy,
  AttachRolePolicy, DetachRolePolicy, ListAttachedRolePolicies,
];
