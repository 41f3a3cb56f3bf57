import { deleteInlinePolicy } from './inlinePolicies.js';

/** DeleteUserPolicy: remove an inline policy of a user. */
export const DeleteUserPolicy = deleteInlinePolicy('user');
