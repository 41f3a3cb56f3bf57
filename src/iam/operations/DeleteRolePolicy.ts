import { deleteInlinePolicy } from './inlinePolicies.js';

/** DeleteRolePolicy: remove an inline policy of a role. */
export const DeleteRolePolicy = deleteInlinePolicy('role');
