import type { IamOperation } from '../IamOperation.js';
import { AssumeRole } from './AssumeRole.js';
import { GetCallerIdentity } from './GetCallerIdentity.js';

/** Every STS action served. */
export const stsOperations: readonly IamOperation[] = [GetCallerIdentity, AssumeRole];
