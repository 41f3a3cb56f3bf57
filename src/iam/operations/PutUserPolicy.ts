import { putInlinePolicy } from './inlinePolicies.js';

/** PutUserPolicy: create or replace an inline policy of a user (validated as an identity policy). */
export const PutUserPolicy = putInlinePolicy('user');
