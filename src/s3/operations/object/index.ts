import type { AnyOperation } from '../Operation.js';
import { CopyObject } from './CopyObject.js';
import { DeleteObject } from './DeleteObject.js';
import { DeleteObjects } from './DeleteObjects.js';
import { GetObject } from './GetObject.js';
import { HeadObject } from './HeadObject.js';
import { PutObject } from './PutObject.js';

/** The object operations, one file each. */
export const objectOperations: readonly AnyOperation[] = [PutObject, CopyObject, GetObject, HeadObject, DeleteObject, DeleteObjects];
